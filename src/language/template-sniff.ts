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

const RESOURCE_TYPE = /^(?:AWS|Custom|Alexa)::|^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/u;

/**
 * A parsed document is a template when it has `AWSTemplateFormatVersion`, or a `Resources` mapping whose
 * entries have a CloudFormation resource `Type`. SAM templates count with or without their `Transform`.
 */
export function documentIsTemplate(body: ValueNode | null): boolean {
  if (!body) return false;
  const root = resolveAlias(body);
  if (root.type !== "Mapping") return false;
  if (mappingValue(root, "AWSTemplateFormatVersion")) return true;
  const resources = mappingValue(root, "Resources");
  if (!resources) return false;
  const resourceMap = resolveAlias(resources);
  if (resourceMap.type !== "Mapping") return false;
  return mergedPairs(resourceMap).some((pair) => {
    const resource = resolveAlias(pair.value);
    if (resource.type !== "Mapping") return false;
    const type = mappingValue(resource, "Type");
    if (!type) return false;
    const typeNode = resolveAlias(type);
    return typeNode.type === "Scalar" && typeof typeNode.value === "string" && RESOURCE_TYPE.test(typeNode.value);
  });
}
