import { findMissingPolicyDependencies } from "../analyzers/checks/require-policy-dependency.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "require-policy-dependency",
  type: "problem",
  description:
    "Require resources that AWS validates against the execution role to depend on the separate policy that grants what they need",
  recommended: true,
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html",
  ],
  messages: {
    missingDependency:
      "{{resource}}: {{what}} needs {{actions}}, which only {{policies}} grants, but nothing makes CloudFormation attach that policy first; add DependsOn: {{dependsOn}} (without it, deployments fail intermittently)",
  },
  optionsSchema: { type: "object", properties: {}, additionalProperties: false },
  defaultOptions: {},
  analyze: (analysis) => findMissingPolicyDependencies(analysis),
});
