import type { ObjectEntry } from "../../../template/expr.js";
import { entryOf } from "../../../template/expr.js";
import type { Part } from "../../../template/interpolation.js";
import { partsDisplay, partsText } from "../../../template/interpolation.js";
import type { Analysis } from "../../analysis.js";
import type { LambdaFunction } from "../../wiring/functions.js";
import { ROLE_ARN } from "../../iam/principals.js";

/** A role ARN as a function's environment gives it. */
export interface EnvironmentRole {
  /** The variable that holds it. */
  variable: string;
  entry: ObjectEntry;
  /** How a message shows the ARN: `arn:aws:iam::222222222222:role/Writer`, `arn:${AWS::Partition}:iam::...`. */
  display: string;
  /** Equal for two values that are provably the same ARN. */
  key: string;
}

/** Resources whose attributes may be any string another stack or a user chose, a role's ARN among them. */
const ANY_STRING_TYPES = new Set([
  "AWS::CloudFormation::CustomResource",
  "AWS::CloudFormation::Stack",
  "AWS::Serverless::Application",
  "AWS::SSM::Parameter",
]);

/**
 * The role ARNs a function's environment holds, when every variable can be read and told apart from
 * one: a literal, a pseudo parameter, or an attribute of an AWS resource of this template other than a
 * role's ARN. A parameter, an import, a stack output, an SSM reference, a custom resource's or a nested
 * stack's attribute may hold a role's ARN: then the answer is undefined.
 */
export function environmentRoles(analysis: Analysis, fn: LambdaFunction): EnvironmentRole[] | undefined {
  if (fn.resource.propertiesUnknown) return undefined;
  const variables = entryOf(entryOf(fn.resource.properties, "Environment"), "Variables");
  if (variables === undefined) return [];
  if (variables.kind !== "object") return undefined;
  const roles: EnvironmentRole[] = [];
  for (const [variable, entry] of variables.entries) {
    const parts = analysis.values.parts(entry.value);
    if (!parts) return undefined;
    const display = partsDisplay(parts);
    if (ROLE_ARN.test(display)) roles.push({ variable, entry, display, key: partsText(parts) });
    else if (!parts.every((part) => notRoleArn(analysis, part))) return undefined;
  }
  return roles;
}

/** Whether a part of a value that does not read as a role ARN provably holds none. */
function notRoleArn(analysis: Analysis, part: Part): boolean {
  if ("text" in part) return !part.text.includes("{{resolve:");
  const { expr } = part;
  if (expr.kind === "ref" && expr.target.startsWith("AWS::")) return true;
  if (expr.kind !== "ref" && expr.kind !== "getatt") return false;
  const type = analysis.template.resources.get(expr.kind === "ref" ? expr.target : expr.resource)?.type;
  if (type === undefined || !type.startsWith("AWS::") || type.endsWith("::MODULE") || ANY_STRING_TYPES.has(type)) return false;
  return !(type === "AWS::IAM::Role" && expr.kind === "getatt" && expr.attribute === "Arn");
}
