import { entryOf, literalText } from "../../../template/expr.js";
import type { Part } from "../../../template/interpolation.js";
import type { Resource } from "../../../template/types.js";
import type { Analysis } from "../../analysis.js";
import { ROLE_ARN } from "../../iam/principals.js";
import type { RoleCandidate } from "../../wiring/functions.js";

/** A role ARN whose account and name the template states: `arn:aws:iam::222222222222:role/Writer`. */
export interface RoleArn {
  text: string;
  account: string;
  /** The path and name after `role/`: `Writer`, `service/Writer`. */
  pathAndName: string;
}

/** The role ARN that parts spell, when its account and name are literal (the partition may be `${AWS::Partition}`). */
export function roleArnOf(parts: Part[]): RoleArn | undefined {
  let text = "";
  for (const part of parts) {
    if ("text" in part) text += part.text;
    else if (part.symbol === "{Ref:AWS::Partition}") text += "${AWS::Partition}";
    else return undefined;
  }
  const match = ROLE_ARN.exec(text);
  if (!match || !/^\d{12}$/u.test(match[1]!)) return undefined;
  return { text, account: match[1]!, pathAndName: match[2]! };
}

/** The role a template declares with this ARN's name and path (`RoleName` and `Path` as literals), if one. */
export function declaredRole(analysis: Analysis, arn: RoleArn): Resource | undefined {
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return undefined;
  for (const resource of analysis.template.resources.values()) {
    if (resource.type !== "AWS::IAM::Role" || resource.propertiesUnknown) continue;
    const name = literalText(entryOf(resource.properties, "RoleName"));
    const path = entryOf(resource.properties, "Path") === undefined ? "/" : literalText(entryOf(resource.properties, "Path"));
    if (name !== undefined && path !== undefined && `${path.slice(1)}${name}` === arn.pathAndName) return resource;
  }
  return undefined;
}

/** The name and path a function's execution role is given in its template (`RoleName`, `Path`), when they are literals. */
export function declaredRoleName(analysis: Analysis, candidate: RoleCandidate): { roleName: string | undefined; rolePath: string } {
  const logicalId = candidate.identity?.logicalId;
  const role = logicalId ? analysis.template.resources.get(logicalId) : undefined;
  if (role?.type !== "AWS::IAM::Role") return { roleName: undefined, rolePath: "/" };
  const path = entryOf(role.properties, "Path") === undefined ? "/" : literalText(entryOf(role.properties, "Path"));
  const roleName = literalText(entryOf(role.properties, "RoleName"));
  return path === undefined ? { roleName: undefined, rolePath: "/" } : { roleName, rolePath: path };
}
