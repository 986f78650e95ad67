import type { Expr } from "../../template/expr.js";
import { entryOf } from "../../template/expr.js";
import type { LambdaFunction } from "../wiring/functions.js";
import type { InputValue } from "./calls.js";

/** The template value an input property stands for: a literal, or the function's environment variable. */
export function inputExpr(fn: LambdaFunction, value: InputValue | undefined): { expr: Expr; label: string } | undefined {
  if (!value || value.kind === "unknown") return undefined;
  if (value.kind === "literal") {
    return { expr: { kind: "literal", value: value.text, text: value.text, node: fn.resource.node.key }, label: value.text };
  }
  const variable = entryOf(entryOf(entryOf(fn.resource.properties, "Environment"), "Variables"), value.name);
  if (!variable) return undefined;
  const label = variable.kind === "ref" ? variable.target : variable.kind === "getatt" ? variable.resource : `$${value.name}`;
  return { expr: variable, label };
}
