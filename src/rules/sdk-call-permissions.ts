import type { SdkCallMessageId } from "../analyzers/checks/sdk-call-permissions.js";
import { findSdkCallGaps } from "../analyzers/checks/sdk-call-permissions.js";
import { TEMPLATES_OPTION } from "../handlers/matches.js";
import { createCodeRule } from "./create-rule.js";

interface Options {
  templates?: string[];
  reportUnchecked: boolean;
}

export default createCodeRule<Options, SdkCallMessageId>({
  name: "sdk-call-permissions",
  description: "Require the role that signs each AWS SDK call of a handler to allow it",
  sources: [
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html",
    "https://repost.aws/knowledge-center/sqs-queue-access-permissions",
  ],
  messages: {
    notAllowed: "{{function}}'s role {{role}} does not allow {{action}} on {{resource}} ({{template}}:{{line}}); {{allowed}}",
    denied: "{{function}}'s role {{role}} explicitly denies {{action}} on {{resource}} in {{statement}} ({{template}}:{{line}})",
    assumedNotAllowed:
      "{{function}} calls {{action}} on {{resource}} as {{role}}, the role its code assumes ({{template}}:{{line}}), which does not allow it; {{allowed}}",
    assumedDenied:
      "{{function}} calls {{action}} on {{resource}} as {{role}}, the role its code assumes ({{template}}:{{line}}), which denies it in {{statement}}",
    unmatchedHandler:
      "No function's handler in {{templates}} reaches this file (by the local modules it imports), so its AWS SDK calls cannot be checked",
    unknownSigners:
      "Not checked: {{which}} ({{calls}}), as this file does not show the role that signs each (a client passed in or made in another module, or credentials of its own)",
    unmappedCalls:
      "Not checked: {{calls}}, whose IAM actions the plugin's SDK data does not give (a command it does not list, or one whose actions depend on its request)",
    unreadSdk: "Not checked: the calls made with {{sdk}} ({{package}}), which the plugin does not read",
    presignedRequests:
      "Not checked: the presigned requests of {{calls}}, which another sends with the role's credentials: whether the role allows them is not checked",
  },
  optionsSchema: {
    type: "object",
    properties: {
      templates: TEMPLATES_OPTION,
      reportUnchecked: {
        type: "boolean",
        description:
          "Report what of a file is not checked, and why: no function's handler reaches it, a call's signer is not shown, a call's IAM actions are not known",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { reportUnchecked: false },
  analyze: (code, options) => findSdkCallGaps(code, options),
});
