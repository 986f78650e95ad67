import type { ValueNode } from "../language/ast.js";
import type { Expr } from "../template/expr.js";
import { entryOf, literalText } from "../template/expr.js";
import type { Tri } from "./iam/arn-pattern.js";
import { actionMatcher } from "./iam/arn-pattern.js";
import { interpolate } from "../template/interpolation.js";
import type { Analysis } from "./analysis.js";
import type { Finding } from "./finding.js";
import { listNames } from "./shared-execution-roles.js";

export type TrustMessageId = "functionNotTrusted" | "roleNotTrusted" | "functionDenied" | "roleDenied" | "unverifiable";

const LAMBDA = "lambda.amazonaws.com";

/** A trust policy's verdict on `sts:AssumeRole` by lambda.amazonaws.com. */
type TrustVerdict = { outcome: "trusted" | "unknown" } | { outcome: "not-trusted" } | { outcome: "denied"; statement: number };

/**
 * Every in-template role used as an execution role (and every SAM function's own
 * `AssumeRolePolicyDocument`) must let lambda.amazonaws.com call sts:AssumeRole. Reported at the trust
 * policy, naming the functions, and at each function's `Role`.
 */
export function findUntrustedExecutionRoles(analysis: Analysis, options: { reportUnverifiable: boolean } = { reportUnverifiable: false }): Array<Finding<TrustMessageId>> {
  const findings: Array<Finding<TrustMessageId>> = [];
  const usersByRole = new Map<string, { document: Expr; at: ValueNode; users: Array<{ name: string; at: ValueNode }> }>();
  // A macro we do not run may rewrite any trust policy.
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return findings;
  for (const fn of analysis.functions) {
    for (const candidate of fn.candidates) {
      if (!candidate.node && fn.resource.type === "AWS::Serverless::Function") {
        // SAM's generated role trusts Lambda, unless the function gives its own trust policy.
        const own = fn.resource.properties?.entries.get("AssumeRolePolicyDocument");
        if (own) usersByRole.set(`sam:${fn.logicalId}`, { document: own.value, at: own.key, users: [{ name: fn.logicalId, at: fn.resource.node.key }] });
        continue;
      }
      const roleId = candidate.identity?.logicalId;
      const role = roleId ? analysis.template.resources.get(roleId) : undefined;
      const document = role?.properties?.entries.get("AssumeRolePolicyDocument");
      if (!role || role.type !== "AWS::IAM::Role" || role.propertiesUnknown || !document || !candidate.node) continue;
      const entry = usersByRole.get(role.logicalId) ?? { document: document.value, at: document.key, users: [] };
      if (!entry.users.some((user) => user.name === fn.logicalId)) entry.users.push({ name: fn.logicalId, at: candidate.node });
      usersByRole.set(role.logicalId, entry);
    }
  }
  for (const [key, { document, at, users }] of usersByRole) {
    const verdict = trustsLambda(document);
    if (verdict.outcome === "unknown" && options.reportUnverifiable) {
      const role = key.startsWith("sam:") ? `the role SAM generates for ${key.slice(4)}` : key;
      findings.push({ messageId: "unverifiable", data: { role, functions: listNames(users.map((user) => user.name)) }, at, related: [] });
    }
    if (verdict.outcome === "trusted" || verdict.outcome === "unknown") continue;
    const role = key.startsWith("sam:") ? `the role SAM generates for ${key.slice(4)}` : key;
    const denied: Record<string, string> = verdict.outcome === "denied" ? { statement: String(verdict.statement) } : {};
    findings.push({
      messageId: verdict.outcome === "denied" ? "roleDenied" : "roleNotTrusted",
      data: { role, functions: listNames(users.map((user) => user.name)), ...denied },
      at,
      related: [],
    });
    if (key.startsWith("sam:")) continue;
    for (const user of users) {
      findings.push({ messageId: verdict.outcome === "denied" ? "functionDenied" : "functionNotTrusted", data: { function: user.name, role, ...denied }, at: user.at, related: [] });
    }
  }
  return findings;
}

/** Reads a trust policy: an Allow for Lambda proves trust, a Deny for Lambda (or the lack of an Allow) disproves it. */
function trustsLambda(document: Expr): TrustVerdict {
  const statements = entryOf(document, "Statement");
  if (!statements) return { outcome: "unknown" };
  const items = statements.kind === "list" ? statements.items : [statements];
  let allowed: Tri = "no";
  for (const [index, statement] of items.entries()) {
    if (statement.kind !== "object") return { outcome: "unknown" };
    const effect = literalText(entryOf(statement, "Effect"));
    const applies = and(actionApplies(statement), principalApplies(statement));
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

function principalApplies(statement: Expr): Tri {
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
        if (mayStandForLambda(kind, item)) match = "maybe";
      } else if ((kind === "Service" && text === LAMBDA) || (kind === "AWS" && text === "*")) return "yes";
    }
  }
  return match;
}

/**
 * Whether a principal we cannot read whole may still admit Lambda: a service name may, and so may an AWS
 * value that could be `*`; an ARN (`!Sub arn:...:root`, a role's ARN), an account id, a Federated or a
 * CanonicalUser principal never names the Lambda service.
 */
function mayStandForLambda(kind: string, value: Expr): boolean {
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
