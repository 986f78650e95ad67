import { findUntrustedExecutionRoles } from "../analyzers/checks/execution-role-trust.js";
import { createTemplateRule } from "./create-rule.js";

const FAILURE = 'CloudFormation fails to create the function: "The role defined for the function cannot be assumed by Lambda"';

export default createTemplateRule({
  name: "execution-role-trust",
  type: "problem",
  description: "Require every execution role to trust lambda.amazonaws.com",
  recommended: true,
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services",
  ],
  messages: {
    roleNotTrusted:
      "{{role}} is the execution role of {{functions}}, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
    roleDenied:
      "{{role}} is the execution role of {{functions}}, but statement {{statement}} of its trust policy denies sts:AssumeRole to lambda.amazonaws.com",
    functionNotTrusted: `{{function}}: its execution role {{role}} does not trust lambda.amazonaws.com (${FAILURE})`,
    unverifiable:
      "Cannot verify that {{role}}, the execution role of {{functions}}, trusts lambda.amazonaws.com: its trust policy has a Condition, NotPrincipal or a value we cannot read",
    functionDenied: `{{function}}: the trust policy of its execution role {{role}} denies sts:AssumeRole to lambda.amazonaws.com in statement {{statement}} (${FAILURE})`,
  },
  optionsSchema: {
    type: "object",
    properties: {
      reportUnverifiable: {
        type: "boolean",
        description:
          "Also report trust policies that cannot be verified (a Condition, NotPrincipal, a value written with an intrinsic function)",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { reportUnverifiable: false },
  analyze: (analysis, options) => findUntrustedExecutionRoles(analysis, options),
});
