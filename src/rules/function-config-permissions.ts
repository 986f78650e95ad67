import { findFunctionConfigGaps } from "../analyzers/checks/function-config-permissions.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "function-config-permissions",
  type: "problem",
  description: "Require the execution role to allow what the function's own configuration needs",
  recommended: true,
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
    "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
  ],
  hasSuggestions: true,
  messages: {
    addManagedPolicy: "Attach the AWS managed policy {{policy}} to {{role}}",
    missing: "{{function}}: {{role}} does not allow {{actions}} on {{resource}}, which its {{feature}} needs ({{consequence}}){{samNote}}",
    denied:
      "{{function}}: {{statement}} explicitly denies {{role}} {{actions}} on {{resource}}, which its {{feature}} needs ({{consequence}}){{samNote}}",
    refusedByKeyPolicy:
      "{{function}}: {{role}} cannot use {{actions}} on {{resource}}, which its {{feature}} needs ({{consequence}}): the key policy of {{key}} neither allows the role nor lets IAM policies grant access to the key{{samNote}}",
    unverifiable: "{{function}}: cannot verify that {{role}} allows {{actions}} on {{resource}} for its {{feature}}: {{reason}}",
  },
  optionsSchema: {
    type: "object",
    properties: {
      reportUnverifiable: {
        type: "boolean",
        description:
          "Also report features whose permissions cannot be verified (a role or policy from outside the template, a value known only at deploy time)",
      },
      ignore: {
        type: "array",
        items: { enum: ["Logging", "VpcConfig", "Tracing", "DeadLetterQueue", "Destinations"] },
        uniqueItems: true,
        description: "Features not to check, for example Logging when logs go to an extension instead of CloudWatch Logs",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { reportUnverifiable: false, ignore: [] as string[] },
  analyze: (analysis, options) => findFunctionConfigGaps(analysis, options),
});
