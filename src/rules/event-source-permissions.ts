import { findEventSourceGaps } from "../analyzers/checks/event-source-permissions.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "event-source-permissions",
  type: "problem",
  description: "Require the execution role to allow what each event source mapping of its function needs",
  recommended: true,
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#events-kinesis-permissions",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#events-dynamodb-permissions",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-msk-permissions.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-documentdb.html",
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-cross-account-example.html",
    "https://docs.aws.amazon.com/streams/latest/dev/resource-based-policy-examples.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html",
  ],
  hasSuggestions: true,
  messages: {
    addManagedPolicy: "Attach the AWS managed policy {{policy}} to {{role}}",
    missing:
      "{{mapping}}: {{role}} of {{function}} does not allow {{actions}} on {{resource}}, which {{source}} needs ({{consequence}}){{samNote}}",
    denied:
      "{{mapping}}: {{statement}} explicitly denies {{role}} of {{function}} {{actions}} on {{resource}}, which {{source}} needs ({{consequence}}){{samNote}}",
    refusedByKeyPolicy:
      "{{mapping}}: {{role}} of {{function}} cannot use {{actions}} on {{resource}}, which {{source}} needs ({{consequence}}): the key policy of {{key}} neither allows the role nor lets IAM policies grant access to the key{{samNote}}",
    noSourcePolicy:
      "{{mapping}}: {{sourceKind}} {{sourceName}} ({{sourceTemplate}}:{{sourceLine}}) is in account {{sourceAccount}}, not in {{function}}'s account {{account}}, and its template gives it no {{policyKind}}; across accounts the {{sourceKind}}'s policy must allow {{role}} {{actions}} as well as the role's own policy, so Lambda cannot read the {{sourceKind}}",
    refusedBySourcePolicy:
      "{{mapping}}: {{sourceKind}} {{sourceName}} ({{sourceTemplate}}:{{sourceLine}}) is in account {{sourceAccount}}, not in {{function}}'s account {{account}}, and its {{policyKind}} {{policies}} does not allow {{role}} {{actions}}; across accounts the {{sourceKind}}'s policy must allow them as well as the role's own policy, so Lambda cannot read the {{sourceKind}}",
    refusedBySourceKey:
      "{{mapping}}: {{sourceKind}} {{sourceName}} ({{sourceTemplate}}:{{sourceLine}}) of account {{sourceAccount}} is encrypted with key {{key}} ({{sourceTemplate}}:{{keyLine}}), whose key policy does not allow {{role}} of account {{account}} {{actions}}; across accounts the key policy must allow the role as well as the role's own policy, so Lambda cannot decrypt what it reads from the {{sourceKind}}",
    unverifiable: "{{mapping}}: cannot verify that {{role}} allows {{actions}} on {{resource}}: {{reason}}",
  },
  optionsSchema: {
    type: "object",
    properties: {
      reportUnverifiable: {
        type: "boolean",
        description:
          "Also report mappings whose permissions cannot be verified (a role or policy from outside the template, a value known only at deploy time)",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { reportUnverifiable: false },
  analyze: (analysis, options, workspace) => findEventSourceGaps(analysis, options, workspace),
});
