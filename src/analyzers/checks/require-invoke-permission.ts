import { actionMatcher } from "../iam/arn-pattern.js";
import { entryOf } from "../../template/expr.js";
import { mayAdd } from "../../template/model.js";
import { partsDisplay } from "../../template/interpolation.js";
import type { Analysis } from "../analysis.js";
import type { Finding, Suggestion } from "../finding.js";
import type { PermissionSpec } from "../fixes/add-invoke-permission.js";
import { addDependsOnEdit, addPermissionEdit } from "../fixes/add-invoke-permission.js";
import type { Invoker } from "../wiring/invokers.js";
import type { LambdaPermission } from "../wiring/lambda-permissions.js";
import type { CallerRoleMessageId } from "./support/caller-roles.js";
import { callerRoleFindings } from "./support/caller-roles.js";
import { invokesThroughRole } from "../wiring/invokers.js";
import { describeTarget } from "../wiring/function-references.js";
import type { Workspace } from "../workspace.js";
import type { CrossAccountTargetMessageId } from "./support/cross-account-targets.js";
import { crossAccountTargetFindings } from "./support/cross-account-targets.js";
import { PERMISSION_TYPES, canBeWithout, covers, denies } from "../wiring/permission-coverage.js";

export type InvokePermissionMessageId =
  | CallerRoleMessageId
  | CrossAccountTargetMessageId
  | "missingPermission"
  | "conditionalPermission"
  | "wrongQualifier"
  | "sourceArnMismatch"
  | "sourceAccountMismatch"
  | "deniedByPolicy"
  | "deniedForServices"
  | "allowedOnlyWithoutServices"
  | "incompleteUrlPermissions"
  | "addPermission";

/** Invokers whose ARN a permission can name without a dependency cycle: the resource's own Arn. */
const SOURCE_ARN_BY_GETATT = new Set(["EventBridgeRule", "CognitoUserPoolTriggers"]);

/**
 * A suggestion that adds a permission scoped to the invoker: its ARN where the template can name it
 * without a cycle (a rule, a user pool, an SNS topic), else the stack's account (S3 buckets, whose
 * notification must wait for the permission, and the others).
 */
function permissionSuggestion(analysis: Analysis, invoker: Invoker, hasResourcePolicy: boolean): Suggestion[] {
  // A resource policy would replace an added AWS::Lambda::Permission: its own statements are the place.
  if (invoker.qualifier !== undefined || hasResourcePolicy) return [];
  const fnId = invoker.fn.logicalId;
  const getAtt = (id: string) => ({ yaml: `!GetAtt ${id}.Arn`, json: `{ "Fn::GetAtt": ["${id}", "Arn"] }` });
  const topic = invoker.kind === "SNS" ? snsTopicReference(invoker) : undefined;
  const scope: PermissionSpec["scope"] = SOURCE_ARN_BY_GETATT.has(invoker.kind)
    ? { key: "SourceArn", ...getAtt(invoker.name) }
    : topic
      ? { key: "SourceArn", ...topic }
      : { key: "SourceAccount", yaml: "!Ref AWS::AccountId", json: '{ "Ref": "AWS::AccountId" }' };
  const added = addPermissionEdit(analysis.textStyle, analysis.template, invoker.resource, {
    functionName: getAtt(fnId),
    principal: invoker.facts.principals[0]!,
    scope,
  });
  if (!added) return [];
  // S3 validates the notification's destination when it creates the bucket: the bucket must wait for the permission.
  const dependency = invoker.kind === "S3" ? addDependsOnEdit(analysis.textStyle, invoker.resource, added.name) : undefined;
  if (invoker.kind === "S3" && !dependency) return [];
  return [
    {
      messageId: "addPermission",
      data: { permission: added.name, principal: invoker.facts.principals[0]! },
      edits: dependency ? [dependency, added.edit] : [added.edit],
    },
  ];
}

/** The topic an SNS invoker subscribes to, as a Ref: the topic itself, or a subscription's `TopicArn: !Ref Topic`. */
function snsTopicReference(invoker: Invoker): { yaml: string; json: string } | undefined {
  const topicArn =
    invoker.resource.type === "AWS::SNS::Topic"
      ? invoker.name
      : (() => {
          const expr = entryOf(invoker.resource.properties, "TopicArn");
          return expr?.kind === "ref" ? expr.target : undefined;
        })();
  return topicArn ? { yaml: `!Ref ${topicArn}`, json: `{ "Ref": "${topicArn}" }` } : undefined;
}

/**
 * Every push invoker needs an AWS::Lambda::Permission (or an AWS::Lambda::ResourcePolicy statement) on
 * the same function and qualifier, for lambda:InvokeFunction, with the invoker's principal and a
 * SourceArn that can match it, and no Deny statement that applies. A permission we cannot read (a
 * function, principal or action written with an intrinsic) might be the one: silent.
 */
export function findMissingInvokePermissions(analysis: Analysis, workspace: Workspace): Array<Finding<InvokePermissionMessageId>> {
  // A macro that may rewrite the template may rewrite its rules' targets.
  const acrossAccounts = analysis.template.unexpanded.some((part) => part.rewrites) ? [] : crossAccountTargetFindings(analysis, workspace);
  // An include, loop or module we do not expand may add the permission any invoker needs.
  if (analysis.template.unexpanded.some((part) => mayAdd(part, PERMISSION_TYPES))) return acrossAccounts;
  const permissions = analysis.wiring.permissions;
  const findings: Array<Finding<InvokePermissionMessageId>> = [];
  const connected = connectedFunctions(analysis);
  // Permissions by the function they name; those whose function cannot be read may name any.
  const byFunction = new Map<string, LambdaPermission[]>();
  const unreadable = permissions.filter((permission) => permission.target.kind === "unknown");
  for (const permission of permissions) {
    if (permission.target.kind !== "function") continue;
    const id = permission.target.fn.logicalId;
    byFunction.set(id, [...(byFunction.get(id) ?? []), permission]);
  }
  for (const invoker of analysis.wiring.invokers) {
    // A SAM connector between the invoker and the function creates the permission itself.
    if (connected.has(invoker.fn.logicalId)) continue;
    const candidates = [...(byFunction.get(invoker.fn.logicalId) ?? []), ...unreadable];
    if (invokesThroughRole(invoker)) {
      const roleFindings = callerRoleFindings(analysis, invoker, consequenceOf(invoker)).map((finding) => ({
        ...finding,
        subject: { kind: "invoker" as const, invoker: invoker.name },
      }));
      if (invoker.kind !== "EventBridgeRule") findings.push(...roleFindings);
      // AWS's English EventBridge guide says a Lambda target in the same account takes a resource-based
      // policy, not RoleArn; other editions say either works. So only a target that neither allows is reported.
      else if (
        !candidates.some(
          (permission) =>
            permission.effect === "Allow" && covers(permission, invoker, analysis.iam.values, () => workspace.account).match !== "no",
        )
      )
        findings.push(...roleFindings.map((finding) => ({ ...finding, messageId: `${finding.messageId}NorPermission` as const })));
      continue;
    }
    const denials = candidates
      .filter((permission) => permission.effect === "Deny")
      .map((permission) => ({ permission, applies: denies(permission, invoker, analysis.iam.values) }));
    if (denials.some(({ applies }) => applies === "maybe")) continue;
    const denial = denials.find(({ applies }) => applies === "yes");
    const verdicts = candidates
      .filter((permission) => permission.effect === "Allow")
      .map((permission) => ({ permission, verdict: covers(permission, invoker, analysis.iam.values, () => workspace.account) }));
    const base = {
      invoker: invoker.name,
      function: describeTarget(invoker.fn.logicalId, invoker.qualifier),
      principal: invoker.facts.principals[0]!,
      consequence: consequenceOf(invoker),
    };
    const covering = verdicts.filter(({ verdict }) => verdict.match !== "no").map(({ permission }) => permission);
    if (!denial && covering.length > 0) {
      if (canBeWithout(analysis.template, invoker, covering)) {
        findings.push({
          messageId: "conditionalPermission",
          data: {
            ...base,
            permissions: covering.map((permission) => `${permission.name} (condition ${permission.resource.condition})`).join(", "),
          },
          subject: { kind: "invoker", invoker: invoker.name },
          at: invoker.at,
          related: covering.map(permissionLocation),
        });
      }
      continue;
    }
    const nearMiss =
      verdicts.find(({ verdict }) => verdict.reason === "serviceCondition") ??
      verdicts.find(({ verdict }) => verdict.reason === "qualifier") ??
      verdicts.find(({ verdict }) => verdict.reason === "sourceArn") ??
      verdicts.find(({ verdict }) => verdict.reason === "sourceAccount");
    if (denial) {
      const absentKey = denial.permission.forServices?.key;
      findings.push({
        messageId: absentKey ? "deniedForServices" : "deniedByPolicy",
        data: { ...base, permission: denial.permission.name, ...(absentKey ? { key: absentKey } : {}) },
        subject: { kind: "invoker", invoker: invoker.name },
        at: invoker.at,
        related: [permissionLocation(denial.permission)],
      });
    } else if (nearMiss?.verdict.reason === "serviceCondition") {
      findings.push({
        messageId: "allowedOnlyWithoutServices",
        data: { ...base, permission: nearMiss.permission.name, key: nearMiss.permission.forServices!.key },
        subject: { kind: "invoker", invoker: invoker.name },
        at: invoker.at,
        related: [permissionLocation(nearMiss.permission)],
      });
    } else if (nearMiss?.verdict.reason === "qualifier") {
      const other = nearMiss.permission.target.kind === "function" ? nearMiss.permission.target.qualifier : undefined;
      findings.push({
        messageId: "wrongQualifier",
        data: { ...base, permission: nearMiss.permission.name, permitted: describeTarget(invoker.fn.logicalId, other) },
        subject: { kind: "invoker", invoker: invoker.name },
        at: invoker.at,
        related: [permissionLocation(nearMiss.permission)],
      });
    } else if (nearMiss?.verdict.reason === "sourceArn") {
      findings.push({
        messageId: "sourceArnMismatch",
        data: {
          ...base,
          permission: nearMiss.permission.name,
          sourceArn: invoker.sourceArn ? partsDisplay(invoker.sourceArn) : "the invoker's ARN",
        },
        subject: { kind: "invoker", invoker: invoker.name },
        at: invoker.at,
        related: [permissionLocation(nearMiss.permission)],
      });
    } else if (nearMiss?.verdict.reason === "sourceAccount") {
      findings.push({
        messageId: "sourceAccountMismatch",
        data: {
          ...base,
          permission: nearMiss.permission.name,
          sourceAccount: nearMiss.verdict.accounts!.permitted,
          owner: nearMiss.verdict.accounts!.owner,
          source: invoker.sourceArn ? partsDisplay(invoker.sourceArn) : invoker.name,
        },
        subject: { kind: "invoker", invoker: invoker.name },
        at: invoker.at,
        related: [permissionLocation(nearMiss.permission)],
      });
    } else {
      const hasResourcePolicy = candidates.some((permission) => permission.resource.type === "AWS::Lambda::ResourcePolicy");
      findings.push({
        messageId: "missingPermission",
        data: base,
        subject: { kind: "invoker", invoker: invoker.name },
        at: invoker.at,
        related: [{ at: invoker.fn.resource.node.key, message: `function ${invoker.fn.logicalId}` }],
        suggestions: permissionSuggestion(analysis, invoker, hasResourcePolicy),
      });
    }
  }
  findings.push(...incompletePublicUrls(analysis, permissions), ...acrossAccounts);
  return findings;
}

/**
 * Since October 2025 a new public function URL needs two permissions for Principal "*":
 * lambda:InvokeFunctionUrl with FunctionUrlAuthType NONE, and lambda:InvokeFunction with
 * InvokedViaFunctionUrl true. SAM's FunctionUrlConfig generates both.
 */
function incompletePublicUrls(analysis: Analysis, permissions: LambdaPermission[]): Array<Finding<InvokePermissionMessageId>> {
  const findings: Array<Finding<InvokePermissionMessageId>> = [];
  for (const url of analysis.wiring.publicUrls) {
    if (url.viaSam) continue;
    const forUrl = permissions.filter((permission) => {
      const target = permission.target;
      return (
        target.kind === "unknown" ||
        (target.kind === "function" && target.fn === url.fn && (target.qualifier ?? "") === (url.qualifier ?? ""))
      );
    });
    // One we cannot read whole may be the missing one, unless its principal or action rules it out.
    const mayBePublicInvoke = (permission: LambdaPermission) =>
      (permission.principal === undefined || permission.principal === "*") &&
      (permission.action === undefined ||
        actionMatcher(permission.action).test("lambda:InvokeFunction") ||
        actionMatcher(permission.action).test("lambda:InvokeFunctionUrl"));
    if (
      forUrl.some(
        (permission) =>
          (permission.target.kind === "unknown" || permission.principal === undefined || permission.action === undefined) &&
          mayBePublicInvoke(permission),
      )
    )
      continue;
    // A Deny, a condition we do not model, or a permission a resource policy may replace: cannot tell.
    if (forUrl.some((permission) => permission.effect === "Deny" || permission.otherConditions || permission.replacedBy !== undefined))
      continue;
    const public_ = forUrl.filter((permission) => permission.principal === "*");
    const allows = (permission: LambdaPermission, action: string) => actionMatcher(permission.action!).test(action);
    const urlPermission = public_.some(
      (permission) => allows(permission, "lambda:InvokeFunctionUrl") && permission.functionUrlAuthType === "NONE",
    );
    // InvokedViaFunctionUrl narrows the permission to URL calls; one with no condition at all covers them too
    // (it is over-broad, which invoke-permission-scope reports).
    const invokePermission = public_.some(
      (permission) => allows(permission, "lambda:InvokeFunction") && (permission.invokedViaFunctionUrl || unconditioned(permission)),
    );
    if (urlPermission && invokePermission) continue;
    const missing = [
      urlPermission ? undefined : 'lambda:InvokeFunctionUrl for Principal "*" with FunctionUrlAuthType NONE',
      invokePermission ? undefined : 'lambda:InvokeFunction for Principal "*" with InvokedViaFunctionUrl true',
    ].filter((text): text is string => text !== undefined);
    findings.push({
      messageId: "incompleteUrlPermissions",
      data: { url: url.name, function: describeTarget(url.fn.logicalId, url.qualifier), missing: missing.join(" and ") },
      subject: { kind: "url", url: url.name },
      at: url.at,
      related: [],
    });
  }
  return findings;
}

/** Where a permission (or resource policy statement) is written. */
function permissionLocation(permission: LambdaPermission): Finding["related"][number] {
  return { at: permission.at, message: permission.name };
}

function unconditioned(permission: LambdaPermission): boolean {
  return !permission.sourceArn && !permission.sourceAccount && !permission.principalOrgId && !permission.eventSourceToken;
}

/** Functions at an end of a SAM connector (`AWS::Serverless::Connector` or a resource's `Connectors`). */
function connectedFunctions(analysis: Analysis): Set<string> {
  return new Set(
    analysis.wiring.connectors.flatMap((connector) =>
      connector.endpoints.map((end) => end.id).filter((id): id is string => id !== undefined),
    ),
  );
}

function consequenceOf(invoker: Invoker): string {
  if (invoker.facts.phase === "deploy") return "CloudFormation fails to create it";
  if (invoker.facts.phase === "runtime") return "its invocations fail";
  return "its invocations fail";
}
