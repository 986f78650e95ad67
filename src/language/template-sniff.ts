import type { MappingNode, ValueNode } from "./ast.js";
import { mergedPairs, resolveAlias } from "./ast.js";

/**
 * Words that only CloudFormation and SAM templates contain. Used to decide whether an unparseable or
 * multi-document file was meant to be a template (then its problems are reported) or is some other YAML
 * or JSON (then it is left alone).
 */
const TEMPLATE_MARKER =
  /AWSTemplateFormatVersion|AWS::Serverless-2016-10-31|["']?Type["']?\s*:\s*["']?(?:AWS|Custom|Alexa)::[A-Za-z0-9]+::/u;

export function textLooksLikeTemplate(text: string): boolean {
  return TEMPLATE_MARKER.test(text);
}

/** The value of a plain-string key in a mapping, following aliases. */
export function mappingValue(mapping: MappingNode, key: string): ValueNode | undefined {
  for (const pair of mergedPairs(mapping)) {
    const keyNode = resolveAlias(pair.key);
    if (keyNode.type === "Scalar" && String(keyNode.value) === key) return pair.value;
  }
  return undefined;
}

/** cfn-include's functions (monken/cfn-include and the @znemz/cfn-include fork; `Fn::Length` is CloudFormation's too). */
export const CFN_INCLUDE_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    "Include Map Flatten FlattenDeep GetEnv Merge DeepMerge Sequence Stringify Uniq Compact Concat Sort SortedUniq SortBy " +
    "SortObject ObjectKeys ObjectValues Filenames StringSplit Without Omit OmitEmpty Eval IfEval JoinNow ApplyTags Outputs SubNow RefNow"
  )
    .split(" ")
    .map((name) => `Fn::${name}`),
);

const RESOURCE_TYPE = /^(?:AWS|Custom|Alexa)::|^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/u;

/**
 * A parsed document is a template when it has `AWSTemplateFormatVersion`, or a `Resources` mapping whose
 * entries have a CloudFormation resource `Type`, or `Resources` that cfn-include makes (`!Include`, or a
 * key such as `Fn::Merge`). SAM templates count with or without their `Transform`.
 */
export function documentIsTemplate(body: ValueNode | null): boolean {
  if (!body) return false;
  const root = resolveAlias(body);
  if (root.type !== "Mapping") return false;
  if (mappingValue(root, "AWSTemplateFormatVersion")) return true;
  const resources = mappingValue(root, "Resources");
  if (!resources) return false;
  const resourceMap = resolveAlias(resources);
  if (resourceMap.tag && CFN_INCLUDE_FUNCTIONS.has(`Fn::${resourceMap.tag.slice(1)}`)) return true;
  if (resourceMap.type !== "Mapping") return false;
  return mergedPairs(resourceMap).some((pair) => {
    const key = resolveAlias(pair.key);
    if (key.type === "Scalar" && CFN_INCLUDE_FUNCTIONS.has(String(key.value))) return true;
    const resource = resolveAlias(pair.value);
    if (resource.type !== "Mapping") return false;
    const type = mappingValue(resource, "Type");
    if (!type) return false;
    const typeNode = resolveAlias(type);
    return typeNode.type === "Scalar" && typeof typeNode.value === "string" && RESOURCE_TYPE.test(typeNode.value);
  });
}
