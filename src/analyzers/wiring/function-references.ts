import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import { interpolate } from "../../template/interpolation.js";
import type { Template } from "../../template/model.js";
import type { LambdaFunction } from "./functions.js";

/** What a function reference names: a function of this template and its qualifier, another function, or we cannot tell. */
export type FunctionTarget =
  { kind: "function"; fn: LambdaFunction; qualifier: string | undefined } | { kind: "other" } | { kind: "unknown" };

const UNKNOWN: FunctionTarget = { kind: "unknown" };

/**
 * The functions of a template by logical id and by literal `FunctionName`, built once, and what a
 * `FunctionName`-style value names among them.
 */
export class FunctionIndex {
  readonly #byId: Map<string, LambdaFunction>;
  readonly #byName = new Map<string, LambdaFunction>();
  readonly #allNamed: boolean;

  constructor(
    readonly template: Template,
    readonly functions: LambdaFunction[],
  ) {
    for (const fn of functions) {
      const name = literalText(entryOf(fn.resource.properties, "FunctionName"));
      if (name !== undefined) this.#byName.set(name, fn);
    }
    this.#byId = new Map(functions.map((fn) => [fn.logicalId, fn]));
    this.#allNamed = this.#byName.size === functions.length;
  }

  /**
   * The function (and alias or version) that a `FunctionName`-style value names: `!Ref Fn`,
   * `!GetAtt Fn.Arn`, `!Ref FnAlias` (an `AWS::Lambda::Alias` or `Version`), SAM's `!Ref Fn.Alias`,
   * `!Sub ${Fn.Arn}:live`, or a literal name or ARN equal to a function's literal `FunctionName`.
   * A qualifier is the alias's literal name, or `alias:<LogicalId>` / `version:<LogicalId>`.
   */
  target(expr: Expr | undefined): FunctionTarget {
    if (!expr) return UNKNOWN;
    const template = this.template;
    const byId = (id: string) => this.#byId.get(id);
    if (expr.kind === "ref" || (expr.kind === "getatt" && expr.attribute === "Arn")) {
      const target = expr.kind === "ref" ? expr.target : expr.resource;
      const direct = byId(target);
      if (direct) return { kind: "function", fn: direct, qualifier: undefined };
      const samAlias = /^(.+)\.Alias$/u.exec(target);
      const samFunction = samAlias ? byId(samAlias[1]!) : undefined;
      if (samFunction)
        return {
          kind: "function",
          fn: samFunction,
          qualifier: literalText(entryOf(samFunction.resource.properties, "AutoPublishAlias")) ?? "alias",
        };
      const resource = template.resources.get(target);
      if (resource?.type === "AWS::Lambda::Alias" || resource?.type === "AWS::Lambda::Version") {
        const base = this.target(entryOf(resource.properties, "FunctionName"));
        if (base.kind !== "function") return base;
        const name = resource.type === "AWS::Lambda::Alias" ? literalText(entryOf(resource.properties, "Name")) : undefined;
        return {
          kind: "function",
          fn: base.fn,
          qualifier: name ?? `${resource.type === "AWS::Lambda::Alias" ? "alias" : "version"}:${target}`,
        };
      }
      return resource ? { kind: "other" } : UNKNOWN;
    }
    const parts = interpolate(expr);
    if (!parts) return UNKNOWN;
    // `${Fn.Arn}` or `${Fn.Arn}:qualifier`.
    const [first, second] = parts;
    if (
      first &&
      "symbol" in first &&
      (parts.length === 1 || (parts.length === 2 && second && "text" in second && second.text.startsWith(":")))
    ) {
      const symbol = first.expr;
      if (symbol.kind !== "ref" && !(symbol.kind === "getatt" && symbol.attribute === "Arn")) return UNKNOWN;
      const base = this.target(symbol);
      const qualifier = second && "text" in second ? second.text.slice(1) : undefined;
      return base.kind === "function" && qualifier !== undefined ? { ...base, qualifier } : base;
    }
    const text = parts.length === 1 && "text" in parts[0]! ? parts[0].text : undefined;
    if (text === undefined) return UNKNOWN;
    const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.+))?$/u.exec(text);
    const name = arn ? arn[1]! : text.includes(":") ? undefined : text;
    if (name === undefined) return UNKNOWN;
    const named = this.#byName.get(name);
    if (named) return { kind: "function", fn: named, qualifier: arn?.[2] };
    // Every function of the template has a literal name, and none is this one: another function.
    return this.#allNamed ? { kind: "other" } : UNKNOWN;
  }

  /** The function of this template that a value names (with any qualifier), when it names one. */
  referenced(expr: Expr | undefined): LambdaFunction | undefined {
    const target = this.target(expr);
    return target.kind === "function" ? target.fn : undefined;
  }
}

/** How a message names a function and qualifier: `Fn`, `Fn:live`, `Fn's alias LiveAlias`. */
export function describeTarget(functionId: string, qualifier: string | undefined): string {
  if (qualifier === undefined) return functionId;
  const [kind, id] = qualifier.split(":");
  return id ? `${functionId}'s ${kind} ${id}` : `${functionId}:${qualifier}`;
}
