import type { Expr } from "../../../template/expr.js";
import { entryOf, literalText } from "../../../template/expr.js";
import { pseudoParameter } from "../../../template/arns.js";
import type { Part } from "../../../template/interpolation.js";
import type { Resource } from "../../../template/types.js";
import type { RoleAssumption } from "../../sdk/calls.js";
import { inputExpr } from "../../sdk/input-values.js";
import { stackOutputResource } from "../../stack-outputs.js";
import type { LambdaFunction } from "../../wiring/functions.js";
import type { Workspace, WorkspaceTemplate } from "../../workspace.js";
import type { RoleArn } from "./role-arns.js";
import { declaredRole, roleArnOf } from "./role-arns.js";

/** The role a function's code assumes, as far as the templates show it. */
export interface AssumedRole {
  /** The role's ARN, when its account and name are written out. */
  arn: RoleArn | undefined;
  /** How the code names it, for messages: the ARN, or the environment value it comes from. */
  label: string;
  /** Its ARN in the function's template's normal form, for the execution role's policy. */
  parts: Part[];
  /** The role's declaration and its template, when exactly one known template declares it. */
  declared: { template: WorkspaceTemplate; role: Resource } | undefined;
}

/**
 * The role an assumption names through the function's configuration: `!GetAtt Writer.Arn` of the
 * function's own template, or an ARN whose role a template of that account declares (by
 * the workspace). Two templates declaring it leave the declaration unknown.
 */
export function assumedRole(
  template: WorkspaceTemplate,
  fn: LambdaFunction,
  assumption: RoleAssumption,
  workspace: Workspace,
): AssumedRole | undefined {
  const written = inputExpr(fn, assumption.input.get("RoleArn"));
  const parts = written && template.analysis.iam.values.parts(written.expr);
  if (!written || !parts) return undefined;
  if (written.expr.kind === "call" && written.expr.name === "Fn::ImportValue") {
    return {
      arn: undefined,
      label: written.label,
      parts,
      declared: exportedRole(template, literalText(written.expr.argument), workspace),
    };
  }
  if (written.expr.kind === "call" && written.expr.name === "Fn::GetStackOutput") {
    const output = stackOutputResource(workspace, written.expr);
    const role = output?.resource.type === "AWS::IAM::Role" && output.attribute === "Arn" ? output : undefined;
    const arn = role && namedRoleArn(role.resource, role.account);
    return {
      arn,
      label: arn?.text ?? written.label,
      parts: arn ? arnParts(arn, written.expr) : parts,
      declared: role && { template: role.template, role: role.resource },
    };
  }
  const arn = roleArnOf(parts);
  const label = arn?.text ?? written.label;
  const expr = written.expr;
  if (
    expr.kind === "getatt" &&
    expr.attribute === "Arn" &&
    template.analysis.template.resources.get(expr.resource)?.type === "AWS::IAM::Role"
  ) {
    return { arn, label, parts, declared: { template, role: template.analysis.template.resources.get(expr.resource)! } };
  }
  if (!arn) return { arn, label, parts, declared: undefined };
  // A role of the function's own account may be in its own template; another account's, in that account's.
  const own = workspace.account;
  const inAccount = workspace.templatesIn(arn.account);
  // A template of that account that cannot be read may declare the role too.
  if (!inAccount) return { arn, label, parts, declared: undefined };
  const candidates = arn.account === own ? [template, ...inAccount] : inAccount;
  const declarations = candidates.flatMap((other) => {
    const role = declaredRole(other.analysis, arn);
    return role ? [{ template: other, role }] : [];
  });
  return { arn, label, parts, declared: declarations.length === 1 ? declarations[0] : undefined };
}

/** The ARN of a role of an account whose `RoleName` (and `Path`) the template gives as literals. */
function namedRoleArn(role: Resource, account: string): RoleArn | undefined {
  const name = literalText(entryOf(role.properties, "RoleName"));
  const path = entryOf(role.properties, "Path") === undefined ? "/" : literalText(entryOf(role.properties, "Path"));
  if (name === undefined || path === undefined) return undefined;
  const pathAndName = `${path.slice(1)}${name}`;
  return { text: `arn:\${AWS::Partition}:iam::${account}:role/${pathAndName}`, account, pathAndName };
}

/** The parts of such an ARN, its partition the stack's own (a stack output cannot cross partitions). */
function arnParts(arn: RoleArn, at: Expr): Part[] {
  return [{ text: "arn:" }, pseudoParameter("AWS::Partition", at.node!), { text: `:iam::${arn.account}:role/${arn.pathAndName}` }];
}

/**
 * The role a template of the function's own account exports under a name (`Fn::ImportValue` reads
 * exports of the same account and Region only): an output whose `Export.Name` is that name and whose
 * `Value` is `!GetAtt Role.Arn`. Two templates exporting it leave it unknown.
 */
function exportedRole(template: WorkspaceTemplate, name: string | undefined, workspace: Workspace): AssumedRole["declared"] {
  const own = workspace.account;
  const others = own === undefined ? undefined : workspace.templatesIn(own);
  if (name === undefined || !others) return undefined;
  const exporters = [template, ...others].flatMap((other) => {
    const outputs = other.analysis.template.outputs;
    if (outputs?.kind !== "object") return [];
    return [...outputs.entries.values()].flatMap(({ value: output }) => {
      if (literalText(entryOf(entryOf(output, "Export"), "Name")) !== name) return [];
      const value = entryOf(output, "Value");
      const role =
        value?.kind === "getatt" && value.attribute === "Arn" ? other.analysis.template.resources.get(value.resource) : undefined;
      return [role?.type === "AWS::IAM::Role" ? { template: other, role } : undefined];
    });
  });
  return exporters.length === 1 ? exporters[0] : undefined;
}
