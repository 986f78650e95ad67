import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import { interpolate } from "../../template/interpolation.js";
import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { actionMatcher } from "../iam/arn-pattern.js";

export type TrustScopeMessageId = "accountRoot" | "rolePrincipal";

export interface TrustScopeOptions {
  /** Accounts (12 digits) whose root a role may trust without a narrowing condition: your own accounts. */
  trustedAccounts: string[];
}

/** The condition keys that narrow an account-root principal to the callers meant (IAM's confused deputy guidance). */
const NARROWING_KEYS = new Set(["aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "sts:externalid"]);

/** `arn:<partition>:iam::<account>:root`, or the account ID alone, with the account as it is written. */
const ACCOUNT_ROOT = /^(?:arn:(?:[a-z-]+|\$\{AWS::Partition\}):iam::([^:]+):root|(\d{12}))$/u;
const ROLE_ARN = /^arn:(?:[a-z-]+|\$\{AWS::Partition\}):iam::([^:]+):role\/.+$/u;

/**
 * Roles that another account may assume, trusted wider than they must be: an account root (any of that
 * account's principals its IAM policies allow) with no condition that narrows it, and a role named by
 * its ARN, which IAM stores as the role's unique ID (the trust stops working when that role is deleted
 * and re-created). The stack's own account (`${AWS::AccountId}`) is not another account.
 */
export function findWideTrusts(analysis: Analysis, options: TrustScopeOptions): Array<Finding<TrustScopeMessageId>> {
  const findings: Array<Finding<TrustScopeMessageId>> = [];
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return findings;
  for (const role of analysis.template.resources.values()) {
    if (role.type !== "AWS::IAM::Role" || role.propertiesUnknown) continue;
    const statements = entryOf(entryOf(role.properties, "AssumeRolePolicyDocument"), "Statement");
    listItems(statements).forEach((statement, index) => {
      if (literalText(entryOf(statement, "Effect")) !== "Allow" || !assumesRole(statement)) return;
      const narrowed = conditionKeys(entryOf(statement, "Condition"));
      for (const principal of listItems(entryOf(entryOf(statement, "Principal"), "AWS"))) {
        const text = writtenText(principal);
        if (text === undefined) continue;
        const root = ACCOUNT_ROOT.exec(text);
        const account = root ? (root[1] ?? root[2])! : undefined;
        const data = { role: role.logicalId, statement: String(index + 1), principal: text };
        if (account !== undefined && account !== "${AWS::AccountId}" && !options.trustedAccounts.includes(account)) {
          // A condition we cannot read may be the narrowing one.
          if (narrowed === "unreadable" || [...narrowed].some((key) => NARROWING_KEYS.has(key))) continue;
          findings.push({
            messageId: "accountRoot",
            data: { ...data, account },
            at: principal.node,
            related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
          });
        } else if (ROLE_ARN.test(text)) {
          findings.push({
            messageId: "rolePrincipal",
            data,
            at: principal.node,
            related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
          });
        }
      }
    });
  }
  return findings;
}

/** Whether a statement's actions include sts:AssumeRole (`sts:*`, `*`); an action that cannot be read is not taken for it. */
function assumesRole(statement: Expr): boolean {
  return listItems(entryOf(statement, "Action")).some((action) => {
    const text = literalText(action);
    return text !== undefined && actionMatcher(text).test("sts:AssumeRole");
  });
}

/** The condition keys of a statement, lower-cased (IAM compares them so), or "unreadable". */
function conditionKeys(condition: Expr | undefined): Set<string> | "unreadable" {
  const keys = new Set<string>();
  if (!condition) return keys;
  if (condition.kind !== "object") return "unreadable";
  for (const { value: block } of condition.entries.values()) {
    if (block.kind !== "object") return "unreadable";
    for (const key of block.entries.keys()) keys.add(key.toLowerCase());
  }
  return keys;
}

/** A principal as written: literal text, or a `!Sub` whose variables are pseudo parameters and parameters; else undefined. */
function writtenText(principal: Expr): string | undefined {
  const literal = literalText(principal);
  if (literal !== undefined) return literal;
  if (principal.kind !== "sub") return undefined;
  const parts = interpolate(principal);
  if (!parts) return undefined;
  if (parts.some((part) => "expr" in part && part.expr.kind !== "ref")) return undefined;
  return parts.map((part) => ("text" in part ? part.text : `\${${(part.expr as { target: string }).target}}`)).join("");
}
