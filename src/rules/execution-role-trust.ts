import { findUntrustedExecutionRoles } from "../analyzers/execution-role-trust.js";
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
    roleNotTrusted: "{{role}} is the execution role of {{functions}}, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
    roleDenied: "{{role}} is the execution role of {{functions}}, but statement {{statement}} of its trust policy denies sts:AssumeRole to lambda.amazonaws.com",
    functionNotTrusted: `{{function}}: its execution role {{role}} does not trust lambda.amazonaws.com (${FAILURE})`,
    functionDenied: `{{function}}: the trust policy of its execution role {{role}} denies sts:AssumeRole to lambda.amazonaws.com in statement {{statement}} (${FAILURE})`,
  },
  optionsSchema: { type: "object", properties: {}, additionalProperties: false },
  defaultOptions: {},
  analyze: (analysis) => findUntrustedExecutionRoles(analysis),
});
