import type { Template } from "../../template/model.js";
import type { TextEdit } from "../finding.js";
import type { QuestionResource } from "../iam/evaluate.js";
import type { PolicyResource } from "../iam/minimal-policy.js";
import { policyResource } from "../iam/minimal-policy.js";
import type { Statement } from "../iam/policy.js";
import type { TextStyle } from "./text-style.js";

/**
 * Replaces a statement's `Resource: "*"` by the resources its needs name, written as the template writes
 * values (`!Sub "arn:${AWS::Partition}:..."` in YAML, `{"Fn::Sub": ...}` in JSON); a part known only at
 * run time (an object key, a log stream) is `*`, as the need is any of them.
 */
export function narrowResourceEdit(
  style: TextStyle,
  statement: Statement,
  resources: QuestionResource[],
  template: Template,
): TextEdit | undefined {
  const written = resources.map((resource) => policyResource(resource, template));
  if (written.length === 0) return undefined;
  const value = written.length === 1 ? written[0]! : written;
  const text = style.json ? JSON.stringify(value) : yamlValue(value);
  return { range: statement.resourceAt.range, text };
}

function yamlValue(value: PolicyResource | PolicyResource[]): string {
  if (Array.isArray(value)) return `[${value.map((item) => yamlValue(item)).join(", ")}]`;
  return typeof value === "string" ? JSON.stringify(value) : `!Sub ${JSON.stringify(value["Fn::Sub"])}`;
}

/**
 * Removes one action from a statement's list of several: its line in a block list (`- s3:GetObject`),
 * or the item and the comma before it (after it, for the first) in a flow list or JSON array. None when it
 * is the statement's only action.
 */
export function removeActionEdit(style: TextStyle, statement: Statement, index: number): TextEdit | undefined {
  const actions = statement.actions;
  if (actions.length < 2) return undefined;
  const [start, end] = actions[index]!.at.range;
  const { text } = style;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const lineEnd = text.indexOf("\n", end);
  if (
    /^[ \t]*-[ \t]+$/u.test(text.slice(lineStart, start)) &&
    /^[ \t]*(?:#.*)?\r?$/u.test(text.slice(end, lineEnd === -1 ? undefined : lineEnd))
  )
    return { range: [lineStart, lineEnd === -1 ? text.length : lineEnd + 1], text: "" };
  return index > 0 ? { range: [actions[index - 1]!.at.range[1], end], text: "" } : { range: [start, actions[1]!.at.range[0]], text: "" };
}
