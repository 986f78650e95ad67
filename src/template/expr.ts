import type { MappingNode, ScalarValue, ValueNode } from "../language/ast.js";
import { mergedPairs, resolveAlias } from "../language/ast.js";

/**
 * A template value with its intrinsic functions kept symbolic. Every expression keeps the node it came
 * from, so a finding can point at the exact place in the file.
 */
export type Expr =
  | { kind: "literal"; value: ScalarValue; text: string; node: ValueNode }
  | { kind: "list"; items: Expr[]; node: ValueNode }
  | ObjectExpr
  | { kind: "ref"; target: string; node: ValueNode }
  | { kind: "getatt"; resource: string; attribute: string; node: ValueNode }
  | { kind: "sub"; template: string; variables: Map<string, Expr>; node: ValueNode }
  | { kind: "join"; delimiter: Expr; items: Expr; node: ValueNode }
  | { kind: "if"; condition: string; whenTrue: Expr; whenFalse: Expr; node: ValueNode }
  /** Any other CloudFormation function (`Fn::ImportValue`, `Fn::FindInMap`, `Fn::Equals`, `Condition`, ...). */
  | { kind: "call"; name: string; argument: Expr; node: ValueNode }
  /** A value this linter does not model (cfn-include, rain, malformed intrinsics): never proves anything. */
  | { kind: "opaque"; reason: string; node: ValueNode };

export interface ObjectEntry {
  key: ValueNode;
  value: Expr;
}

export interface ObjectExpr {
  kind: "object";
  entries: Map<string, ObjectEntry>;
  node: ValueNode;
}

/** CloudFormation's functions (and the condition functions), in their long form. */
const CLOUDFORMATION_FUNCTIONS = new Set([
  "Fn::Base64",
  "Fn::Cidr",
  "Fn::FindInMap",
  "Fn::GetAtt",
  "Fn::GetAZs",
  "Fn::ImportValue",
  "Fn::Join",
  "Fn::Length",
  "Fn::Select",
  "Fn::Split",
  "Fn::Sub",
  "Fn::ToJsonString",
  "Fn::Transform",
  "Fn::If",
  "Fn::Equals",
  "Fn::Not",
  "Fn::And",
  "Fn::Or",
  "Fn::GetParam",
  "Fn::GetStackOutput",
  "Ref",
  "Condition",
]);

/** Functions with a short YAML tag in CloudFormation (`!Ref`, `!GetAtt`, ... and `!Condition`). */
function longNameOfTag(tag: string): string | undefined {
  const name = tag.slice(1);
  if (name === "Ref" || name === "Condition") return name;
  const long = `Fn::${name}`;
  return CLOUDFORMATION_FUNCTIONS.has(long) ? long : undefined;
}

/**
 * Converts a syntax node into an expression. Never throws: what it cannot read becomes opaque. What is
 * reached through a YAML alias is located at the alias (`at`), where it is reused: a function whose
 * `Properties: *other` gets its findings at its own line, not at the anchor's.
 */
export function toExpr(input: ValueNode, at?: ValueNode): Expr {
  const located = at ?? (input.type === "Alias" ? input : undefined);
  const here = located ?? input;
  const node = resolveAlias(input);
  if (node.tag && node.tag.startsWith("!") && !node.tag.startsWith("!!")) {
    const name = longNameOfTag(node.tag);
    if (!name) return { kind: "opaque", reason: `the ${node.tag} tag is not CloudFormation`, node: here };
    return intrinsic(name, untagged(node), here, located);
  }
  switch (node.type) {
    case "Scalar":
      return { kind: "literal", value: node.value, text: node.value === null ? "" : node.source, node: here };
    case "Sequence":
      return { kind: "list", items: node.items.map((item) => toExpr(item, located)), node: here };
    case "Mapping":
      return mappingExpr(node, here, located);
  }
}

function mappingExpr(node: MappingNode, here: ValueNode, located: ValueNode | undefined): Expr {
  const pairs = mergedPairs(node);
  if (pairs.length === 1) {
    const pair = pairs[0]!;
    const key = keyText(pair.key);
    if (key !== undefined && (key === "Ref" || key === "Condition" || key.startsWith("Fn::") || key.startsWith("Rain::"))) {
      if (!CLOUDFORMATION_FUNCTIONS.has(key)) {
        return { kind: "opaque", reason: `${key} is not a CloudFormation function`, node: here };
      }
      return intrinsic(key, pair.value, here, located);
    }
  }
  const entries = new Map<string, ObjectEntry>();
  for (const pair of pairs) {
    const key = keyText(pair.key);
    if (key !== undefined) entries.set(key, { key: located ?? pair.key, value: toExpr(pair.value, located) });
  }
  return { kind: "object", entries, node: here };
}

export function keyText(key: ValueNode): string | undefined {
  const node = resolveAlias(key);
  return node.type === "Scalar" && node.value !== null ? node.source : undefined;
}

/** The same node without its tag, so that `!Ref X` reads as the argument `X`. */
function untagged(node: ValueNode): ValueNode {
  const { tag: _tag, ...rest } = node;
  // Keep the node's prototype: its position (`loc`) is computed there.
  return Object.assign(Object.create(Object.getPrototypeOf(node) as object) as object, rest) as ValueNode;
}

function intrinsic(name: string, argumentNode: ValueNode, node: ValueNode, located: ValueNode | undefined): Expr {
  const argument = toExpr(argumentNode, located);
  const malformed: Expr = { kind: "opaque", reason: `malformed ${name}`, node };
  switch (name) {
    case "Ref":
      return argument.kind === "literal" && typeof argument.value === "string" ? { kind: "ref", target: argument.value, node } : malformed;
    case "Fn::GetAtt":
      return getAtt(argument, node) ?? malformed;
    case "Fn::Sub": {
      if (argument.kind === "literal" && argument.value !== null) {
        return { kind: "sub", template: argument.text, variables: new Map(), node };
      }
      if (argument.kind === "list" && argument.items.length === 2) {
        const [template, variables] = argument.items as [Expr, Expr];
        if (template.kind === "literal" && variables.kind === "object") {
          const map = new Map([...variables.entries].map(([key, entry]) => [key, entry.value]));
          return { kind: "sub", template: template.text, variables: map, node };
        }
      }
      return malformed;
    }
    case "Fn::Join":
      return argument.kind === "list" && argument.items.length === 2
        ? { kind: "join", delimiter: argument.items[0]!, items: argument.items[1]!, node }
        : malformed;
    case "Fn::If": {
      if (argument.kind !== "list" || argument.items.length !== 3) return malformed;
      const [condition, whenTrue, whenFalse] = argument.items as [Expr, Expr, Expr];
      return condition.kind === "literal" && typeof condition.value === "string"
        ? { kind: "if", condition: condition.value, whenTrue, whenFalse, node }
        : malformed;
    }
    default:
      return { kind: "call", name, argument, node };
  }
}

function getAtt(argument: Expr, node: ValueNode): Expr | undefined {
  if (argument.kind === "literal" && typeof argument.value === "string") {
    const dot = argument.value.indexOf(".");
    if (dot <= 0) return undefined;
    return { kind: "getatt", resource: argument.value.slice(0, dot), attribute: argument.value.slice(dot + 1), node };
  }
  if (argument.kind === "list" && argument.items.length === 2) {
    const [resource, attribute] = argument.items as [Expr, Expr];
    if (
      resource.kind === "literal" &&
      typeof resource.value === "string" &&
      attribute.kind === "literal" &&
      typeof attribute.value === "string"
    ) {
      return { kind: "getatt", resource: resource.value, attribute: attribute.value, node };
    }
  }
  return undefined;
}

/** The value of a key in an object expression. */
export function entryOf(expr: Expr | undefined, key: string): Expr | undefined {
  return expr?.kind === "object" ? expr.entries.get(key)?.value : undefined;
}

/** A literal's text, when the expression is a plain string. */
export function literalText(expr: Expr | undefined): string | undefined {
  return expr?.kind === "literal" && expr.value !== null && typeof expr.value !== "object" ? expr.text : undefined;
}

/** A literal boolean: YAML's `true`, `True` or `TRUE` (a boolean in YAML 1.2), or the string "true" or "false". */
export function literalBoolean(expr: Expr | undefined): boolean | undefined {
  if (expr?.kind !== "literal") return undefined;
  if (typeof expr.value === "boolean") return expr.value;
  return expr.text === "true" ? true : expr.text === "false" ? false : undefined;
}

/** The items of a list value; a single value stands for a list of one (as in `Action`, `Roles`, `Policies`). */
export function listItems(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  return expr.kind === "list" ? expr.items : [expr];
}

/**
 * The expression with each subexpression that `rewrite` returns a value for replaced (outermost first).
 * What nothing replaces inside is returned as it is, not copied.
 */
/** The expressions directly inside one: a list's items, an object's values, a function's arguments. */
export function exprChildren(expr: Expr): Expr[] {
  switch (expr.kind) {
    case "list":
      return expr.items;
    case "object":
      return [...expr.entries.values()].map((entry) => entry.value);
    case "sub":
      return [...expr.variables.values()];
    case "join":
      return [expr.delimiter, expr.items];
    case "if":
      return [expr.whenTrue, expr.whenFalse];
    case "call":
      return [expr.argument];
    default:
      return [];
  }
}

/** Whether an expression, or one anywhere inside it, passes the test. */
export function someExpr(expr: Expr, test: (expr: Expr) => boolean): boolean {
  return test(expr) || exprChildren(expr).some((child) => someExpr(child, test));
}

export function rewriteExpr(expr: Expr, rewrite: (expr: Expr) => Expr | undefined): Expr {
  const replaced = rewrite(expr);
  if (replaced) return replaced;
  const again = (inner: Expr) => rewriteExpr(inner, rewrite);
  switch (expr.kind) {
    case "list": {
      const items = expr.items.map(again);
      return items.every((item, index) => item === expr.items[index]) ? expr : { ...expr, items };
    }
    case "object": {
      let changed = false;
      const entries = new Map<string, ObjectEntry>();
      for (const [key, entry] of expr.entries) {
        const value = again(entry.value);
        changed ||= value !== entry.value;
        entries.set(key, value === entry.value ? entry : { key: entry.key, value });
      }
      return changed ? { ...expr, entries } : expr;
    }
    case "sub": {
      const variables = new Map([...expr.variables].map(([name, value]) => [name, again(value)]));
      return [...variables].every(([name, value]) => value === expr.variables.get(name)) ? expr : { ...expr, variables };
    }
    case "join": {
      const delimiter = again(expr.delimiter);
      const items = again(expr.items);
      return delimiter === expr.delimiter && items === expr.items ? expr : { ...expr, delimiter, items };
    }
    case "if": {
      const whenTrue = again(expr.whenTrue);
      const whenFalse = again(expr.whenFalse);
      return whenTrue === expr.whenTrue && whenFalse === expr.whenFalse ? expr : { ...expr, whenTrue, whenFalse };
    }
    case "call": {
      const argument = again(expr.argument);
      return argument === expr.argument ? expr : { ...expr, argument };
    }
    default:
      return expr;
  }
}
