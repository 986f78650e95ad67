import type { Expr } from "./expr.js";
import { entryOf, listItems, literalText } from "./expr.js";

/**
 * Functions whose value the template itself proves, replaced by that value: `Fn::FindInMap` with
 * literal keys (and, with AWS::LanguageExtensions, its `DefaultValue` when the keys are not in the
 * mapping) and `Fn::Length` of a literal list. A literal result keeps the position of the call; a list
 * or object keeps its own, in Mappings. Anything else is left as it is: an unknown value.
 */
export function staticFunctionValue(expr: Expr, mappings: Expr | undefined, languageExtensions: boolean): Expr | undefined {
  if (expr.kind !== "call") return undefined;
  if (expr.name === "Fn::FindInMap") {
    const [map, first, second, options] = listItems(expr.argument);
    const keys = [map, first, second].map((item) => (item ? literalText(item) : undefined));
    if (expr.argument.kind !== "list" || keys.some((key) => key === undefined)) return undefined;
    const found = entryOf(entryOf(entryOf(mappings, keys[0]!), keys[1]!), keys[2]!);
    const value = found ?? (languageExtensions ? entryOf(options, "DefaultValue") : undefined);
    if (!value) return undefined;
    return value.kind === "literal" ? { ...value, node: expr.node } : value;
  }
  if (expr.name === "Fn::Length" && languageExtensions && expr.argument.kind === "list") {
    const length = String(expr.argument.items.length);
    return { kind: "literal", value: expr.argument.items.length, text: length, node: expr.node };
  }
  return undefined;
}
