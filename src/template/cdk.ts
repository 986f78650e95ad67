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

/** The resource whose definition holds an offset of the template's text. */
export function resourceAt(template: Template, offset: number): Resource | undefined {
  for (const resource of template.resources.values()) {
    const [start, end] = resource.node.range;
    if (start <= offset && offset < end) return resource;
  }
  return undefined;
}
