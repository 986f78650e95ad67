import type { Expr } from "../../../template/expr.js";
import { entryOf, literalText } from "../../../template/expr.js";
import type { Part } from "../../../template/interpolation.js";
import { partsDisplay } from "../../../template/interpolation.js";
import { withAccount } from "../../../template/arns.js";
import type { Resource } from "../../../template/types.js";
import { mayAdd } from "../../../template/model.js";
import type { Analysis } from "../../analysis.js";
import type { Finding } from "../../finding.js";
import { listNames } from "../../finding.js";
import { actionMatcher, compilePattern, compileValue, matchPattern } from "../../iam/arn-pattern.js";
import { ROLE_ARN, rootAccount } from "../../iam/principals.js";
import { samConnectors } from "../../wiring/connectors.js";
import { FUNCTION_TYPES } from "../../wiring/functions.js";
import type { LambdaPermission } from "../../wiring/lambda-permissions.js";
import { requiredSourceAccount } from "../../wiring/lambda-permissions.js";
import type { InvokerReference } from "../../wiring/invokers.js";
import { stackOutputResource } from "../../stack-outputs.js";
import type { Workspace, WorkspaceTemplate } from "../../workspace.js";

export type CrossAccountTargetMessageId =
  "crossAccountTargetWithoutRole" | "crossAccountTargetNotPermitted" | "crossAccountInvokerNotPermitted";

/** Invokers that call a function of another account as their service principal, with the function's permission (Lambda developer guide, S3 and SNS tutorials). */
const SERVICE_INVOKERS = new Set(["S3", "SNS"]);

/** The resource types that give a function a resource-based permission. */
const PERMISSION_TYPES = ["AWS::Lambda::Permission", "AWS::Lambda::ResourcePolicy"];

/** A function ARN whose account and name are literal: `arn:aws:lambda:us-east-1:111111111111:function:process[:live]`. */
function functionArn(parts: Part[]): { account: string; name: string } | undefined {
  let text = "";
  for (const part of parts) {
    if ("text" in part) text += part.text;
    else if (part.symbol === "{Ref:AWS::Partition}" || part.symbol === "{Ref:AWS::Region}") text += "\u0000";
    else return undefined;
  }
  const match = /^arn:[^:]+:lambda:[^:]*:(\d{12}):function:([\w-]+)(?::[\w$-]+)?$/u.exec(text);
  return match ? { account: match[1]!, name: match[2]! } : undefined;
}

/**
 * Invokers of this template that target a function of another account (by a literal ARN, or an
 * `Fn::GetStackOutput` of its template's `!GetAtt Fn.Arn`, with both accounts known):
 *
 * - An EventBridge rule delivers to a target in another account only with an execution role of the
 *   event bus's account, and calls the function with that role's credentials: the function's resource
 *   policy must admit the role (or its account), not events.amazonaws.com.
 * - An S3 bucket's notification or an SNS subscription calls it as the service principal, with the
 *   bucket's or topic's ARN and the account that owns it: the function's permission for that service
 *   must not require another SourceArn or SourceAccount.
 *
 * The function's side is judged when exactly one template of its account declares it by name and
 * nothing there that is not expanded could add a permission.
 */
export function crossAccountTargetFindings(analysis: Analysis, workspace: Workspace): Array<Finding<CrossAccountTargetMessageId>> {
  const findings: Array<Finding<CrossAccountTargetMessageId>> = [];
  for (const reference of analysis.wiring.invokerReferences) {
    const { kind, resource: invoker, expr } = reference;
    if (invoker.propertiesUnknown || !expr.node || (kind !== "EventBridgeRule" && !SERVICE_INVOKERS.has(kind))) continue;
    if (kind === "EventBridgeRule" && !onOwnBus(analysis, invoker)) continue;
    const located = locateFunction(analysis, expr, workspace);
    // The file's account is looked up only for a function that names an account.
    const account = located && workspace.account;
    if (!located || account === undefined || located.account === account) continue;
    const finding =
      kind === "EventBridgeRule"
        ? eventBridgeFinding(analysis, reference, located, account, workspace)
        : serviceFinding(reference, located, account, workspace);
    if (finding) findings.push(finding);
  }
  return findings;
}

function eventBridgeFinding(
  analysis: Analysis,
  { resource: rule, expr, callerRole: roleExpr }: InvokerReference,
  located: TargetFunction,
  account: string,
  workspace: Workspace,
): Finding<CrossAccountTargetMessageId> | undefined {
  const data = { rule: rule.logicalId, target: located.label, targetAccount: located.account, account };
  if (!roleExpr) return { messageId: "crossAccountTargetWithoutRole", data, at: expr.node, related: [] };
  const caller = callerRole(analysis, roleExpr);
  const side = functionSide(workspace.templatesIn(located.account), located);
  if (!caller || !side) return undefined;
  if (side.permissions.some((permission) => mayAdmit(permission, account, caller))) return undefined;
  const principals = [
    ...new Set(
      side.permissions.flatMap((permission) => (permission.effect === "Allow" && permission.principal ? [permission.principal] : [])),
    ),
  ];
  return {
    messageId: "crossAccountTargetNotPermitted",
    data: {
      ...data,
      ...functionData(side),
      role: caller.label,
      named: principals.length > 0 ? `its permissions name only ${listNames(principals)}` : "it has no permission",
    },
    at: expr.node,
    related: [],
  };
}

function functionData(side: FunctionSide): Record<string, string> {
  return { function: side.fn.logicalId, functionTemplate: side.template.file, functionLine: String(side.fn.node.loc.start.line) };
}

/** A bucket or topic of this account invoking a function of another: its permission for the service must fit the call. */
function serviceFinding(
  { resource: invoker, expr, facts, sourceArn }: InvokerReference,
  located: TargetFunction,
  account: string,
  workspace: Workspace,
): Finding<CrossAccountTargetMessageId> | undefined {
  const side = functionSide(workspace.templatesIn(located.account), located);
  if (!side) return undefined;
  const principal = facts.principals[0]!;
  const source = sourceArn && withAccount(sourceArn, account);
  const reasons: string[] = [];
  for (const permission of side.permissions) {
    const refusal = serviceRefusal(permission, side, principal, source, account);
    if (refusal === undefined) return undefined;
    if (refusal) reasons.push(`${permission.name} ${refusal}`);
  }
  return {
    messageId: "crossAccountInvokerNotPermitted",
    data: {
      invoker: invoker.logicalId,
      account,
      principal,
      targetAccount: located.account,
      ...functionData(side),
      named: reasons.length > 0 ? listNames(reasons) : "it has no permission",
      consequence: facts.effect,
    },
    at: expr.node,
    related: [],
  };
}

/**
 * Why a permission provably does not let the service invoke the function for this source (empty when
 * it is a Deny, which allows nothing), or undefined when it may.
 */
function serviceRefusal(
  permission: LambdaPermission,
  side: FunctionSide,
  principal: string,
  source: Part[] | undefined,
  sourceOwner: string,
): string | undefined {
  if (permission.effect !== "Allow") return "";
  if (permission.action !== undefined && !actionMatcher(permission.action).test("lambda:InvokeFunction"))
    return `allows ${permission.action}`;
  if (permission.principal === undefined || permission.principal === "*" || permission.otherConditions) return undefined;
  if (permission.principal !== principal) return `admits ${permission.principal}`;
  // SAM writes its permissions' SourceArn and SourceAccount itself: not modelled closely enough to judge.
  if (permission.viaSam) return undefined;
  const values = side.template.analysis.values;
  const requiredAccount = requiredSourceAccount(permission, values, () => side.account);
  if (requiredAccount !== undefined && requiredAccount !== sourceOwner) return `requires SourceAccount ${requiredAccount}`;
  const sourceArn = permission.sourceArn && values.parts(permission.sourceArn);
  if (sourceArn && source && matchPattern(compilePattern(withAccount(sourceArn, side.account)), compileValue(source)) === "no") {
    return `requires SourceArn ${partsDisplay(sourceArn)}`;
  }
  return undefined;
}

/** Whether a rule is on an event bus of this template's account: the default bus, a bus named, or one of the template. */
function onOwnBus(analysis: Analysis, rule: Resource): boolean {
  const bus = entryOf(rule.properties, "EventBusName");
  if (!bus) return true;
  const text = literalText(bus);
  if (text !== undefined) return !text.startsWith("arn:");
  const id = bus.kind === "ref" ? bus.target : bus.kind === "getatt" ? bus.resource : undefined;
  return id !== undefined && analysis.template.resources.get(id)?.type === "AWS::Events::EventBus";
}

/** The role a target invokes with, when its name is known or the ARN is written out: how to match it, and its label. */
interface CallerRole {
  label: string;
  /** The role's path and name (`service/Forwarder`), when known. */
  pathAndName: string | undefined;
}

function callerRole(analysis: Analysis, roleExpr: Expr): CallerRole | undefined {
  if (roleExpr.kind === "getatt" && roleExpr.attribute === "Arn") {
    const role = analysis.template.resources.get(roleExpr.resource);
    if (role?.type !== "AWS::IAM::Role") return undefined;
    const name = literalText(entryOf(role.properties, "RoleName"));
    const path = entryOf(role.properties, "Path") === undefined ? "/" : literalText(entryOf(role.properties, "Path"));
    return { label: role.logicalId, pathAndName: name !== undefined && path !== undefined ? `${path.slice(1)}${name}` : undefined };
  }
  const text = literalText(roleExpr);
  const match = text === undefined ? null : ROLE_ARN.exec(text);
  return match ? { label: text!, pathAndName: match[2] } : undefined;
}

/** A function of another template that a rule targets: by a literal ARN (its account and name), or by `Fn::GetStackOutput`. */
interface TargetFunction {
  account: string;
  label: string;
  name: string | undefined;
  declared: { template: WorkspaceTemplate; fn: Resource } | undefined;
}

function locateFunction(analysis: Analysis, arnExpr: Expr, workspace: Workspace): TargetFunction | undefined {
  const output = stackOutputResource(workspace, arnExpr);
  if (output) {
    const { account, template, resource, attribute } = output;
    if (!FUNCTION_TYPES.has(resource.type) || attribute !== "Arn") return undefined;
    const name = literalText(entryOf(resource.properties, "FunctionName"));
    return { account, label: `${resource.logicalId} (${template.file})`, name, declared: { template, fn: resource } };
  }
  const parts = analysis.values.parts(arnExpr);
  const arn = parts && functionArn(parts);
  return arn && parts ? { account: arn.account, label: partsDisplay(parts), name: arn.name, declared: undefined } : undefined;
}

/** The function in the other account's templates (the one of that name), and every permission that may be on it. */
interface FunctionSide {
  template: WorkspaceTemplate;
  /** The account it deploys to, what its `${AWS::AccountId}` is. */
  account: string;
  fn: Resource;
  permissions: LambdaPermission[];
}

function functionSide(templates: WorkspaceTemplate[] | undefined, target: TargetFunction): FunctionSide | undefined {
  if (
    !templates ||
    templates.some(
      ({ analysis }) =>
        analysis.template.unexpanded.some((part) => mayAdd(part, PERMISSION_TYPES)) || samConnectors(analysis.template).length > 0,
    )
  )
    return undefined;
  const declarations = target.declared
    ? [target.declared]
    : templates.flatMap((template) =>
        [...template.analysis.template.resources.values()]
          .filter(
            (resource) => FUNCTION_TYPES.has(resource.type) && literalText(entryOf(resource.properties, "FunctionName")) === target.name,
          )
          .map((fn) => ({ template, fn })),
      );
  if (declarations.length !== 1 || declarations[0]!.fn.propertiesUnknown) return undefined;
  const { template, fn } = declarations[0]!;
  const permissions = templates.flatMap((other) =>
    other.analysis.wiring.permissions.filter((permission) =>
      other.file === template.file
        ? permission.target.kind === "unknown" || (permission.target.kind === "function" && permission.target.fn.logicalId === fn.logicalId)
        : mayName(other, permission, target.name),
    ),
  );
  return { template, account: target.account, fn, permissions };
}

/** Whether a permission of another template than the function's may be on it: it names it by name or ARN, or cannot be read. */
function mayName(template: WorkspaceTemplate, permission: LambdaPermission, name: string | undefined): boolean {
  const property = permission.resource.type === "AWS::Lambda::Permission" ? "FunctionName" : "ResourceArn";
  const value = entryOf(permission.resource.properties, property);
  const id = value?.kind === "ref" ? value.target : value?.kind === "getatt" ? value.resource : undefined;
  if (id !== undefined && template.analysis.template.resources.has(id)) return false;
  const text = literalText(value);
  // A literal cannot be told apart from a name that CloudFormation generates.
  if (text === undefined || name === undefined) return true;
  return text === name || new RegExp(`(?:^|:)function:${name}(?::[^:]+)?$`, "u").test(text);
}

/**
 * Whether a permission may let the caller role (of `account`) invoke the function. Only a permission
 * that provably names another action or another principal (a service, another account, another role)
 * does not; a condition on the call (SourceArn, SourceAccount, an organization) is not judged.
 */
function mayAdmit(permission: LambdaPermission, account: string, caller: CallerRole): boolean {
  if (permission.action !== undefined && !actionMatcher(permission.action).test("lambda:InvokeFunction")) return false;
  const principal = permission.principal;
  if (principal === undefined || principal === "*") return true;
  const root = rootAccount(principal);
  if (root !== undefined) return root === account;
  const role = ROLE_ARN.exec(principal);
  if (role) return role[1] === account && (caller.pathAndName === undefined || role[2] === caller.pathAndName);
  if (principal.endsWith(".amazonaws.com") || principal.endsWith(".amazonaws.com.cn")) return false;
  // Another principal of that account (an assumed-role session) may be the role's.
  return principal.includes(`:${account}:`);
}
