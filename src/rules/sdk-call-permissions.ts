import type { SdkCallMessageId } from "../analyzers/checks/sdk-call-permissions.js";
import { findSdkCallGaps } from "../analyzers/checks/sdk-call-permissions.js";
import { TEMPLATES_OPTION } from "../handlers/matches.js";
import { createCodeRule } from "./create-rule.js";

interface Options {
  templates?: string[];
  reportUnmatchedHandler: boolean;
  reportUnmappedCommands: boolean;
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
    unmatchedHandler: "No function in {{templates}} runs this file, so its AWS SDK calls cannot be checked",
    unknownSigners:
      "This file's AWS SDK calls ({{calls}}) are sent by clients it does not show being made (a parameter, a client of another module), so who signs them, and whether that role allows them, cannot be checked",
    unmappedCommand: "{{command}} of {{package}} is not in the SDK-to-IAM data, so its permissions cannot be checked",
  },
  optionsSchema: {
    type: "object",
    properties: {
      templates: TEMPLATES_OPTION,
      reportUnmatchedHandler: {
        type: "boolean",
        description: "Report a file whose SDK calls are not checked: no function of the project runs it, or no call shows who signs it",
      },
      reportUnmappedCommands: {
        type: "boolean",
        description: "Report, once per command, SDK commands whose IAM actions are not known",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { reportUnmatchedHandler: false, reportUnmappedCommands: false },
  analyze: (code, options) => findSdkCallGaps(code, options),
});
