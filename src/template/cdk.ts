import { entryOf, literalText } from "./expr.js";
import type { Resource, Template } from "./types.js";

/**
 * The AWS CDK construct path of a resource of a synthesized template: its `aws:cdk:path` metadata
 * (`MyStack/Worker/ServiceRole/Resource`) without the trailing `/Resource` of an L1 inside its L2,
 * so that it names the construct the user wrote (`MyStack/Worker/ServiceRole`).
 */
export function constructPath(resource: Resource): string | undefined {
  const path = literalText(entryOf(resource.metadata, "aws:cdk:path"));
  return path?.replace(/\/Resource$/u, "");
}

/** Each template's resources in the order of their text, for finding the one at an offset (built once). */
const byPosition = new WeakMap<Template, Resource[]>();

/** The resource whose definition holds an offset of the template's text (a binary search: findings are many). */
export function resourceAt(template: Template, offset: number): Resource | undefined {
  let sorted = byPosition.get(template);
  if (!sorted) {
    sorted = [...template.resources.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
    byPosition.set(template, sorted);
  }
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = sorted[middle]!.node.range;
    if (offset < start) high = middle - 1;
    else if (offset >= end) low = middle + 1;
    else return sorted[middle];
  }
  return undefined;
}
