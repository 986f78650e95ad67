import type { Resource, Template } from "../../template/model.js";
import type { TextEdit } from "../finding.js";
import type { TextStyle } from "./text-style.js";

/** The permission resource to add: its properties as YAML and JSON values. */
export interface PermissionSpec {
  functionName: { yaml: string; json: string };
  principal: string;
  /** `SourceArn` or `SourceAccount`, with its value. */
  scope: { key: "SourceArn" | "SourceAccount"; yaml: string; json: string };
}

/**
 * An edit that adds an `AWS::Lambda::Permission` right after the invoking resource, indented like it:
 * a block of YAML lines, or a JSON member after a comma. Undefined when the resource does not stand on
 * lines of its own (flow-style `Resources`), where an insertion would not be plainly safe.
 */
export function addPermissionEdit(
  style: TextStyle,
  template: Template,
  invoker: Resource,
  spec: PermissionSpec,
): { edit: TextEdit; name: string } | undefined {
  const { text, newline } = style;
  // A loop's body is written once for every resource it generates: an edit there is not this resource's alone.
  if (!text || invoker.loop) return undefined;
  let name = `${invoker.logicalId}InvokePermission`;
  for (let index = 2; template.resources.has(name); index++) name = `${invoker.logicalId}InvokePermission${index}`;
  const key = invoker.node.key;
  const lineStart = text.lastIndexOf("\n", key.range[0] - 1) + 1;
  const before = text.slice(lineStart, key.range[0]);
  if (!/^\s*$/u.test(before)) return undefined;
  const indent = before;
  const json = text[key.range[0]] === '"' && style.startsWithBrace;
  let end = invoker.node.range[1];
  if (json) {
    const typeKey = invoker.definition.entries.get("Type")?.key;
    const unit = typeKey ? " ".repeat(Math.max(1, typeKey.loc.start.column - key.loc.start.column)) : "  ";
    const inner = indent + unit;
    const props = inner + unit;
    const lines = [
      `,${newline}${indent}"${name}": {`,
      `${inner}"Type": "AWS::Lambda::Permission",`,
      `${inner}"Properties": {`,
      `${props}"Action": "lambda:InvokeFunction",`,
      `${props}"FunctionName": ${spec.functionName.json},`,
      `${props}"Principal": "${spec.principal}",`,
      `${props}"${spec.scope.key}": ${spec.scope.json}`,
      `${inner}}`,
      `${indent}}`,
    ];
    return { edit: { range: [end, end], text: lines.join(newline) }, name };
  }
  end = text.indexOf("\n", end);
  if (end === -1) end = text.length;
  if (text[end - 1] === "\r") end--;
  const lines = [
    "",
    `${indent}${name}:`,
    `${indent}  Type: AWS::Lambda::Permission`,
    `${indent}  Properties:`,
    `${indent}    Action: lambda:InvokeFunction`,
    `${indent}    FunctionName: ${spec.functionName.yaml}`,
    `${indent}    Principal: ${spec.principal}`,
    `${indent}    ${spec.scope.key}: ${spec.scope.yaml}`,
  ];
  return { edit: { range: [end, end], text: lines.join(newline) }, name };
}

/**
 * An edit that makes a resource depend on `name`: a new `DependsOn` after its key (YAML) or before its
 * `Type` (JSON), or `name` added to the `DependsOn` it has (a name becomes a flow list; a list gains an
 * item). Undefined where the shape is not plainly safe to edit.
 */
export function addDependsOnEdit(style: TextStyle, resource: Resource, name: string): TextEdit | undefined {
  const { text, newline } = style;
  const typeKey = resource.definition.entries.get("Type")?.key;
  if (!text || !typeKey || resource.loop) return undefined;
  const json = text[resource.node.key.range[0]] === '"' && style.startsWithBrace;
  const existing = resource.definition.entries.get("DependsOn");
  const quoted = json ? `"${name}"` : name;
  if (!existing) {
    const lineStart = text.lastIndexOf("\n", typeKey.range[0] - 1) + 1;
    const indent = text.slice(lineStart, typeKey.range[0]);
    if (!/^\s*$/u.test(indent)) return undefined;
    return json
      ? { range: [typeKey.range[0], typeKey.range[0]], text: `"DependsOn": ${quoted},${newline}${indent}` }
      : { range: [lineStart, lineStart], text: `${indent}DependsOn: ${name}${newline}` };
  }
  const value = existing.value;
  if (value.kind === "literal" && typeof value.value === "string") {
    return { range: value.node.range, text: `[${text.slice(value.node.range[0], value.node.range[1])}, ${quoted}]` };
  }
  if (value.kind !== "list" || value.items.length === 0) return undefined;
  const last = value.items[value.items.length - 1]!;
  const flow = text[value.node.range[0]] === "[";
  if (flow) return { range: [last.node.range[1], last.node.range[1]], text: `, ${quoted}` };
  // A block list: a new item line like the last one.
  const itemLine = text.lastIndexOf("\n", last.node.range[0] - 1) + 1;
  const prefix = text.slice(itemLine, last.node.range[0]);
  if (!/^\s*- $/u.test(prefix)) return undefined;
  let end = text.indexOf("\n", last.node.range[1]);
  if (end === -1) end = text.length;
  if (text[end - 1] === "\r") end--;
  return { range: [end, end], text: `${newline}${prefix}${name}` };
}
