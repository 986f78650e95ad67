import { findMissingInvokePermissions } from "../analyzers/checks/require-invoke-permission.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "require-invoke-permission",
  type: "problem",
  description:
    "Require an AWS::Lambda::Permission or resource policy statement for every service that the template makes invoke a function",
  recommended: true,
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-resourcepolicy.html",
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
    "https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html",
    "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html",
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html",
    "https://aws.amazon.com/blogs/compute/introducing-cross-account-targets-for-amazon-eventbridge-event-buses/",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/with-sns-example.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
  ],
  hasSuggestions: true,
  messages: {
    addPermission: "Add {{permission}}, an AWS::Lambda::Permission for {{principal}}",
    missingPermission:
      "{{invoker}} makes {{principal}} invoke {{function}}, but no AWS::Lambda::Permission or resource policy statement allows it ({{consequence}})",
    conditionalPermission:
      "{{invoker}} makes {{principal}} invoke {{function}}, but what allows it exists only under a condition ({{permissions}}), and the template can deploy {{invoker}} while that is false ({{consequence}})",
    wrongQualifier:
      "{{invoker}} makes {{principal}} invoke {{function}}, but {{permission}} is on {{permitted}}: a permission covers only the function or alias it names ({{consequence}})",
    incompleteUrlPermissions:
      "{{url}} is a public function URL (AuthType NONE) of {{function}}, but no permission grants {{missing}}; since October 2025 new function URLs need both, and callers get 403 Forbidden",
    callerRoleCannotInvoke: "{{invoker}} makes {{principal}} invoke {{function}} with role {{role}}, but {{explanation}} ({{consequence}})",
    callerRoleNotTrusted:
      "{{invoker}} makes {{principal}} invoke {{function}} with role {{role}}, but the role's trust policy does not let {{principal}} assume it ({{consequence}})",
    callerRoleCannotInvokeNorPermission:
      "{{invoker}} makes {{principal}} invoke {{function}} with role {{role}}, but {{explanation}}, and no AWS::Lambda::Permission or resource policy statement allows it either ({{consequence}}); AWS's English EventBridge guide says to give a Lambda target a resource-based policy rather than RoleArn, other editions that either works",
    callerRoleNotTrustedNorPermission:
      "{{invoker}} makes {{principal}} invoke {{function}} with role {{role}}, but the role's trust policy does not let {{principal}} assume it, and no AWS::Lambda::Permission or resource policy statement allows it either ({{consequence}}); AWS's English EventBridge guide says to give a Lambda target a resource-based policy rather than RoleArn, other editions that either works",
    deniedByPolicy: "{{invoker}} makes {{principal}} invoke {{function}}, but {{permission}} denies it ({{consequence}})",
    deniedForServices:
      "{{invoker}} makes {{principal}} invoke {{function}}, but {{permission}} denies it: a service principal's request carries no {{key}}, and its condition on that key then holds ({{consequence}})",
    allowedOnlyWithoutServices:
      "{{invoker}} makes {{principal}} invoke {{function}}, but {{permission}} allows it only on a condition on {{key}}, which a service principal's request does not carry ({{consequence}})",
    crossAccountTargetWithoutRole:
      "{{rule}} sends events to {{target}}, a function of account {{targetAccount}}, not this template's account {{account}}, but the target has no RoleArn: EventBridge delivers to a target in another account only through an execution role of the event bus's account",
    crossAccountTargetNotPermitted:
      "{{rule}} invokes {{function}} of account {{targetAccount}} ({{functionTemplate}}:{{functionLine}}) with role {{role}}, but no permission of {{function}} admits that role or account {{account}} ({{named}}); across accounts EventBridge calls the function with the role's credentials, so the function's resource policy must allow the role, and one for events.amazonaws.com does not apply",
    crossAccountInvokerNotPermitted:
      "{{invoker}} (account {{account}}) makes {{principal}} invoke {{function}} of account {{targetAccount}} ({{functionTemplate}}:{{functionLine}}), but no permission of {{function}} lets {{principal}} invoke it for {{invoker}}: {{named}} ({{consequence}})",
    sourceAccountMismatch:
      "{{invoker}} makes {{principal}} invoke {{function}}, but {{permission}} allows it only with SourceAccount {{sourceAccount}}, and {{principal}} sends the account that owns {{source}}, {{owner}} ({{consequence}})",
    sourceArnMismatch:
      "{{invoker}} makes {{principal}} invoke {{function}}, but the SourceArn of {{permission}} cannot match {{sourceArn}} ({{consequence}})",
  },
  optionsSchema: { type: "object", properties: {}, additionalProperties: false },
  defaultOptions: {},
  analyze: (analysis, _options, workspace) => findMissingInvokePermissions(analysis, workspace),
});
