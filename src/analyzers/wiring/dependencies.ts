import type { Expr } from "../../template/expr.js";
import { interpolate } from "../../template/interpolation.js";
import type { Template } from "../../template/model.js";

/**
 * The resources CloudFormation creates before a resource: its `DependsOn`, and everything its
 * definition references with `Ref`, `Fn::GetAtt` or `Fn::Sub`, followed transitively.
 */
export class DependencyGraph {
  readonly #direct = new Map<string, Set<string>>();
  readonly #reachable = new Map<string, Set<string>>();

  constructor(readonly template: Template) {
    for (const resource of template.resources.values()) {
      const targets = new Set<string>(resource.dependsOn);
      collectReferences(resource.definition, targets);
      targets.delete(resource.logicalId);
      this.#direct.set(resource.logicalId, new Set([...targets].filter((id) => template.resources.has(id))));
    }
  }

  /** Whether CloudFormation must create `dependency` before `resource`. */
  dependsOn(resource: string, dependency: string): boolean {
    return this.#reachableFrom(resource).has(dependency);
  }

  #reachableFrom(start: string): Set<string> {
    const known = this.#reachable.get(start);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...(this.#direct.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const dependency of this.#direct.get(next) ?? []) stack.push(dependency);
    }
    this.#reachable.set(start, seen);
    return seen;
  }
}

function collectReferences(expr: Expr, into: Set<string>): void {
  switch (expr.kind) {
    case "ref":
      into.add(expr.target);
      return;
    case "getatt":
      into.add(expr.resource);
      return;
    case "sub":
      for (const part of interpolate(expr) ?? []) if ("symbol" in part) collectReferences(part.expr, into);
      for (const value of expr.variables.values()) collectReferences(value, into);
      return;
    case "list":
      for (const item of expr.items) collectReferences(item, into);
      return;
    case "object":
      for (const entry of expr.entries.values()) collectReferences(entry.value, into);
      return;
    case "join":
      collectReferences(expr.delimiter, into);
      collectReferences(expr.items, into);
      return;
    case "if":
      collectReferences(expr.whenTrue, into);
      collectReferences(expr.whenFalse, into);
      return;
    case "call":
      collectReferences(expr.argument, into);
      return;
    default:
      return;
  }
}
