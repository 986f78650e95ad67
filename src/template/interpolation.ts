import type { ValueNode } from "../language/ast.js";
import type { Expr } from "./expr.js";

/**
 * A string value as literal text and symbolic pieces: `!Sub arn:${AWS::Partition}:sqs:...:${Q.QueueName}`
 * and the same ARN built with `Fn::Join` give equal parts. A symbolic piece stands for one value in the
 * deployed stack, so two equal part lists are provably the same string.
 */
export type Part = { text: string } | { symbol: string; expr: Expr };

const SUB_VARIABLE = /\$\{([^}]*)\}/gu;

/** The parts of a string-valued expression, or undefined when it is not a string we can read. */
export function interpolate(expr: Expr): Part[] | undefined {
  switch (expr.kind) {
    case "literal":
      return expr.value === null ? undefined : textParts(expr.text, expr.node);
    case "ref":
    case "getatt":
    case "call":
      return [{ symbol: canonical(expr), expr }];
    case "sub":
      return interpolateSub(expr.template, expr.variables, expr.node);
    case "join": {
      if (expr.delimiter.kind !== "literal" || expr.items.kind !== "list") return undefined;
      const parts: Part[] = [];
      for (const [index, item] of expr.items.items.entries()) {
        if (index > 0) parts.push({ text: expr.delimiter.text });
        const itemParts = interpolate(item);
        if (!itemParts) return undefined;
        for (const part of itemParts) parts.push(part);
      }
      return mergeText(parts);
    }
    default:
      return undefined;
  }
}

function interpolateSub(template: string, variables: Map<string, Expr>, node: ValueNode): Part[] | undefined {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(SUB_VARIABLE)) {
    parts.push(...textParts(template.slice(last, match.index), node));
    last = match.index + match[0].length;
    const name = match[1]!;
    if (name.startsWith("!")) {
      // `${!Literal}` writes `${Literal}` itself.
      parts.push({ text: `\${${name.slice(1)}}` });
      continue;
    }
    const variable = variables.get(name);
    if (variable) {
      const variableParts = interpolate(variable);
      if (!variableParts) return undefined;
      for (const part of variableParts) parts.push(part);
      continue;
    }
    const dot = name.indexOf(".");
    const expr: Expr =
      dot > 0
        ? { kind: "getatt", resource: name.slice(0, dot), attribute: name.slice(dot + 1), node }
        : { kind: "ref", target: name, node };
    parts.push({ symbol: canonical(expr), expr });
  }
  parts.push(...textParts(template.slice(last), node));
  return mergeText(parts);
}

/** A dynamic reference (`{{resolve:ssm:name:1}}`, `{{resolve:secretsmanager:...}}`), which CloudFormation resolves when it deploys. */
const DYNAMIC_REFERENCE = /\{\{resolve:[^}]*\}\}/gu;

/**
 * Literal text as parts: a dynamic reference in it is one value known only at deploy time, a symbol
 * (two equal references are the same value; no pattern proves anything about it).
 */
function textParts(text: string, node: ValueNode): Part[] {
  if (!text.includes("{{resolve:")) return [{ text }];
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(DYNAMIC_REFERENCE)) {
    parts.push({ text: text.slice(last, match.index) });
    const expr: Expr = {
      kind: "call",
      name: "DynamicReference",
      argument: { kind: "literal", value: match[0], text: match[0], node },
      node,
    };
    parts.push({ symbol: `{Resolve:${match[0]}}`, expr });
    last = match.index + match[0].length;
  }
  parts.push({ text: text.slice(last) });
  return mergeText(parts);
}

/** Joins adjacent literal text and drops empty text. */
export function mergeText(parts: Part[]): Part[] {
  const merged: Part[] = [];
  for (const part of parts) {
    const previous = merged[merged.length - 1];
    if ("text" in part) {
      if (part.text === "") continue;
      if (previous && "text" in previous) {
        merged[merged.length - 1] = { text: previous.text + part.text };
        continue;
      }
    }
    merged.push(part);
  }
  return merged;
}

/** The whole value as one literal string, when it has no symbolic part. */
export function literalString(parts: Part[] | undefined): string | undefined {
  if (!parts) return undefined;
  if (parts.length === 0) return "";
  return parts.length === 1 && "text" in parts[0]! ? parts[0].text : undefined;
}

/**
 * A deterministic text for an expression: two expressions with the same canonical text evaluate to the
 * same value in one stack. `!GetAtt R.Arn` and `Fn::GetAtt: [R, Arn]` agree; so do a Sub and a Join that
 * build the same string.
 */
export function canonical(expr: Expr): string {
  switch (expr.kind) {
    case "literal":
      return JSON.stringify(expr.text);
    case "ref":
      return `{Ref:${expr.target}}`;
    case "getatt":
      return `{GetAtt:${expr.resource}.${expr.attribute}}`;
    case "sub":
    case "join": {
      const parts = interpolate(expr);
      if (parts) return partsText(parts);
      return expr.kind === "join"
        ? `{Join:${canonical(expr.delimiter)},${canonical(expr.items)}}`
        : `{Sub:${JSON.stringify(expr.template)}}`;
    }
    case "if":
      return `{If:${expr.condition},${canonical(expr.whenTrue)},${canonical(expr.whenFalse)}}`;
    case "call":
      return `{${expr.name}:${canonical(expr.argument)}}`;
    case "list":
      return `[${expr.items.map(canonical).join(",")}]`;
    case "object":
      return `{${[...expr.entries].map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry.value)}`).join(",")}}`;
    case "opaque":
      return `{opaque@${expr.node.range[0]}}`;
  }
}

/** Canonical text of parts: a lone literal reads as that literal, so `"x"` and `!Sub "x"` agree. */
export function partsText(parts: Part[]): string {
  return parts.map((part) => ("text" in part ? JSON.stringify(part.text) : part.symbol)).join("+");
}

/** Source text of parts, for messages: `arn:${AWS::Partition}:iam::...`. */
export function partsDisplay(parts: Part[]): string {
  return parts.map((part) => ("text" in part ? part.text : `\${${symbolDisplay(part.expr)}}`)).join("");
}

function symbolDisplay(expr: Expr): string {
  if (expr.kind === "ref") return expr.target;
  if (expr.kind === "getatt") return `${expr.resource}.${expr.attribute}`;
  return canonical(expr);
}
