import type { ValueNode } from "../../language/ast.js";
import { resolveAlias } from "../../language/ast.js";
import type { Resource } from "../../template/model.js";
import type { TextEdit } from "../finding.js";
import type { TextStyle } from "./text-style.js";

/**
 * An edit that adds an AWS managed policy to a role's `ManagedPolicyArns`, written the way the file
 * writes things: a new `- !Sub ...` line in a block list, an entry before `]` in a flow list or JSON
 * array, or a new `ManagedPolicyArns` key. Undefined where the edit would not be plainly safe (tags,
 * aliases, a list built by a function).
 */
export function addManagedPolicyEdit(style: TextStyle, role: Resource, pathAndName: string): TextEdit | undefined {
  const { text, json, newline } = style;
  // A loop's body is written once for every role it generates: an edit there is not this role's alone.
  if (!text || role.loop) return undefined;
  const arn = `arn:\${AWS::Partition}:iam::aws:policy/${pathAndName}`;
  const value = json ? `{ "Fn::Sub": "${arn}" }` : `!Sub ${arn}`;
  // In a YAML flow collection "{" and "}" are indicators, so the ARN must be quoted there.
  const flowValue = json ? value : `!Sub "${arn}"`;
  const properties = role.properties ? syntaxOf(role.properties.node) : undefined;
  if (!properties || properties.type !== "Mapping") return undefined;

  const existing = role.properties!.entries.get("ManagedPolicyArns");
  if (existing) {
    const list = syntaxOf(existing.value.node);
    if (!list || list.type !== "Sequence") return undefined;
    if (isFlow(text, list)) return appendToFlow(text, list, list.items, flowValue, newline);
    const last = list.items[list.items.length - 1];
    if (!last) return undefined;
    const lineStart = text.lastIndexOf("\n", last.range[0] - 1) + 1;
    const dash = text.indexOf("-", lineStart);
    if (dash < 0 || dash > last.range[0]) return undefined;
    return atLineEnd(text, last.range[1], `${newline}${" ".repeat(dash - lineStart)}- ${value}`);
  }
  const key = json ? '"ManagedPolicyArns"' : "ManagedPolicyArns";
  if (isFlow(text, properties)) return appendToFlow(text, properties, properties.pairs, `${key}: [${flowValue}]`, newline);
  const lastPair = properties.pairs[properties.pairs.length - 1];
  const firstKey = properties.pairs[0]?.key;
  if (!lastPair || !firstKey) return undefined;
  const indent = " ".repeat(firstKey.loc.start.column - 1);
  return atLineEnd(text, lastPair.range[1], `${newline}${indent}${key}:${newline}${indent}  - ${value}`);
}

/** The syntax node behind an expression, when it is a plain (untagged, unaliased) collection. */
function syntaxOf(node: ValueNode): ValueNode | undefined {
  if (node.type === "Alias" || node.tag) return undefined;
  return resolveAlias(node);
}

function isFlow(text: string, node: ValueNode): boolean {
  return text[node.range[0]] === "[" || text[node.range[0]] === "{";
}

/**
 * Adds an entry at the end of a flow collection or JSON array/object: on a line of its own, indented
 * like the last entry, when the entries stand one per line; after a comma on the same line otherwise.
 */
function appendToFlow(
  text: string,
  node: ValueNode,
  entries: Array<{ range: [number, number] }>,
  entry: string,
  newline: string,
): TextEdit | undefined {
  const closing = node.range[1] - 1;
  if (text[closing] !== "]" && text[closing] !== "}") return undefined;
  const last = entries[entries.length - 1];
  if (!last) return { range: [closing, closing], text: entry };
  const lastLineStart = text.lastIndexOf("\n", last.range[0] - 1) + 1;
  const onOwnLine = text.lastIndexOf("\n", last.range[0] - 1) > node.range[0] && /^\s*$/u.test(text.slice(lastLineStart, last.range[0]));
  const separator = onOwnLine ? `,${newline}${text.slice(lastLineStart, last.range[0])}` : ", ";
  return { range: [last.range[1], last.range[1]], text: `${separator}${entry}` };
}

/** Inserts at the end of the line where `offset` is, after any trailing comment. */
function atLineEnd(text: string, offset: number, insertion: string): TextEdit {
  let end = text.indexOf("\n", offset);
  if (end === -1) end = text.length;
  if (text[end - 1] === "\r") end--;
  return { range: [end, end], text: insertion };
}
