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
export function addPermissionEdit(style: TextStyle, template: Template, invoker: Resource, spec: PermissionSpec): { edit: TextEdit; name: string } | undefined {
  const { text, newline } = style;
  if (!text) return undefined;
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
