import type { CrossAccountMessageId } from "../analyzers/checks/cross-account-access.js";
import { findCrossAccountGaps } from "../analyzers/checks/cross-account-access.js";
import { TEMPLATES_OPTION } from "../handlers/matches.js";
import { createCodeRule } from "./create-rule.js";

export default createCodeRule<{ templates?: string[] }, CrossAccountMessageId>({
  name: "cross-account-access",
  description:
    "Require a handler's paths into other accounts to work: the roles it assumes admit it, and the resources it calls there allow it",
  sources: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining",
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html",
    "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
    "https://repost.aws/knowledge-center/sqs-queue-access-permissions",
  ],
  messages: {
    roleChaining:
      "DurationSeconds {{seconds}} exceeds the 1-hour session limit of a role assumed with role credentials (role chaining); {{function}} runs this code with its execution role's credentials, so AssumeRole fails. Use 3600 or less",
    assumeNotAllowed:
      "{{function}} (account {{account}}) assumes {{target}}{{source}}, a role of account {{targetAccount}}, but its role {{role}} does not allow sts:AssumeRole on it ({{template}}:{{line}}); across accounts the caller's own policy must allow it as well as the role's trust",
    assumeDenied: "{{function}}'s role {{role}} explicitly denies sts:AssumeRole on {{target}} in {{statement}} ({{template}}:{{line}})",
    notTrusted:
      "Role {{targetRole}} ({{targetTemplate}}:{{targetLine}}, account {{targetAccount}}) does not trust {{function}}'s role {{role}} of account {{account}} ({{template}}:{{line}}): its trust policy admits {{principals}}, so AssumeRole is denied",
    externalIdMismatch:
      "Role {{targetRole}}'s trust requires sts:ExternalId {{expected}} ({{targetTemplate}}:{{targetLine}}), but this call sends {{sent}}, so AssumeRole is denied",
    noResourcePolicy:
      "{{function}} (account {{account}}) calls {{actions}} with its role {{role}} on {{kind}} {{resource}} ({{targetTemplate}}:{{targetLine}}) of account {{targetAccount}}, whose template gives it no {{policyKind}}; across accounts the {{kind}}'s own policy must allow the caller as well as the caller's role, so the call is denied",
    refusedByKeyPolicy:
      "{{function}} (account {{account}}) calls {{actions}} with its role {{role}} on {{kind}} {{resource}} ({{targetTemplate}}:{{targetLine}}) of account {{targetAccount}}, which key {{key}} ({{targetTemplate}}:{{keyLine}}) encrypts, but the key policy does not allow {{keyActions}} to the caller; across accounts the key policy must allow the caller as well as the caller's role, so the call fails",
    refusedByResourcePolicy:
      "{{function}} (account {{account}}) calls {{actions}} with its role {{role}} on {{kind}} {{resource}} ({{targetTemplate}}:{{targetLine}}) of account {{targetAccount}}, whose {{policyKind}} {{policies}} does not allow it; across accounts the {{kind}}'s own policy must allow the caller as well as the caller's role, so the call is denied",
  },
  optionsSchema: {
    type: "object",
    properties: { templates: TEMPLATES_OPTION },
    additionalProperties: false,
  },
  defaultOptions: {},
  analyze: (code) => findCrossAccountGaps(code),
});
