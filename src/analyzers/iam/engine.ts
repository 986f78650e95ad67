import type { Expr } from "../../template/expr.js";
import type { Template } from "../../template/model.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import type { Decision, QuestionResource } from "./evaluate.js";
import { PermissionIndex, explainDecision } from "./evaluate.js";
import { PermissionSources } from "./role-permissions.js";
import { ResourceValues } from "../../template/resource-values.js";
import { managedPolicyByName } from "./managed-policies.js";
import { readPolicyDocument } from "./policy.js";
import { toExpr } from "../../template/expr.js";
import { syntheticNode } from "../../template/synthetic.js";
import type { Connector } from "../wiring/connectors.js";
import { samConnectors } from "../wiring/connectors.js";

/**
 * The IAM engine of one template: "does this function's role allow action A on resource R?", answered
 * allowed, denied, not granted or unknown, with the reason in words.
 */
export class IamEngine {
  readonly values: ResourceValues;
  readonly #sources: PermissionSources;
  readonly #indexes = new Map<string, PermissionIndex>();
  readonly #managedPolicies = new Map<string, PermissionIndex>();

  constructor(
    readonly template: Template,
    values: ResourceValues = new ResourceValues(template),
    connectors: Connector[] = samConnectors(template),
  ) {
    this.values = values;
    this.#sources = new PermissionSources(template, this.values, connectors);
  }

  /**
   * The evaluator of one role candidate of a function. A declared role seen under the same conditions
   * is evaluated once for all the functions that use it.
   */
  roleOf(fn: LambdaFunction, candidate: RoleCandidate): PermissionIndex {
    const conditions = candidate.assumptions.map((a) => `${a.value ? "" : "!"}${a.condition}`).join(",");
    const key =
      candidate.identity?.logicalId && this.template.resources.has(candidate.identity.logicalId)
        ? `role:${candidate.identity.logicalId}|${conditions}`
        : `function:${fn.logicalId}:${candidate.identity?.key ?? "?"}|${conditions}`;
    let index = this.#indexes.get(key);
    if (!index) {
      index = new PermissionIndex(this.#sources.forFunction(fn, candidate));
      this.#indexes.set(key, index);
    }
    return index;
  }

  /** "Does this role of the template allow action A on resource R?", for a role that is no function's (an invoker's). */
  askRole(logicalId: string, action: string, resource: QuestionResource): Decision {
    return this.roleIndex(logicalId).evaluate(action, resource);
  }

  /** The permissions of a role of the template that is no function's (an invoker's, one a handler assumes). */
  roleIndex(logicalId: string): PermissionIndex {
    const key = `role:${logicalId}|`;
    let index = this.#indexes.get(key);
    if (!index) {
      index = new PermissionIndex(this.#sources.forRole(logicalId));
      this.#indexes.set(key, index);
    }
    return index;
  }

  /**
   * The separate policy resources (`AWS::IAM::Policy`, ...) that a function's role needs for an allowed
   * action: empty when the role's own policies allow it, undefined when it is not allowed at all.
   */
  separatePoliciesNeeded(fn: LambdaFunction, candidate: RoleCandidate, action: string, resource: QuestionResource): string[] | undefined {
    const index = this.roleOf(fn, candidate);
    if (index.evaluate(action, resource).outcome !== "allowed") return undefined;
    const { permissions } = index;
    const own = new PermissionIndex({
      ...permissions,
      statements: permissions.statements.filter((statement) => !statement.origin.resource),
    });
    if (own.evaluate(action, resource).outcome === "allowed") return [];
    const separate = [
      ...new Set(permissions.statements.map((statement) => statement.origin.resource).filter((id): id is string => id !== undefined)),
    ];
    return separate.filter((policy) => {
      const statements = permissions.statements.filter((statement) => !statement.origin.resource || statement.origin.resource === policy);
      return new PermissionIndex({ ...permissions, statements }).evaluate(action, resource).outcome === "allowed";
    });
  }

  /** Whether an AWS managed policy on its own allows an action on a resource (false when it is not in the bundled data). */
  managedPolicyAllows(name: string, action: string, resource: QuestionResource): boolean {
    let index = this.#managedPolicies.get(name);
    if (!index) {
      const lookup = managedPolicyByName(name);
      const here = { range: [0, 0] as [number, number], loc: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
      const statements =
        lookup.kind === "known"
          ? readPolicyDocument(
              toExpr(syntheticNode({ Statement: lookup.statements }, here)),
              { label: `AWS managed policy ${name}`, at: here },
              this.values,
            ).statements
          : [];
      index = new PermissionIndex({ role: name, statements, boundary: undefined, unknown: [] });
      this.#managedPolicies.set(name, index);
    }
    return index.evaluate(action, resource).outcome === "allowed";
  }

  /** A resource in a question, from a template value (`!GetAtt Queue.Arn`), or undefined when unreadable. */
  resource(expr: Expr): QuestionResource | undefined {
    return this.values.parts(expr);
  }

  ask(fn: LambdaFunction, candidate: RoleCandidate, action: string, resource: QuestionResource): Decision {
    return this.roleOf(fn, candidate).evaluate(action, resource);
  }

  explain(fn: LambdaFunction, candidate: RoleCandidate, action: string, resource: QuestionResource): string {
    const index = this.roleOf(fn, candidate);
    return explainDecision(index.evaluate(action, resource), `role ${index.permissions.role}`, action, resource);
  }
}
