import type { PairNode } from "../language/ast.js";
import { mergedPairs, resolveAlias } from "../language/ast.js";
import { MAX_EXPANDED_NODES } from "../language/parse.js";
import type { Expr } from "./expr.js";
import { entryOf, keyText, literalText, rewriteExpr, toExpr } from "./expr.js";

/** One resource a loop generates: its logical id, the loop body's entry it comes from, its definition. */
export interface LoopOutput {
  logicalId: string;
  /** The body's `OutputKey: {...}` entry: findings about the generated resource point there. */
  node: PairNode;
  definition: Expr;
}

/**
 * The most resources a template may declare (CloudFormation quotas,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html): loops
 * that would generate more, together, are not expanded.
 */
export const MAX_RESOURCES = 500;

/** A loop expanded, or not: unknown (its collection or body cannot be read) or too large to expand (why). */
/** `assumedDefault`: the parameter whose Default gave the collection (a deployment may pass other values). */
export type LoopExpansion =
  | { kind: "expanded"; outputs: LoopOutput[]; assumedDefault: string | undefined }
  | { kind: "unknown" }
  | { kind: "too-large"; reason: string };

const UNKNOWN: LoopExpansion = { kind: "unknown" };

/** What the template offers to resolve a loop's collection: parameter defaults and mappings. */
export interface LoopContext {
  parameterDefault(name: string): { type: string | undefined; value: Expr } | undefined;
  mappings: Expr | undefined;
}

/**
 * Expands `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` in Resources, as the
 * AWS::LanguageExtensions transform does, when the collection is a list of literal strings, a
 * parameter's default, or an `Fn::FindInMap` with literal keys (AWS documents the first two; SAM CLI
 * and cfn-lint also expand the third). `${Identifier}` and `&{Identifier}`
 * (the value with non-alphanumerics removed) are replaced in output keys and `Fn::Sub` strings, and
 * `!Ref Identifier` by the value. Unknown when the loop cannot be expanded (its collection is known
 * only at deploy time, a loop nests another): what it generates is then unknown, never invented. Too
 * large when it would generate more than `room` resources, or its copies would hold more nodes than an
 * alias may expand to: it is then as unknown, and says why.
 */
export function expandForEach(pair: PairNode, context: LoopContext, room: number): LoopExpansion {
  const loop = resolveAlias(pair.value);
  if (loop.type !== "Sequence" || loop.items.length !== 3) return UNKNOWN;
  const identifier = literalText(toExpr(loop.items[0]!));
  const collection = toExpr(loop.items[1]!);
  const values = collectionValues(collection, context);
  const body = resolveAlias(loop.items[2]!);
  if (!identifier || !/^[A-Za-z0-9]+$/u.test(identifier) || !values || body.type !== "Mapping") return UNKNOWN;
  const entries = mergedPairs(body).map((entry) => ({ entry, key: keyText(entry.key), definition: toExpr(entry.value) }));
  if (entries.some(({ key }) => key === undefined || key.startsWith("Fn::ForEach::"))) return UNKNOWN;
  const count = values.length * entries.length;
  if (count > room) {
    return {
      kind: "too-large",
      reason: `it would generate ${count.toLocaleString("en-US")} resources, and a template holds at most ${MAX_RESOURCES}`,
    };
  }
  const nodes = values.length * entries.reduce((sum, { definition }) => sum + exprSize(definition), 0);
  if (nodes > MAX_EXPANDED_NODES) {
    return { kind: "too-large", reason: `its copies would hold more than ${MAX_EXPANDED_NODES.toLocaleString("en-US")} nodes` };
  }
  const outputs: LoopOutput[] = [];
  for (const value of values) {
    for (const { entry, key, definition } of entries) {
      const logicalId = replaceIdentifier(key!, identifier, value);
      outputs.push({ logicalId, node: entry, definition: rewriteExpr(definition, (expr) => substitute(expr, identifier, value)) });
    }
  }
  return { kind: "expanded", outputs, assumedDefault: collection.kind === "ref" ? collection.target : undefined };
}

/** How many nodes an expression holds (every node is visited once per value when a loop is expanded). */
function exprSize(expr: Expr): number {
  let size = 0;
  rewriteExpr(expr, () => {
    size++;
    return undefined;
  });
  return size;
}

/** `${Identifier}` becomes the value, `&{Identifier}` the value without its non-alphanumeric characters. */
function replaceIdentifier(text: string, identifier: string, value: string): string {
  return text
    .split(`\${${identifier}}`)
    .join(value)
    .split(`&{${identifier}}`)
    .join(value.replace(/[^A-Za-z0-9]/gu, ""));
}

/**
 * The loop's value in place of its identifier: `!Ref Identifier`, and `${Identifier}`/`&{Identifier}`
 * wherever the OutputValue holds them ("All instances of ${Identifier} or &{Identifier} in the OutputKey
 * and OutputValue parameters are replaced", AWS's Fn::ForEach reference): Fn::Sub strings, plain strings,
 * and the names in `!Ref Bucket${Name}` and `!GetAtt Bucket${Name}.Arn`.
 */
function substitute(expr: Expr, identifier: string, value: string): Expr | undefined {
  if (expr.kind === "ref" && expr.target === identifier) return { kind: "literal", value, text: value, node: expr.node };
  if (expr.kind === "ref") {
    const target = replaceIdentifier(expr.target, identifier, value);
    return target === expr.target ? undefined : { ...expr, target };
  }
  if (expr.kind === "getatt") {
    const resource = replaceIdentifier(expr.resource, identifier, value);
    const attribute = replaceIdentifier(expr.attribute, identifier, value);
    return resource === expr.resource && attribute === expr.attribute ? undefined : { ...expr, resource, attribute };
  }
  if (expr.kind === "literal" && typeof expr.value === "string") {
    const text = replaceIdentifier(expr.value, identifier, value);
    return text === expr.value ? undefined : { ...expr, value: text, text };
  }
  if (expr.kind === "sub" && !expr.variables.has(identifier)) {
    const template = replaceIdentifier(expr.template, identifier, value);
    if (template !== expr.template)
      return {
        ...expr,
        template,
        variables: new Map(
          [...expr.variables].map(([name, variable]) => [name, rewriteExpr(variable, (inner) => substitute(inner, identifier, value))]),
        ),
      };
  }
  return undefined;
}

/** The loop's collection as strings, when the template proves it. */
function collectionValues(collection: Expr, context: LoopContext): string[] | undefined {
  if (collection.kind === "list") {
    const texts = collection.items.map(literalText);
    return texts.every((text): text is string => text !== undefined) ? texts : undefined;
  }
  if (collection.kind === "ref") {
    const parameter = context.parameterDefault(collection.target);
    if (!parameter) return undefined;
    // A CommaDelimitedList (or List<...>) default is one string of comma-separated values.
    const text = literalText(parameter.value);
    if (text !== undefined && (parameter.type === "CommaDelimitedList" || parameter.type?.startsWith("List<")))
      return text.split(",").map((item) => item.trim());
    return collectionValues(parameter.value, context);
  }
  if (
    collection.kind === "call" &&
    collection.name === "Fn::FindInMap" &&
    collection.argument.kind === "list" &&
    collection.argument.items.length === 3
  ) {
    const [map, first, second] = collection.argument.items.map(literalText);
    if (!map || !first || !second) return undefined;
    const found = entryOf(entryOf(entryOf(context.mappings, map), first), second);
    return found ? collectionValues(found, context) : undefined;
  }
  return undefined;
}
