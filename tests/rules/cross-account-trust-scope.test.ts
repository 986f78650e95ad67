import rule from "../../src/rules/cross-account-trust-scope.js";
import { locate, templateRuleTester } from "../rule-tester.js";

/** Role DataRole trusting `principal` (YAML flow), with `condition` on the statement when given. */
function trust(principal: string, condition = "", action = "sts:AssumeRole"): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DataRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: ${principal}}
            Action: ${action}
${condition ? `            Condition: ${condition}\n` : ""}`;
}

const ROOT = '"arn:aws:iam::111111111111:root"';
const rootMessage = (account: string) =>
  `Role DataRole lets every principal of account ${account} that its own IAM policies allow assume it (statement 1 trusts the account root with no narrowing condition): add an aws:PrincipalArn, aws:PrincipalOrgID or sts:ExternalId condition, or list the account in trustedAccounts`;

templateRuleTester().run("cross-account-trust-scope", rule as never, {
  valid: [
    {
      name: "an account root narrowed to one role by aws:PrincipalArn",
      filename: "template.yaml",
      code: trust(ROOT, '{ArnEquals: {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/writer"}}'),
    },
    {
      name: "an account root narrowed to the organisation",
      filename: "template.yaml",
      code: trust(ROOT, "{StringEquals: {'aws:PrincipalOrgID': o-abc123}}"),
    },
    {
      name: "a third party with an external ID (condition keys are case-insensitive)",
      filename: "template.yaml",
      code: trust(ROOT, "{StringEquals: {'STS:ExternalId': shared-secret}}"),
    },
    { name: "the stack's own account", filename: "template.yaml", code: trust('!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"') },
    {
      name: "an account listed in trustedAccounts",
      filename: "template.yaml",
      code: trust(ROOT),
      options: [{ trustedAccounts: ["111111111111"] }],
    },
    { name: "a role of this template", filename: "template.yaml", code: trust("!GetAtt Caller.Arn") },
    { name: "a statement that does not allow sts:AssumeRole", filename: "template.yaml", code: trust(ROOT, "", "sts:TagSession") },
    { name: "a condition that cannot be read may be the narrowing one", filename: "template.yaml", code: trust(ROOT, "!If [C, {}, {}]") },
    { name: "a principal that cannot be read", filename: "template.yaml", code: trust("!ImportValue caller-arn") },
  ],
  invalid: [
    (() => {
      const code = trust(ROOT);
      return {
        name: "an account root with no condition",
        filename: "template.yaml",
        code,
        errors: [{ message: rootMessage("111111111111"), ...locate(code, ROOT) }],
      };
    })(),
    {
      name: "the account ID alone, and a condition that does not narrow the principal",
      filename: "template.yaml",
      code: trust("'111111111111'", "{Bool: {'aws:MultiFactorAuthPresent': 'true'}}"),
      errors: [{ message: rootMessage("111111111111") }],
    },
    {
      name: "an account given by a parameter",
      filename: "template.yaml",
      code: trust('!Sub "arn:${AWS::Partition}:iam::${TrustedAccount}:root"'),
      errors: [{ message: rootMessage("${TrustedAccount}") }],
    },
    (() => {
      const principal = '"arn:aws:iam::111111111111:role/writer"';
      const code = trust(principal);
      return {
        name: "a role of another account named by its ARN",
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              "Role DataRole trusts arn:aws:iam::111111111111:role/writer by its ARN (statement 1): IAM keeps that role's unique ID, so the trust stops working when the role is deleted and re-created; trust its account root with an ArnEquals aws:PrincipalArn condition instead",
            ...locate(code, principal),
          },
        ],
      };
    })(),
  ],
});
