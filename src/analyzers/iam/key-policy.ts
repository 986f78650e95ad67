import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { RoleIdentity } from "../wiring/functions.js";
import type { Tri } from "./arn-pattern.js";
import { actionMatcher, compilePattern, compileValue, matchPattern } from "./arn-pattern.js";
import type { ResourceValues } from "../../template/resource-values.js";

/**
 * What an in-template KMS key's policy says about a role's use of the key. A key policy is the primary
 * control of a KMS key: IAM policies count only where the key policy lets them (the account-root
 * statement), and a statement naming the role grants without any IAM policy.
 */
export type KeyPolicyVerdict =
  /** A statement allows the role itself. */
  | { outcome: "allows" }
  /** The account-root statement lets IAM policies decide. */
  | { outcome: "defers" }
  /** Neither: no IAM policy can grant the role this action on the key. */
  | { outcome: "refuses" }
  | { outcome: "denies"; statement: string }
  | { outcome: "unknown" };

const UNKNOWN: KeyPolicyVerdict = { outcome: "unknown" };

/** The verdict of key `keyId`'s `KeyPolicy` on `action` by the role `role` (undefined: the key is not in the template). */
export function keyPolicyVerdict(
  values: ResourceValues,
  keyId: string,
  role: RoleIdentity | undefined,
  action: string,
): KeyPolicyVerdict | undefined {
  const key = values.template.resources.get(keyId);
  if (key?.type !== "AWS::KMS::Key") return undefined;
  if (key.propertiesUnknown || !role?.logicalId) return UNKNOWN;
  const statements = entryOf(entryOf(key.properties, "KeyPolicy"), "Statement");
  if (!statements) return UNKNOWN;
  const roleArn = values.parts({ kind: "getatt", resource: role.logicalId, attribute: "Arn", node: key.node.key });
  let allows: Tri = "no";
  let defers: Tri = "no";
  for (const [index, statement] of listItems(statements).entries()) {
    const effect = literalText(entryOf(statement, "Effect"));
    if (
      statement.kind !== "object" ||
      (effect !== "Allow" && effect !== "Deny") ||
      entryOf(statement, "NotPrincipal") ||
      entryOf(statement, "NotAction")
    )
      return UNKNOWN;
    const action_ = listItems(entryOf(statement, "Action")).map((item) => literalText(item));
    const actionMatch: Tri = action_.some((text) => text !== undefined && actionMatcher(text).test(action))
      ? "yes"
      : action_.some((text) => text === undefined)
        ? "maybe"
        : "no";
    if (actionMatch === "no") continue;
    const conditional = entryOf(statement, "Condition") !== undefined;
    const principals = principalsOf(entryOf(statement, "Principal"), role.logicalId, roleArn, values);
    if (effect === "Deny") {
      if (principals.role === "no") continue;
      if (principals.role === "yes" && actionMatch === "yes" && !conditional)
        return { outcome: "denies", statement: `statement ${index + 1} of the key policy of ${keyId}` };
      return UNKNOWN;
    }
    const certain = (match: Tri): Tri =>
      match === "no" ? "no" : match === "yes" && actionMatch === "yes" && !conditional ? "yes" : "maybe";
    allows = either(allows, certain(principals.role));
    defers = either(defers, certain(principals.root));
  }
  if (allows === "yes") return { outcome: "allows" };
  if (allows === "no" && defers === "yes") return { outcome: "defers" };
  if (allows === "no" && defers === "no") return { outcome: "refuses" };
  return UNKNOWN;
}

function either(a: Tri, b: Tri): Tri {
  return a === "yes" || b === "yes" ? "yes" : a === "maybe" || b === "maybe" ? "maybe" : "no";
}

/** Whether a statement's principals include the role itself, and the stack account's root (IAM delegation). */
function principalsOf(
  principal: Expr | undefined,
  roleId: string,
  roleArn: ReturnType<ResourceValues["parts"]>,
  values: ResourceValues,
): { role: Tri; root: Tri } {
  if (!principal) return { role: "maybe", root: "maybe" };
  if (literalText(principal) === "*") return { role: "yes", root: "yes" };
  if (principal.kind !== "object") return { role: "maybe", root: "maybe" };
  let role: Tri = "no";
  let root: Tri = "no";
  for (const [kind, { value }] of principal.entries) {
    if (kind !== "AWS") continue;
    for (const item of listItems(value)) {
      const match = awsPrincipal(item, roleId, roleArn, values);
      role = either(role, match.role);
      root = either(root, match.root);
    }
  }
  return { role, root };
}

const ROOT = /^(?:arn:(?:[a-z-]+|\{Ref:AWS::Partition\}):iam::(\d{12}|\{Ref:AWS::AccountId\}):root|(\d{12}|\{Ref:AWS::AccountId\}))$/u;

function awsPrincipal(
  item: Expr,
  roleId: string,
  roleArn: ReturnType<ResourceValues["parts"]>,
  values: ResourceValues,
): { role: Tri; root: Tri } {
  if (literalText(item) === "*") return { role: "yes", root: "yes" };
  if (item.kind === "getatt" && item.attribute === "Arn") {
    // Another resource of the template is another principal.
    return { role: item.resource === roleId ? "yes" : "no", root: "no" };
  }
  const parts = values.parts(item);
  if (!parts) return { role: "maybe", root: "maybe" };
  const text = parts.map((part) => ("text" in part ? part.text : part.symbol)).join("");
  const root = ROOT.exec(text);
  if (root) {
    const account = root[1] ?? root[2];
    return { role: "no", root: account === "{Ref:AWS::AccountId}" ? "yes" : "maybe" };
  }
  if (!roleArn) return { role: "maybe", root: "no" };
  return { role: matchPattern(compilePattern(parts), compileValue(roleArn)), root: "no" };
}
