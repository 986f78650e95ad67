import type { RoleArn } from "../analyzers/checks/cross-account-access.js";
import { declaredRole, roleArnOf } from "../analyzers/checks/cross-account-access.js";
import { inputExpr } from "../analyzers/checks/sdk-call-permissions.js";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import type { Part } from "../template/interpolation.js";
import type { Resource } from "../template/types.js";
import type { AccountMap } from "./accounts.js";
import { accountOf, templatesInAccount } from "./accounts.js";
import type { RoleAssumption } from "./sdk-usage.js";
import type { LoadedTemplate } from "./template-cache.js";

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
  cwd: string,
): AssumedRole | undefined {
  const written = inputExpr(fn, assumption.input.get("RoleArn"));
  const parts = written && template.analysis.iam.values.parts(written.expr);
  if (!written || !parts) return undefined;
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
  const own = accountOf(accounts, cwd, template.file);
  const candidates =
    arn.account === own
      ? [template, ...templatesInAccount(accounts, cwd, arn.account).filter((other) => other.file !== template.file)]
      : templatesInAccount(accounts, cwd, arn.account);
  const declarations = candidates.flatMap((other) => {
    const role = declaredRole(other.analysis, arn);
    return role ? [{ template: other, role }] : [];
  });
  return { arn, label, parts, declared: declarations.length === 1 ? declarations[0] : undefined };
}
