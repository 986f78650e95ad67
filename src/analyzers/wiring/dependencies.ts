import type { Expr } from "../../template/expr.js";
import { exprChildren } from "../../template/expr.js";
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
  if (expr.kind === "ref") into.add(expr.target);
  else if (expr.kind === "getatt") into.add(expr.resource);
  else if (expr.kind === "sub") for (const part of interpolate(expr) ?? []) if ("symbol" in part) collectReferences(part.expr, into);
  for (const child of exprChildren(expr)) collectReferences(child, into);
}
