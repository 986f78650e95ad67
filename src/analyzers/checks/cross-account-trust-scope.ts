import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { assumesRole, conditionKeys, ROLE_ARN, rootAccount, writtenText } from "../iam/principals.js";

export type TrustScopeMessageId = "accountRoot" | "rolePrincipal";

export interface TrustScopeOptions {
  /** Accounts (12 digits) whose root a role may trust without a narrowing condition: your own accounts. */
  trustedAccounts: string[];
}

/** The condition keys that narrow an account-root principal to the callers meant (IAM's confused deputy guidance). */
const NARROWING_KEYS = new Set(["aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "sts:externalid"]);

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
      if (literalText(entryOf(statement, "Effect")) !== "Allow" || assumesRole(statement) !== true) return;
      const narrowed = conditionKeys(entryOf(statement, "Condition"));
      for (const principal of listItems(entryOf(entryOf(statement, "Principal"), "AWS"))) {
        const text = writtenText(principal);
        if (text === undefined) continue;
        const account = rootAccount(text);
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
