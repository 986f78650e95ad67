import { findWideTrusts } from "../analyzers/checks/cross-account-trust-scope.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "cross-account-trust-scope",
  type: "suggestion",
  description: "Disallow role trusts and AssumeRole grants wider than they must be",
  recommended: true,
  severity: "warn",
  sources: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  ],
  messages: {
    accountRoot:
      "Role {{role}} lets every principal of account {{account}} that its own IAM policies allow assume it (statement {{statement}} trusts the account root with no narrowing condition): add an aws:PrincipalArn, aws:PrincipalOrgID or sts:ExternalId condition, or list the account in trustedAccounts",
    parameterAccountRoot:
      "Role {{role}} lets every principal of the accounts that parameter {{parameter}} gives assume it, as far as their own IAM policies allow (statement {{statement}} trusts their account roots with no narrowing condition): add an aws:PrincipalArn, aws:PrincipalOrgID or sts:ExternalId condition",
    anyPrincipal:
      'Role {{role}} lets principals of any AWS account assume it (statement {{statement}} trusts "*" with no condition that narrows it): name the account or role meant, or add an aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn condition',
    assumeAnyRole:
      'Role {{role}} allows sts:AssumeRole on every role (Resource "*" in {{statement}}), and the only role ARN in the environment of {{holders}} is {{target}}: allow sts:AssumeRole on that ARN alone',
    rolePrincipal:
      "Role {{role}} trusts {{principal}} by its ARN (statement {{statement}}): IAM keeps that role's unique ID, so the trust stops working when the role is deleted and re-created; trust its account root with an ArnEquals aws:PrincipalArn condition instead",
  },
  optionsSchema: {
    type: "object",
    properties: {
      trustedAccounts: {
        type: "array",
        items: { type: "string", pattern: "^\\d{12}$" },
        description: "Accounts (12-digit IDs) whose root a role may trust without a narrowing condition, such as your own accounts",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { trustedAccounts: [] as string[] },
  analyze: (analysis, options) => findWideTrusts(analysis, options),
});
