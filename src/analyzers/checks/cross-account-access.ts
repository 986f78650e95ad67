import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import type { Resource } from "../../template/types.js";
import type { Analysis } from "../analysis.js";
import type { Subject } from "../finding.js";
import { listNames } from "../finding.js";
import type { Caller } from "../iam/caller-match.js";
import { conditionMatch, principalMatch } from "../iam/caller-match.js";
import { describeStatement } from "../iam/evaluate.js";
import { assumesRole } from "../iam/principals.js";
import type { InputValue, RoleAssumption, SdkCall } from "../sdk/calls.js";
import type { CodeFinding, HandlerCode, Runner } from "../sdk/handler-code.js";
import { aboutFunction } from "../sdk/handler-code.js";
import { inputExpr } from "../sdk/input-values.js";
import { resourceInputOf } from "../sdk/resource-inputs.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import { assumedRoleKey, roleKeyOf } from "../wiring/functions.js";
import type { Workspace } from "../workspace.js";
import { assumedRole } from "./support/assumed-roles.js";
import type { CrossAccountResource, ResourceKindName } from "./support/cross-account-sources.js";
import { crossAccountResource, keyPolicyRefusal, policiesRefuse } from "./support/cross-account-sources.js";
import { declaredRoleName } from "./support/role-arns.js";

export type CrossAccountMessageId =
  | "roleChaining"
  | "assumeNotAllowed"
  | "assumeDenied"
  | "notTrusted"
  | "externalIdMismatch"
  | "noResourcePolicy"
  | "refusedByResourcePolicy"
  | "refusedByKeyPolicy";

/** The longest session of a role assumed with role credentials (role chaining), in seconds. */
const ROLE_CHAINING_LIMIT = 3600;

/**
 * A handler's paths into other accounts that cannot work, for the roles it assumes and the calls its
 * execution role signs (an AssumeRole or a call signed with other credentials is no concern of the
 * execution role's): role chaining past an hour, an AssumeRole the execution role may not make or the
 * target's trust does not admit, a call another account's resource policy refuses.
 */
export function findCrossAccountGaps(code: HandlerCode): Array<CodeFinding<CrossAccountMessageId>> {
  const findings: Array<CodeFinding<CrossAccountMessageId>> = [];
  if (!code.isRun) return findings;
  for (const call of code.usage.calls) {
    if (call.credentials !== "execution-role") continue;
    for (const runner of code.runnersAt(call.range[0]))
      for (const workspace of code.workspacesOf(runner.template))
        findings.push(...aboutFunction(runner.fn, refusedCall(call, runner, workspace)));
  }
  for (const assumption of code.usage.assumptions) {
    if (assumption.credentials !== "execution-role") continue;
    const running = code.runnersAt(assumption.range[0]);
    if (running.length === 0) continue;
    const duration = assumption.input.get("DurationSeconds");
    if (duration?.kind === "literal" && /^\d+$/u.test(duration.text) && Number(duration.text) > ROLE_CHAINING_LIMIT) {
      findings.push({
        messageId: "roleChaining",
        data: { seconds: duration.text, function: running[0]!.fn.logicalId },
        range: assumption.range,
      });
    }
    for (const runner of running)
      for (const workspace of code.workspacesOf(runner.template))
        findings.push(...aboutFunction(runner.fn, assumptionGaps(assumption, runner, workspace)));
  }
  return findings;
}

/** An AssumeRole the execution role signs that its own policy or the target role's trust refuses. */
function assumptionGaps(
  assumption: RoleAssumption,
  { template, fn }: Runner,
  workspace: Workspace,
): Array<CodeFinding<CrossAccountMessageId>> {
  const findings: Array<CodeFinding<CrossAccountMessageId>> = [];
  const { analysis } = template;
  const where = { function: fn.logicalId, template: template.file, line: String(fn.resource.node.loc.start.line) };
  const value = assumption.input.get("RoleArn");
  const assumed = assumedRole(template, fn, assumption, workspace);
  if (!assumed) return findings;
  const { arn, parts } = assumed;
  const target = assumed.label;
  const account = workspace.account;
  const assumedKey = assumed.declared
    ? assumedRoleKey(assumed.declared.template.file, assumed.declared.role.logicalId)
    : { key: `assumed-role:${target}`, label: `${target} (assumed)` };
  const subject: Subject = { kind: "call", template: template.file, function: fn.logicalId, role: assumedKey, needs: "sts:AssumeRole" };
  for (const candidate of fn.candidates) {
    const grant = assumeRoleGrant(analysis, fn, candidate, parts);
    if (grant.outcome === "denied") {
      findings.push({
        messageId: "assumeDenied",
        data: { ...where, role: grant.role, target, statement: grant.statement },
        range: assumption.range,
        subject,
      });
      continue;
    }
    // Within one account a trust policy that names the role may suffice alone; across accounts both sides must allow.
    if (!arn || account === undefined || arn.account === account) continue;
    const role = analysis.iam.roleOf(fn, candidate).permissions.role;
    const sides = { ...where, role, account, target, targetAccount: arn.account };
    if (grant.outcome === "not-granted") {
      const source = value?.kind === "env" ? ` (from ${value.name})` : "";
      findings.push({ messageId: "assumeNotAllowed", data: { ...sides, source }, range: assumption.range, subject });
      continue;
    }
    const caller: Caller = {
      account,
      ...declaredRoleName(analysis, candidate),
      externalId: externalIdOf(fn, assumption.input.get("ExternalId")),
    };
    if (!assumed.declared) continue;
    const { template: other, role: targetRole } = assumed.declared;
    const answer = trustAnswer(targetRole, arn.account, caller);
    const theirs = { targetRole: targetRole.logicalId, targetTemplate: other.file, targetLine: String(targetRole.node.loc.start.line) };
    if (answer.outcome === "not-trusted") {
      findings.push({
        messageId: "notTrusted",
        data: { ...sides, ...theirs, principals: listNames(answer.principals) || "no principal" },
        range: assumption.range,
        subject,
      });
    } else if (answer.outcome === "external-id") {
      const sent = typeof caller.externalId === "object" ? `"${caller.externalId.text}"` : "no ExternalId";
      findings.push({
        messageId: "externalIdMismatch",
        data: { ...theirs, expected: answer.expected.map((text) => `"${text}"`).join(" or "), sent },
        range: assumption.range,
        subject,
      });
    }
  }
  return findings;
}

function externalIdOf(fn: LambdaFunction, external: InputValue | undefined): Caller["externalId"] {
  if (external === undefined) return "none";
  const text = literalText(inputExpr(fn, external)?.expr);
  return text === undefined ? "unknown" : { text };
}

/** A call the execution role signs on a resource of another account whose policy there refuses it. */
function refusedCall(call: SdkCall, { template, fn }: Runner, workspace: Workspace): Array<CodeFinding<CrossAccountMessageId>> {
  return fn.candidates.flatMap((candidate): Array<CodeFinding<CrossAccountMessageId>> => {
    const target = crossAccountTarget(template.analysis, fn, candidate, call, workspace);
    if (!target) return [];
    const { resource, caller } = target;
    const { template: other, resource: declared } = resource.declared;
    const role = template.analysis.iam.roleOf(fn, candidate).permissions.role;
    // Who calls what, on which resource of which account: the part every refusal names.
    const sides = (actions: string) => ({
      function: fn.logicalId,
      account: workspace.account!,
      actions,
      role,
      kind: resource.label,
      resource: declared.logicalId,
      targetTemplate: other.file,
      targetLine: String(declared.node.loc.start.line),
      targetAccount: resource.account,
    });
    const actions = call.actions.filter((action) => policiesRefuse(resource, action, caller));
    const subject = (needs: string, on: string): Subject => ({
      kind: "call",
      template: template.file,
      function: fn.logicalId,
      role: roleKeyOf(fn, candidate),
      needs: `${needs} on ${on} of account ${resource.account}`,
    });
    // The resource's policy allows the call; the key that encrypts it must admit the caller too.
    const key = actions.length === 0 ? keyPolicyRefusal(resource, call.kmsWhenEncrypted, caller) : undefined;
    if (key) {
      return [
        {
          messageId: "refusedByKeyPolicy",
          data: {
            ...sides(listNames(call.actions)),
            key: key.key.logicalId,
            keyLine: String(key.key.node.loc.start.line),
            keyActions: listNames(key.actions),
          },
          range: call.range,
          subject: subject(listNames(key.actions), key.key.logicalId),
        },
      ];
    }
    if (actions.length === 0) return [];
    // A policy the resource holds itself is shown by where it is written, a policy resource by its name.
    const policies = resource.policies.map(({ template: holder, resource: policy, document }) =>
      policy === declared
        ? `at ${holder.file}:${(document ?? policy).node.loc.start.line}`
        : `${policy.logicalId} (${holder.file}:${policy.node.loc.start.line})`,
    );
    return [
      {
        messageId: policies.length === 0 ? "noResourcePolicy" : "refusedByResourcePolicy",
        data: {
          ...sides(listNames(actions)),
          policyKind: resource.policyLabel,
          policies: listNames(policies),
        },
        range: call.range,
        subject: subject(listNames(actions), declared.logicalId),
      },
    ];
  });
}

/** What a function's execution role says to `sts:AssumeRole` on a role: nothing to report, not granted, or denied by a statement. */
type AssumeGrant =
  { outcome: "allowed-or-unknown" } | { outcome: "not-granted"; role: string } | { outcome: "denied"; role: string; statement: string };

function assumeRoleGrant(analysis: Analysis, fn: LambdaFunction, candidate: RoleCandidate, target: Part[]): AssumeGrant {
  const index = analysis.iam.roleOf(fn, candidate);
  const decision = index.evaluate("sts:AssumeRole", target);
  if (decision.outcome === "denied")
    return { outcome: "denied", role: index.permissions.role, statement: describeStatement(decision.statement) };
  if (decision.outcome === "not-granted") return { outcome: "not-granted", role: index.permissions.role };
  return { outcome: "allowed-or-unknown" };
}

/** What a role's trust policy says to a caller of another account. */
type TrustAnswer =
  { outcome: "admitted" | "unknown" } | { outcome: "not-trusted"; principals: string[] } | { outcome: "external-id"; expected: string[] };

/**
 * Whether a role's trust policy (in an account other than the caller's) admits the caller: an
 * `Allow` of `sts:AssumeRole` to the caller's account root or to its role's ARN, whose conditions
 * the call meets. A condition on any key but `sts:ExternalId`, a `Deny`, a `NotPrincipal` or
 * anything unreadable leaves the answer unknown.
 */
function trustAnswer(role: Resource, trustingAccount: string, caller: Caller): TrustAnswer {
  const document = entryOf(role.properties, "AssumeRolePolicyDocument");
  const statements = entryOf(document, "Statement");
  if (!statements || (statements.kind !== "list" && statements.kind !== "object")) return { outcome: "unknown" };
  const principals: string[] = [];
  const expected: string[] = [];
  let unknown = false;
  for (const statement of listItems(statements)) {
    const effect = literalText(entryOf(statement, "Effect"));
    if (effect !== "Allow" || entryOf(statement, "NotPrincipal") || entryOf(statement, "NotAction")) return { outcome: "unknown" };
    const assumes = assumesRole(statement);
    if (assumes === "unreadable") unknown = true;
    if (assumes !== true) continue;
    const named: string[] = [];
    const match = principalMatch(entryOf(statement, "Principal"), trustingAccount, caller, named);
    if (match === "no") {
      principals.push(...named);
      continue;
    }
    const condition = conditionMatch(entryOf(statement, "Condition"), caller);
    if (match === "yes" && condition.answer === "yes") return { outcome: "admitted" };
    if (match === "maybe" || condition.answer === "maybe") unknown = true;
    else if (condition.principalArns.length > 0)
      principals.push(...named.map((text) => `${text} with aws:PrincipalArn ${condition.principalArns.join(" or ")}`));
    else expected.push(...condition.externalIds);
  }
  if (unknown) return { outcome: "unknown" };
  if (expected.length > 0) return { outcome: "external-id", expected };
  return { outcome: "not-trusted", principals };
}

/** The services whose resources a call may use across accounts through the resource's own policy, as this linter reads them. */
const RESOURCE_POLICY_SERVICES: Record<string, ResourceKindName> = { dynamodb: "DynamoDB", sns: "SNS", sqs: "SQS" };

/**
 * Across accounts a call is allowed only when the resource's own policy allows the caller as well as
 * the caller's role does (and the key that encrypts it, its key policy). For a call the execution role
 * signs on a DynamoDB table (by its ARN: a name is looked up in the caller's own account), an SNS topic
 * or an SQS queue (by its URL) that a template of another account declares: that resource, and the
 * caller as its policies see it. A query of an index is not judged.
 */
function crossAccountTarget(
  analysis: Analysis,
  fn: LambdaFunction,
  candidate: RoleCandidate,
  call: SdkCall,
  workspace: Workspace,
): { resource: CrossAccountResource; caller: Caller } | undefined {
  // A macro may rewrite the function's configuration, and with it the resource the call names.
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return undefined;
  const kind = RESOURCE_POLICY_SERVICES[call.service];
  const inputs = resourceInputOf(call.service);
  if (!kind || !inputs || (inputs.indexInput && call.input.has(inputs.indexInput))) return undefined;
  const reference = inputExpr(fn, call.input.get(inputs.resourceInput))?.expr;
  const resource = reference && crossAccountResource(kind, reference, analysis, workspace);
  if (!resource) return undefined;
  return { resource, caller: { account: workspace.account!, ...declaredRoleName(analysis, candidate), externalId: "none" } };
}
