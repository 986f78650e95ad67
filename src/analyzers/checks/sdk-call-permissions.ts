import type { Analysis } from "../analysis.js";
import type { Subject } from "../finding.js";
import { listNames } from "../finding.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import { assumedRoleKey, roleKeyOf } from "../wiring/functions.js";
import type { PermissionIndex, QuestionResource } from "../iam/evaluate.js";
import { describeStatement } from "../iam/evaluate.js";
import { customerManagedKey, customerManagedKeyResource } from "../wiring/encryption-keys.js";
import type { SdkCall, UnmappedCall } from "../sdk/calls.js";
import type { CodeFinding, HandlerCode, Runner } from "../sdk/handler-code.js";
import { aboutFunction } from "../sdk/handler-code.js";
import type { Workspace, WorkspaceTemplate } from "../workspace.js";
import { resourceOf, unknownResource } from "../sdk/call-resources.js";
import { assumedRole } from "./support/assumed-roles.js";
import type { SigningRole } from "../iam/resource-grants.js";
import { resourcePolicyMayAllow } from "../iam/resource-grants.js";

export type SdkCallMessageId =
  | "notAllowed"
  | "denied"
  | "assumedNotAllowed"
  | "assumedDenied"
  | "unmatchedHandler"
  | "unknownSigners"
  | "unmappedCalls"
  | "unreadSdk"
  | "presignedRequests";

/**
 * The SDK calls of a handler file that the role signing them provably does not allow: for a call the
 * execution role signs, each role the functions that reach it may run as; for a call signed with a
 * role the code assumes, that role when a template of the repository declares it. A call whose
 * signer or actions are unknown is not judged; with `reportUnchecked`, the file says which and why.
 */
export function findSdkCallGaps(code: HandlerCode, options: { reportUnchecked: boolean }): Array<CodeFinding<SdkCallMessageId>> {
  const findings: Array<CodeFinding<SdkCallMessageId>> = [];
  const { calls, assumptions, unmapped } = code.usage;
  if (!code.isRun) {
    if (options.reportUnchecked && (calls.length > 0 || assumptions.length > 0 || unmapped.length > 0)) {
      const templates = listNames(code.templates) || "no template (none found in the project)";
      findings.push({ messageId: "unmatchedHandler", data: { templates }, range: [0, 0] });
    }
    return findings;
  }
  const judged = calls.filter((call) => call.credentials === "execution-role" || call.assumption !== undefined);
  if (options.reportUnchecked)
    findings.push(
      ...uncheckedCalls(
        calls.filter((call) => !judged.includes(call)),
        calls.length,
        unmapped,
      ),
    );
  for (const call of judged) {
    for (const runner of code.runnersAt(call.range[0])) findings.push(...aboutFunction(runner.fn, callGaps(call, runner, code)));
  }
  return findings;
}

/**
 * What of a file that functions run is not checked, one report per reason, at its first call: calls
 * whose signer the code does not show, calls whose IAM actions are not known, requests presigned for
 * another to send, and an SDK not read.
 */
function uncheckedCalls(unsigned: SdkCall[], total: number, unmapped: UnmappedCall[]): Array<CodeFinding<SdkCallMessageId>> {
  const findings: Array<CodeFinding<SdkCallMessageId>> = [];
  const labels = (found: Array<{ label: string }>) => listNames([...new Set(found.map(({ label }) => label))]);
  if (unsigned.length > 0) {
    const which =
      unsigned.length < total
        ? `${unsigned.length} of its ${total} AWS SDK calls`
        : total === 1
          ? "its AWS SDK call"
          : `its ${total} AWS SDK calls`;
    findings.push({ messageId: "unknownSigners", data: { which, calls: labels(unsigned) }, range: unsigned[0]!.range });
  }
  const unknownActions = unmapped.filter(({ why }) => why === "not-in-data" || why === "depends-on-request");
  if (unknownActions.length > 0) {
    findings.push({ messageId: "unmappedCalls", data: { calls: labels(unknownActions) }, range: unknownActions[0]!.range });
  }
  const presigned = unmapped.filter(({ why }) => why === "presigned");
  if (presigned.length > 0)
    findings.push({ messageId: "presignedRequests", data: { calls: labels(presigned) }, range: presigned[0]!.range });
  const unread = unmapped.find(({ why }) => why === "unread-sdk");
  if (unread) findings.push({ messageId: "unreadSdk", data: { sdk: unread.label, package: unread.source }, range: unread.range });
  return findings;
}

/** The gaps of one call for one function that runs it. */
function callGaps(call: SdkCall, { template, fn }: Runner, code: HandlerCode): Array<CodeFinding<SdkCallMessageId>> {
  const findings: Array<CodeFinding<SdkCallMessageId>> = [];
  const where = { function: fn.logicalId, template: template.file, line: String(fn.resource.node.loc.start.line) };
  if (call.credentials === "execution-role") {
    for (const candidate of fn.candidates) {
      for (const gap of sdkCallGaps(template.analysis, fn, candidate, call, code.neighboursOf(template))) {
        const { role, action, resource } = gap;
        const subject = callSubject(template.file, fn, roleKeyOf(fn, candidate), action, resource);
        findings.push(
          gap.deniedBy
            ? { messageId: "denied", data: { ...where, role, action, resource, statement: gap.deniedBy }, range: call.range, subject }
            : {
                messageId: "notAllowed",
                data: { ...where, role, action, resource, allowed: allowedText(gap) },
                range: call.range,
                subject,
              },
        );
      }
    }
    return findings;
  }
  for (const workspace of code.workspacesOf(template)) findings.push(...assumedGaps(call, { template, fn }, code, workspace));
  return findings;
}

/** The gaps of a call signed with a role the code assumes, for one function that runs it, in one of its accounts. */
function assumedGaps(
  call: SdkCall,
  { template, fn }: Runner,
  code: HandlerCode,
  workspace: Workspace,
): Array<CodeFinding<SdkCallMessageId>> {
  const findings: Array<CodeFinding<SdkCallMessageId>> = [];
  const assumed = assumedRole(template, fn, call.assumption!, workspace)?.declared;
  if (!assumed) return findings;
  const roleIndex = assumed.template.analysis.iam.roleIndex(assumed.role.logicalId);
  const roleWhere = {
    function: fn.logicalId,
    role: assumed.role.logicalId,
    template: assumed.template.file,
    line: String(assumed.role.node.loc.start.line),
  };
  const signer = { template: assumed.template.analysis.template, logicalId: assumed.role.logicalId };
  const neighbours = code.neighboursOf(template);
  const role = assumedRoleKey(assumed.template.file, assumed.role.logicalId);
  for (const { action, resource, deniedBy, allowed } of sdkCallGapsAs(template.analysis, fn, call, roleIndex, signer, neighbours)) {
    const subject = callSubject(template.file, fn, role, action, resource);
    findings.push(
      deniedBy
        ? { messageId: "assumedDenied", data: { ...roleWhere, action, resource, statement: deniedBy }, range: call.range, subject }
        : {
            messageId: "assumedNotAllowed",
            data: { ...roleWhere, action, resource, allowed: allowedText({ action, allowed }) },
            range: call.range,
            subject,
          },
    );
  }
  return findings;
}

/** A call's gap as the picture draws it: from the function to the role that signs the call. */
function callSubject(
  template: string,
  fn: LambdaFunction,
  role: { key: string; label: string },
  action: string,
  resource: string,
): Subject {
  return { kind: "call", template, function: fn.logicalId, role, needs: `${action} on ${resource}` };
}

/** What a role allows of the service instead, for the message. */
function allowedText(gap: { action: string; allowed: string[] }): string {
  return gap.allowed.length > 0 ? `it allows ${listNames(gap.allowed)}` : `it allows no ${gap.action.split(":")[0]} action`;
}

/** A missing permission of one SDK call, for one role of one function. */
interface SdkCallGap {
  action: string;
  resource: string;
  role: string;
  deniedBy: string | undefined;
  /** Actions of the same service that the role does allow, for the message. */
  allowed: string[];
}

/**
 * The actions of an SDK call that a function's role provably does not allow. The resource is the one
 * the input names when the function's configuration makes it knowable (`TableName:
 * process.env.TABLE_NAME` with `TABLE_NAME: !Ref Orders`); otherwise an unknown resource, so that only a
 * role that grants the action on nothing at all is reported.
 */
function sdkCallGaps(
  analysis: Analysis,
  fn: LambdaFunction,
  candidate: RoleCandidate,
  call: SdkCall,
  neighbours: WorkspaceTemplate[] = [],
): SdkCallGap[] {
  const signer = { template: analysis.template, logicalId: candidate.identity?.logicalId };
  return sdkCallGapsAs(analysis, fn, call, analysis.iam.roleOf(fn, candidate), signer, neighbours);
}

/**
 * The same, for the role that signs the call (`signer`, with its index): the function's own, or one its
 * code assumes. The input resolves through the function's configuration; the decision is the role's
 * identity policies', unless a resource policy of the function's template, or of another that may be of
 * its account (`neighbours`), may allow the role the call.
 */
function sdkCallGapsAs(
  analysis: Analysis,
  fn: LambdaFunction,
  call: SdkCall,
  index: PermissionIndex,
  signer: SigningRole,
  neighbours: WorkspaceTemplate[] = [],
): SdkCallGap[] {
  const roleElsewhere = signer.template !== analysis.template;
  const gaps: SdkCallGap[] = [];
  // A role of another template names its resources in that template's terms: only names written out
  // (and pseudo parameters) compare across templates; anything else is a resource not known there.
  const questions = call.actions.map((action) => {
    const question = { action, ...resourceOf(analysis, fn, call, action) };
    return roleElsewhere && !comparableElsewhere(question.resource) ? { ...question, ...unknownResource(fn) } : question;
  });
  // A target encrypted with a customer managed key also needs the KMS action on that key.
  const kmsActions = call.kmsWhenEncrypted;
  const target = questions[0]?.target;
  const key = kmsActions.length > 0 && target ? customerManagedKey(analysis.template, analysis.iam.values, target) : "none";
  if (key !== "none" && key !== "unknown") {
    const keyId = customerManagedKeyResource(analysis.template, target);
    for (const action of kmsActions) questions.push({ action, resource: key, label: `the KMS key of ${target}`, target: keyId });
  }
  for (const { action, resource, label, target: named } of questions) {
    const decision = index.evaluate(action, resource);
    if (decision.outcome !== "not-granted" && decision.outcome !== "denied") continue;
    // Within one account a resource's own policy that names the role allows the call without the role's
    // policies: one of the function's template, or of another template that may be of its account.
    const question = { service: action.split(":")[0]!, action, resource, target: named, role: signer };
    // A resource of the function's template has its policies there; one named otherwise may be anywhere.
    const allowedByResource =
      resourcePolicyMayAllow(analysis.template, analysis.iam.values, question) ||
      ((named === undefined || !analysis.template.resources.has(named)) &&
        neighbours.some(({ analysis: other }) =>
          resourcePolicyMayAllow(other.template, other.iam.values, { ...question, resource: "*", target: undefined }),
        ));
    if (decision.outcome === "not-granted" && allowedByResource) continue;
    gaps.push({
      action,
      resource: label,
      role: index.permissions.role,
      deniedBy: decision.outcome === "denied" ? describeStatement(decision.statement) : undefined,
      allowed: allowedActions(index.permissions.statements, action.split(":")[0]!),
    });
  }
  return gaps;
}

function allowedActions(
  statements: Array<{ effect: string; notAction: boolean; actions: Array<{ text: string } | { unknown: string }> }>,
  service: string,
): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    if (statement.effect !== "Allow" || statement.notAction) continue;
    for (const action of statement.actions)
      if ("text" in action && action.text.toLowerCase().startsWith(`${service}:`)) names.add(action.text);
  }
  return [...names];
}

/** Symbols that mean the same in every template: pseudo parameters, and the run-time placeholders of a call. */
const PORTABLE_SYMBOL = /^\{(?:Ref:AWS::(?:Partition|Region|AccountId|URLSuffix)|Attribute:[^}]+|Unknown:resource)\}$/u;

function comparableElsewhere(resource: QuestionResource): boolean {
  return resource === "*" || resource.every((part) => "text" in part || PORTABLE_SYMBOL.test(part.symbol));
}
