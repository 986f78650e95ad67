import type { RoleArn } from "../analyzers/checks/cross-account-access.js";
import { declaredRole, roleArnOf } from "../analyzers/checks/cross-account-access.js";
import { inputExpr } from "../analyzers/checks/sdk-call-permissions.js";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import { entryOf, literalText } from "../template/expr.js";
import type { Part } from "../template/interpolation.js";
import type { Resource } from "../template/types.js";
import type { AccountMap } from "./accounts.js";
import { accountOf, stackTemplate, templatesInAccount } from "./accounts.js";
import { stackOutputResource } from "../analyzers/stack-outputs.js";
import { pseudoParameter } from "../template/arns.js";
import type { Expr } from "../template/expr.js";
import type { RoleAssumption } from "./sdk-usage.js";
import type { LoadedTemplate, ProjectFiles } from "./project-files.js";

/** The role a function's code assumes, as far as the templates show it. */
export interface AssumedRole {
  /** The role's ARN, when its account and name are written out. */
  arn: RoleArn | undefined;
  /** How the code names it, for messages: the ARN, or the environment value it comes from. */
  label: string;
  /** Its ARN in the function's template's normal form, for the execution role's policy. */
  parts: Part[];
  /** The role's declaration and its template, when exactly one known template declares it. */
  declared: { template: LoadedTemplate; role: Resource } | undefined;
}

/**
 * The role an assumption names through the function's configuration: `!GetAtt Writer.Arn` of the
 * function's own template, or an ARN whose role a template of that account declares (by
 * `settings["lambda-iam"].accounts`). Two templates declaring it leave the declaration unknown.
 */
export function assumedRole(
  template: LoadedTemplate,
  fn: LambdaFunction,
  assumption: RoleAssumption,
  accounts: AccountMap | undefined,
  files: ProjectFiles,
): AssumedRole | undefined {
  const written = inputExpr(fn, assumption.input.get("RoleArn"));
  const parts = written && template.analysis.iam.values.parts(written.expr);
  if (!written || !parts) return undefined;
  if (written.expr.kind === "call" && written.expr.name === "Fn::ImportValue") {
    return {
      arn: undefined,
      label: written.label,
      parts,
      declared: exportedRole(template, literalText(written.expr.argument), accounts, files),
    };
  }
  if (written.expr.kind === "call" && written.expr.name === "Fn::GetStackOutput") {
    const lookup = {
      account: accountOf(accounts, files, template.file),
      stack: (account: string, stackName: string) => stackTemplate(accounts, files, account, stackName, template.file),
    };
    const output = stackOutputResource(lookup, written.expr);
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
  const own = accountOf(accounts, files, template.file);
  const inAccount = otherTemplatesInAccount(template, accounts, files, arn.account);
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
function exportedRole(
  template: LoadedTemplate,
  name: string | undefined,
  accounts: AccountMap | undefined,
  files: ProjectFiles,
): AssumedRole["declared"] {
  const own = accountOf(accounts, files, template.file);
  const others = own === undefined ? undefined : otherTemplatesInAccount(template, accounts, files, own);
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

/**
 * The templates of an account other than the function's own: the accounts setting's, and its CDK
 * assembly's stacks; undefined when one of them cannot be read.
 */
function otherTemplatesInAccount(
  template: LoadedTemplate,
  accounts: AccountMap | undefined,
  files: ProjectFiles,
  account: string,
): LoadedTemplate[] | undefined {
  return templatesInAccount(accounts, files, account, template.file)?.filter((other) => other.file !== template.file);
}
