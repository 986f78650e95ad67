import type { Part } from "../../template/interpolation.js";
import { partsDisplay } from "../../template/interpolation.js";
import type { Token, Tri } from "./arn-pattern.js";
import { matchPattern, tokenize } from "./arn-pattern.js";
import type { Statement } from "./policy.js";
import { statementServices } from "./policy.js";
import type { RolePermissions } from "./role-permissions.js";

/** The four answers to "does this role allow action A on resource R?". */
export type Decision =
  | { outcome: "allowed"; statement: Statement }
  | { outcome: "denied"; statement: Statement }
  /** No statement grants it; `closest` are the statements that grant the action elsewhere or the service's other actions. */
  | { outcome: "not-granted"; closest: Statement[]; boundary?: true }
  | { outcome: "unknown"; reason: string };

/** A resource in a question: its normal-form parts, or "*" for actions without a resource type. */
export type QuestionResource = Part[] | "*";

interface Question {
  action: string;
  service: string;
  resource: Token[];
}

/**
 * Answers permission questions against one role, indexed by service prefix so that a question looks
 * only at the statements that can concern its action. Answers are memoised per action and resource.
 */
export class PermissionIndex {
  readonly #byService = new Map<string, Statement[]>();
  readonly #boundary: PermissionIndex | undefined;
  readonly #memo = new Map<string, Decision>();

  constructor(readonly permissions: Pick<RolePermissions, "role" | "statements" | "boundary" | "unknown">) {
    for (const statement of permissions.statements) {
      for (const service of statementServices(statement)) {
        const list = this.#byService.get(service) ?? [];
        list.push(statement);
        this.#byService.set(service, list);
      }
    }
    const boundary = permissions.boundary;
    if (boundary) {
      this.#boundary = new PermissionIndex({ role: `the permissions boundary of ${permissions.role}`, statements: boundary.statements, boundary: undefined, unknown: boundary.unknown });
    }
  }

  evaluate(action: string, resource: QuestionResource): Decision {
    const resourceParts: Part[] = resource === "*" ? [{ text: "*" }] : resource;
    const key = `${action.toLowerCase()}\u0000${partsKey(resourceParts)}`;
    let decision = this.#memo.get(key);
    if (!decision) {
      const question = { action, service: action.split(":")[0]!.toLowerCase(), resource: tokenize(resourceParts, false) };
      decision = this.#decide(question);
      this.#memo.set(key, decision);
    }
    return decision;
  }

  #decide(question: Question): Decision {
    const candidates = [...(this.#byService.get(question.service) ?? []), ...(this.#byService.get("*") ?? [])];
    const mayDeny: Statement[] = [];
    const mayAllow: Statement[] = [];
    let allowing: Statement | undefined;
    for (const statement of candidates) {
      const applies = appliesTo(statement, question);
      if (applies === "no") continue;
      if (statement.effect === "Deny") {
        if (applies === "yes" && !statement.uncertainty) return { outcome: "denied", statement };
        mayDeny.push(statement);
      } else if (applies === "yes" && !statement.uncertainty) {
        allowing ??= statement;
      } else {
        mayAllow.push(statement);
      }
    }
    if (mayDeny.length > 0 && (allowing || mayAllow.length > 0)) {
      return { outcome: "unknown", reason: `a Deny may apply: ${describeStatement(mayDeny[0]!)}${why(mayDeny[0]!)}` };
    }
    if (!allowing) {
      if (mayAllow.length > 0) return { outcome: "unknown", reason: `${describeStatement(mayAllow[0]!)} may grant it${why(mayAllow[0]!)}` };
      if (this.permissions.unknown.length > 0) return { outcome: "unknown", reason: this.permissions.unknown[0]! };
      return { outcome: "not-granted", closest: closestStatements(candidates, question) };
    }
    if (!this.#boundary) return { outcome: "allowed", statement: allowing };
    const bounded = this.#boundary.#decide(question);
    if (bounded.outcome === "allowed") return { outcome: "allowed", statement: allowing };
    if (bounded.outcome === "not-granted") return { outcome: "not-granted", closest: [], boundary: true };
    return bounded;
  }
}

function why(statement: Statement): string {
  return statement.uncertainty ? ` (${statement.uncertainty})` : "";
}

function partsKey(parts: Part[]): string {
  return parts.map((part) => ("text" in part ? part.text : `\u0001${part.symbol}\u0001`)).join("");
}

/** Whether a statement covers an action on a resource, three-valued (Kleene AND of action and resource). */
function appliesTo(statement: Statement, question: Question): Tri {
  let actionMatch: Tri = "no";
  for (const pattern of statement.actions) {
    if ("unknown" in pattern) actionMatch = "maybe";
    else if (pattern.regExp.test(question.action)) {
      actionMatch = "yes";
      break;
    }
  }
  if (statement.notAction) actionMatch = negate(actionMatch);
  if (actionMatch === "no") return "no";

  let resourceMatch: Tri = "no";
  for (const pattern of statement.resources) {
    const match: Tri = "unknown" in pattern ? "maybe" : matchPattern(pattern.tokens, question.resource);
    if (match === "yes") {
      resourceMatch = "yes";
      break;
    }
    if (match === "maybe") resourceMatch = "maybe";
  }
  if (statement.notResource) resourceMatch = negate(resourceMatch);
  if (resourceMatch === "no") return "no";
  return actionMatch === "yes" && resourceMatch === "yes" ? "yes" : "maybe";
}

function negate(value: Tri): Tri {
  return value === "yes" ? "no" : value === "no" ? "yes" : "maybe";
}

/** Allow statements that grant the action on other resources; failing those, the same service's. */
function closestStatements(candidates: Statement[], question: Question): Statement[] {
  const allows = candidates.filter((statement) => statement.effect === "Allow");
  const sameAction = allows.filter((statement) =>
    statement.actions.some((pattern) => !("unknown" in pattern) && !statement.notAction && pattern.regExp.test(question.action)),
  );
  return (sameAction.length > 0 ? sameAction : allows).slice(0, 3);
}

/** `statement 2 of inline policy "Poll" of role ConsumerRole`. */
export function describeStatement(statement: Statement): string {
  return `statement ${statement.index} of ${statement.origin.label}`;
}

/** Explains a decision in one sentence for a message. */
export function explainDecision(decision: Decision, role: string, action: string, resource: QuestionResource): string {
  const on = resource === "*" ? "" : ` on ${partsDisplay(resource)}`;
  switch (decision.outcome) {
    case "allowed":
      return `${role} allows ${action}${on} through ${describeStatement(decision.statement)}`;
    case "denied":
      return `${role} explicitly denies ${action}${on} in ${describeStatement(decision.statement)}`;
    case "unknown":
      return `cannot verify whether ${role} allows ${action}${on}: ${decision.reason}`;
    case "not-granted": {
      if (decision.boundary) return `the permissions boundary of ${role} does not allow ${action}${on}`;
      const grants = decision.closest.map((statement) => `${describeStatement(statement)} grants ${statement.actions.map((a) => ("text" in a ? a.text : "?")).join(", ")} on ${statement.resources.map((r) => ("text" in r ? r.text : "?")).join(", ")}`);
      return `${role} does not allow ${action}${on}${grants.length > 0 ? ` (${grants.join("; ")})` : ""}`;
    }
  }
}
