import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import type { Resource } from "../../template/types.js";
import type { Analysis } from "../analysis.js";
import { WildcardPattern } from "../iam/arn-pattern.js";
import { describeStatement } from "../iam/evaluate.js";
import { assumesRole, ROLE_ARN, rootAccount, writtenText } from "../iam/principals.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";

/** A role ARN whose account and name the template states: `arn:aws:iam::222222222222:role/Writer`. */
export interface RoleArn {
  text: string;
  account: string;
  /** The path and name after `role/`: `Writer`, `service/Writer`. */
  pathAndName: string;
}

/** The role ARN that parts spell, when its account and name are literal (the partition may be `${AWS::Partition}`). */
export function roleArnOf(parts: Part[]): RoleArn | undefined {
  let text = "";
  for (const part of parts) {
    if ("text" in part) text += part.text;
    else if (part.symbol === "{Ref:AWS::Partition}") text += "${AWS::Partition}";
    else return undefined;
  }
  const match = ROLE_ARN.exec(text);
  if (!match || !/^\d{12}$/u.test(match[1]!)) return undefined;
  return { text, account: match[1]!, pathAndName: match[2]! };
}

/** What a function's execution role says to `sts:AssumeRole` on a role: nothing to report, not granted, or denied by a statement. */
export type AssumeGrant =
  { outcome: "allowed-or-unknown" } | { outcome: "not-granted"; role: string } | { outcome: "denied"; role: string; statement: string };

export function assumeRoleGrant(analysis: Analysis, fn: LambdaFunction, candidate: RoleCandidate, target: Part[]): AssumeGrant {
  const index = analysis.iam.roleOf(fn, candidate);
  const decision = index.evaluate("sts:AssumeRole", target);
  if (decision.outcome === "denied")
    return { outcome: "denied", role: index.permissions.role, statement: describeStatement(decision.statement) };
  if (decision.outcome === "not-granted") return { outcome: "not-granted", role: index.permissions.role };
  return { outcome: "allowed-or-unknown" };
}

/** The role a template declares with this ARN's name and path (`RoleName` and `Path` as literals), if one. */
export function declaredRole(analysis: Analysis, arn: RoleArn): Resource | undefined {
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return undefined;
  for (const resource of analysis.template.resources.values()) {
    if (resource.type !== "AWS::IAM::Role" || resource.propertiesUnknown) continue;
    const name = literalText(entryOf(resource.properties, "RoleName"));
    const path = entryOf(resource.properties, "Path") === undefined ? "/" : literalText(entryOf(resource.properties, "Path"));
    if (name !== undefined && path !== undefined && `${path.slice(1)}${name}` === arn.pathAndName) return resource;
  }
  return undefined;
}

/** The name and path a function's execution role is given in its template (`RoleName`, `Path`), when they are literals. */
export function declaredRoleName(analysis: Analysis, candidate: RoleCandidate): { roleName: string | undefined; rolePath: string } {
  const logicalId = candidate.identity?.logicalId;
  const role = logicalId ? analysis.template.resources.get(logicalId) : undefined;
  if (role?.type !== "AWS::IAM::Role") return { roleName: undefined, rolePath: "/" };
  const path = entryOf(role.properties, "Path") === undefined ? "/" : literalText(entryOf(role.properties, "Path"));
  const roleName = literalText(entryOf(role.properties, "RoleName"));
  return path === undefined ? { roleName: undefined, rolePath: "/" } : { roleName, rolePath: path };
}

/** Who calls AssumeRole: the caller's account, its role's name when known, and the ExternalId it sends. */
export interface Caller {
  account: string;
  roleName: string | undefined;
  /** The role's `Path` (`/` unless given), when its name is known. */
  rolePath: string;
  /** The ExternalId the call sends: its text, none, or a value the code computes. */
  externalId: { text: string } | "none" | "unknown";
}

/** What a role's trust policy says to a caller of another account. */
export type TrustAnswer =
  { outcome: "admitted" | "unknown" } | { outcome: "not-trusted"; principals: string[] } | { outcome: "external-id"; expected: string[] };

/**
 * Whether a role's trust policy (in an account other than the caller's) admits the caller: an
 * `Allow` of `sts:AssumeRole` to the caller's account root or to its role's ARN, whose conditions
 * the call meets. A condition on any key but `sts:ExternalId`, a `Deny`, a `NotPrincipal` or
 * anything unreadable leaves the answer unknown.
 */
export function trustAnswer(role: Resource, trustingAccount: string, caller: Caller): TrustAnswer {
  const document = entryOf(role.properties, "AssumeRolePolicyDocument");
  const statements = entryOf(document, "Statement");
  if (!statements || (statements.kind !== "list" && statements.kind !== "object")) return { outcome: "unknown" };
  const principals: string[] = [];
  const expected: string[] = [];
  let unknown = false;
  for (const statement of listItems(statements)) {
    const effect = literalText(entryOf(statement, "Effect"));
    if (effect !== "Allow" || entryOf(statement, "NotPrincipal") || entryOf(statement, "NotAction")) return { outcome: "unknown" };
    const assumes = assumesRole(statement);
    if (assumes === "unreadable") unknown = true;
    if (assumes !== true) continue;
    const named: string[] = [];
    const match = principalMatch(entryOf(statement, "Principal"), trustingAccount, caller, named);
    if (match === "no") {
      principals.push(...named);
      continue;
    }
    const condition = conditionMatch(entryOf(statement, "Condition"), caller);
    if (match === "yes" && condition.answer === "yes") return { outcome: "admitted" };
    if (match === "maybe" || condition.answer === "maybe") unknown = true;
    else if (condition.principalArns.length > 0)
      principals.push(...named.map((text) => `${text} with aws:PrincipalArn ${condition.principalArns.join(" or ")}`));
    else expected.push(...condition.externalIds);
  }
  if (unknown) return { outcome: "unknown" };
  if (expected.length > 0) return { outcome: "external-id", expected };
  return { outcome: "not-trusted", principals };
}

/** Whether a statement's `Principal` names the caller; the principals it names are collected for the message. */
function principalMatch(principal: Expr | undefined, trustingAccount: string, caller: Caller, named: string[]): "yes" | "no" | "maybe" {
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
function conditionMatch(
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
