import { findSharedExecutionRoles } from "../analyzers/checks/no-shared-execution-role.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "no-shared-execution-role",
  type: "suggestion",
  description: "Require each Lambda function to have an execution role of its own",
  recommended: true,
  severity: "warn",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "https://docs.aws.amazon.com/lambda/latest/operatorguide/specialized-all-purpose.html",
  ],
  messages: {
    sharedRole:
      "Function {{function}} shares execution role {{role}} with {{others}}: each function then holds the permissions of all of them. Give {{function}} a role of its own",
  },
  optionsSchema: {
    type: "object",
    properties: {
      allowedRoles: {
        type: "array",
        items: { type: "string" },
        uniqueItems: true,
        description: "Roles that functions may share, by logical id, parameter name, role ARN or export name",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { allowedRoles: [] as string[] },
  analyze: (analysis, options) => findSharedExecutionRoles(analysis.template, analysis.functions, options),
});
