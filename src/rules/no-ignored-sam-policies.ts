import { findIgnoredSamPolicies } from "../analyzers/checks/no-ignored-sam-policies.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "no-ignored-sam-policies",
  type: "problem",
  description: "Disallow Policies on a SAM function that also sets Role, which makes SAM ignore them",
  recommended: true,
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-policies",
    "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-role",
  ],
  messages: {
    ignoredPolicies:
      "{{function}} sets Role ({{role}}), so SAM ignores its Policies ({{policies}}) and grants none of them. Put these permissions on the role, or drop Role and let SAM generate one",
  },
  optionsSchema: { type: "object", properties: {}, additionalProperties: false },
  defaultOptions: {},
  analyze: (analysis) => findIgnoredSamPolicies(analysis),
});
