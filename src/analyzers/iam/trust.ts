import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import { interpolate } from "../../template/interpolation.js";
import type { Tri } from "./arn-pattern.js";
import { actionMatcher } from "./arn-pattern.js";

/** A trust policy's verdict on `sts:AssumeRole` by a service principal. */
export type TrustVerdict = { outcome: "trusted" | "unknown" } | { outcome: "not-trusted" } | { outcome: "denied"; statement: number };

/** Reads a trust policy: an Allow for the service proves trust, a Deny for it (or the lack of an Allow) disproves it. */
export function trustsService(document: Expr, service: string): TrustVerdict {
  const statements = entryOf(document, "Statement");
  if (!statements) return { outcome: "unknown" };
  const items = statements.kind === "list" ? statements.items : [statements];
  let allowed: Tri = "no";
  for (const [index, statement] of items.entries()) {
    if (statement.kind !== "object") return { outcome: "unknown" };
    const effect = literalText(entryOf(statement, "Effect"));
    const applies = and(actionApplies(statement), principalApplies(statement, service));
    const conditional = entryOf(statement, "Condition") !== undefined;
    if (effect === "Deny" && applies === "yes" && !conditional) return { outcome: "denied", statement: index + 1 };
    if (effect === "Deny" && applies !== "no") return { outcome: "unknown" };
    if (effect === "Allow" && applies !== "no") allowed = applies === "yes" && !conditional ? "yes" : allowed === "yes" ? "yes" : "maybe";
    if (effect !== "Allow" && effect !== "Deny") return { outcome: "unknown" };
  }
  return allowed === "yes" ? { outcome: "trusted" } : allowed === "maybe" ? { outcome: "unknown" } : { outcome: "not-trusted" };
}

function and(a: Tri, b: Tri): Tri {
  if (a === "no" || b === "no") return "no";
  return a === "yes" && b === "yes" ? "yes" : "maybe";
}

function actionApplies(statement: Expr): Tri {
  const action = entryOf(statement, "Action");
  const notAction = entryOf(statement, "NotAction");
  const list = action ?? notAction;
  if (!list) return "maybe";
  let match: Tri = "no";
  for (const item of list.kind === "list" ? list.items : [list]) {
    const text = literalText(item);
    if (text === undefined) match = "maybe";
    else if (actionMatcher(text).test("sts:AssumeRole")) {
      match = "yes";
      break;
    }
  }
  if (!action) return match === "yes" ? "no" : match === "no" ? "yes" : "maybe";
  return match;
}

function principalApplies(statement: Expr, service: string): Tri {
  if (entryOf(statement, "NotPrincipal")) return "maybe";
  const principal = entryOf(statement, "Principal");
  if (!principal) return "maybe";
  if (literalText(principal) === "*") return "yes";
  if (principal.kind !== "object") return "maybe";
  let match: Tri = "no";
  for (const [kind, { value }] of principal.entries) {
    for (const item of value.kind === "list" ? value.items : [value]) {
      const text = literalText(item);
      if (text === undefined) {
        if (mayStandForService(kind, item)) match = "maybe";
      } else if ((kind === "Service" && text === service) || (kind === "AWS" && text === "*")) return "yes";
    }
  }
  return match;
}

/**
 * Whether a principal we cannot read whole may still admit a service: a service name may, and so may an
 * AWS value that could be `*`; an ARN (`!Sub arn:...:root`, a role's ARN), an account id, a Federated or
 * a CanonicalUser principal never names a service.
 */
function mayStandForService(kind: string, value: Expr): boolean {
  if (kind === "Service") return true;
  if (kind !== "AWS") return false;
  if (value.kind === "getatt" && value.attribute === "Arn") return false;
  const parts = interpolate(value);
  if (!parts) return true;
  const first = parts[0];
  const isArn = first !== undefined && "text" in first && first.text.startsWith("arn:");
  const isAccount = parts.length === 1 && "symbol" in parts[0]! && parts[0].symbol === "{Ref:AWS::AccountId}";
  return !isArn && !isAccount;
}
