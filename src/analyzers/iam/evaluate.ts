import type { Part } from "../../template/interpolation.js";
import { partsDisplay } from "../../template/interpolation.js";
import type { Compiled, Tri } from "./arn-pattern.js";
import { compileValue, matchPattern } from "./arn-pattern.js";
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
  resource: Compiled;
}

/**
 * Answers permission questions against one role, indexed by service prefix so that a question looks
 * only at the statements that can concern its action; the statements matching each action are found once.
 */
export class PermissionIndex {
  readonly #byService = new Map<string, Statement[]>();
  readonly #boundary: PermissionIndex | undefined;
  /** Per action (lower case): the statements whose actions match it, with how surely. */
  readonly #byAction = new Map<string, Array<{ statement: Statement; actionMatch: Tri }>>();

  constructor(readonly permissions: Pick<RolePermissions, "role" | "statements" | "boundary" | "unknown" | "unknownFor">) {
    for (const statement of permissions.statements) {
      for (const service of statementServices(statement)) {
        const list = this.#byService.get(service) ?? [];
        list.push(statement);
        this.#byService.set(service, list);
      }
    }
    const boundary = permissions.boundary;
    if (boundary) {
      this.#boundary = new PermissionIndex({
        role: `the permissions boundary of ${permissions.role}`,
        statements: boundary.statements,
        boundary: undefined,
        unknown: boundary.unknown,
      });
    }
  }

  evaluate(action: string, resource: QuestionResource): Decision {
    const resourceParts: Part[] = resource === "*" ? [{ text: "*" }] : resource;
    const service = action.slice(0, Math.max(0, action.indexOf(":"))).toLowerCase();
    return this.#decide({ action, service, resource: compileValue(resourceParts) });
  }

  #statementsFor(question: Question): Array<{ statement: Statement; actionMatch: Tri }> {
    const key = question.action.toLowerCase();
    let relevant = this.#byAction.get(key);
    if (!relevant) {
      const forService = this.#byService.get(question.service) ?? [];
      const forAny = this.#byService.get("*") ?? [];
      relevant = [];
      for (const statement of [...forService, ...forAny]) {
        const actionMatch = actionApplies(statement, question.action);
        if (actionMatch !== "no") relevant.push({ statement, actionMatch });
      }
      this.#byAction.set(key, relevant);
    }
    return relevant;
  }

  #decide(question: Question): Decision {
    const relevant = this.#statementsFor(question);
    const service = this.#byService.get(question.service) ?? [];
    let mayDeny: Statement | undefined;
    let mayAllow: Statement | undefined;
    let allowing: Statement | undefined;
    for (const { statement, actionMatch } of relevant) {
      const resourceMatch = resourceApplies(statement, question);
      const applies: Tri = resourceMatch === "no" ? "no" : actionMatch === "yes" && resourceMatch === "yes" ? "yes" : "maybe";
      if (applies === "no") continue;
      if (statement.effect === "Deny") {
        if (applies === "yes" && !statement.uncertainty) return { outcome: "denied", statement };
        mayDeny ??= statement;
      } else if (applies === "yes" && !statement.uncertainty) {
        allowing ??= statement;
      } else {
        mayAllow ??= statement;
      }
    }
    if (mayDeny && (allowing || mayAllow)) {
      return { outcome: "unknown", reason: `a Deny may apply: ${describeStatement(mayDeny)}${why(mayDeny)}` };
    }
    if (!allowing) {
      if (mayAllow) return { outcome: "unknown", reason: `${describeStatement(mayAllow)} may grant it${why(mayAllow)}` };
      if (this.permissions.unknown.length > 0) return { outcome: "unknown", reason: this.permissions.unknown[0]! };
      const scoped = this.permissions.unknownFor?.find((entry) => entry.services.has(question.service) || entry.services.has("*"));
      if (scoped) return { outcome: "unknown", reason: scoped.reason };
      return {
        outcome: "not-granted",
        // Only explanations read these, so they are found on demand.
        get closest() {
          return closestStatements(service, question);
        },
      };
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

/** Whether a statement's Action (or NotAction) covers an action, three-valued. */
function actionApplies(statement: Statement, action: string): Tri {
  let match: Tri = "no";
  for (const pattern of statement.actions) {
    if ("unknown" in pattern) match = "maybe";
    else if (pattern.matcher.test(action)) {
      match = "yes";
      break;
    }
  }
  return statement.notAction ? negate(match) : match;
}

/** Whether a statement's Resource (or NotResource) covers the question's resource, three-valued. */
function resourceApplies(statement: Statement, question: Question): Tri {
  let match: Tri = "no";
  for (const pattern of statement.resources) {
    const result: Tri = "unknown" in pattern ? "maybe" : matchPattern(pattern.compiled, question.resource);
    if (result === "yes") {
      match = "yes";
      break;
    }
    if (result === "maybe") match = "maybe";
  }
  return statement.notResource ? negate(match) : match;
}

function negate(value: Tri): Tri {
  return value === "yes" ? "no" : value === "no" ? "yes" : "maybe";
}

/** Allow statements that grant the action on other resources; failing those, the same service's. */
function closestStatements(candidates: Statement[], question: Question): Statement[] {
  const allows = candidates.filter((statement) => statement.effect === "Allow");
  const sameAction = allows.filter((statement) =>
    statement.actions.some((pattern) => !("unknown" in pattern) && !statement.notAction && pattern.matcher.test(question.action)),
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
      const grants = decision.closest.map(
        (statement) =>
          `${describeStatement(statement)} grants ${statement.actions.map((a) => ("text" in a ? a.text : "?")).join(", ")} on ${statement.resources.map((r) => ("text" in r ? r.text : "?")).join(", ")}`,
      );
      return `${role} does not allow ${action}${on}${grants.length > 0 ? ` (${grants.join("; ")})` : ""}`;
    }
  }
}
