import type { Expr } from "../../template/expr.js";
import { listItems, literalText } from "../../template/expr.js";
import { WildcardPattern } from "./arn-pattern.js";
import { ROLE_ARN, rootAccount, writtenText } from "./principals.js";

/** Who calls across accounts (AssumeRole, a read of a queue): the caller's account, its role's name when known, and the ExternalId it sends. */
export interface Caller {
  account: string;
  roleName: string | undefined;
  /** The role's `Path` (`/` unless given), when its name is known. */
  rolePath: string;
  /** The ExternalId the call sends: its text, none, or a value the code computes. */
  externalId: { text: string } | "none" | "unknown";
}

/** Whether a statement's `Principal` names the caller; the principals it names are collected for the message. */
export function principalMatch(
  principal: Expr | undefined,
  trustingAccount: string,
  caller: Caller,
  named: string[],
): "yes" | "no" | "maybe" {
  if (!principal || literalText(principal) === "*") return "maybe";
  if (principal.kind !== "object") return "maybe";
  let answer: "yes" | "no" | "maybe" = "no";
  for (const [kind, { value }] of principal.entries) {
    for (const item of listItems(value)) {
      const text = writtenText(item);
      if (text === undefined || text === "*") return "maybe";
      named.push(text);
      if (kind !== "AWS") continue;
      const written = rootAccount(text) ?? ROLE_ARN.exec(text)?.[1];
      const account = written === "${AWS::AccountId}" ? trustingAccount : written;
      if (account === undefined || account.includes("${")) return "maybe";
      if (account !== caller.account) continue;
      if (rootAccount(text) !== undefined) answer = "yes";
      else if (caller.roleName === undefined) answer = answer === "yes" ? "yes" : "maybe";
      else if (ROLE_ARN.exec(text)![2] === `${caller.rolePath.slice(1)}${caller.roleName}`) answer = "yes";
    }
  }
  return answer;
}

/** Condition operators that compare `aws:PrincipalArn` with the caller's role ARN, and whether they take wildcards. */
const PRINCIPAL_ARN_OPERATORS: Record<string, boolean> = { ArnEquals: false, StringEquals: false, ArnLike: true, StringLike: true };

/**
 * Whether the call meets a statement's conditions. Read are an `sts:ExternalId` equality and an
 * `aws:PrincipalArn` comparison (when the caller's role name is known); any other key may hold or not.
 */
export function conditionMatch(
  condition: Expr | undefined,
  caller: Caller,
): { answer: "yes" | "no" | "maybe"; externalIds: string[]; principalArns: string[] } {
  const externalIds: string[] = [];
  const principalArns: string[] = [];
  const maybe = { answer: "maybe" as const, externalIds, principalArns };
  if (!condition) return { answer: "yes", externalIds, principalArns };
  if (condition.kind !== "object") return maybe;
  let answer: "yes" | "no" | "maybe" = "yes";
  const worse = (next: "yes" | "no" | "maybe") => {
    if (next === "no" || (next === "maybe" && answer === "yes")) answer = next;
  };
  for (const [operator, { value: block }] of condition.entries) {
    if (block.kind !== "object") return maybe;
    for (const [key, { value }] of block.entries) {
      const values = listItems(value).map((item) => writtenText(item));
      if (values.some((text) => text === undefined)) return maybe;
      const texts = values as string[];
      if (operator === "StringEquals" && key.toLowerCase() === "sts:externalid") {
        if (caller.externalId === "unknown") worse("maybe");
        else if (caller.externalId === "none" || !texts.includes(caller.externalId.text)) {
          externalIds.push(...texts);
          worse("no");
        }
      } else if (key.toLowerCase() === "aws:principalarn" && operator in PRINCIPAL_ARN_OPERATORS && caller.roleName !== undefined) {
        const arn = withoutPartition(`arn:aws:iam::${caller.account}:role${caller.rolePath}${caller.roleName}`);
        const matches = texts.some((text) =>
          PRINCIPAL_ARN_OPERATORS[operator] ? new WildcardPattern(withoutPartition(text), false).test(arn) : withoutPartition(text) === arn,
        );
        if (texts.some((text) => withoutPartition(text).includes("${"))) worse("maybe");
        else if (!matches) {
          principalArns.push(...texts);
          worse("no");
        }
      } else {
        return maybe;
      }
    }
  }
  return { answer, externalIds, principalArns };
}

/** An ARN with its partition dropped: the caller's partition is not known, and a trust is written in its own. */
function withoutPartition(arn: string): string {
  return arn.replace(/^arn:(?:[a-z-]+|\$\{AWS::Partition\}):/u, "arn::");
}
