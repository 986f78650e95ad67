import type { Expr } from "../../template/expr.js";
import { entryOf, literalBoolean } from "../../template/expr.js";
import { partsDisplay } from "../../template/interpolation.js";
import { customerManagedKey, customerManagedKeyResource } from "./encryption-keys.js";
import type { EventSourceMapping } from "./event-sources.js";
import { destinationType } from "./destinations.js";
import { arnService } from "./event-sources.js";
import type { Template } from "../../template/model.js";
import type { ResourceValues } from "../../template/resource-values.js";
import type { Requirement } from "./requirement.js";

/** Lambda checks neither when it creates the mapping: what goes wrong is at run time. */
const DECRYPT_CONSEQUENCE = "the mapping is created, but Lambda cannot decrypt the records it reads";
const SUBSCRIBE_CONSEQUENCE = "Lambda cannot subscribe to the stream's shards through the consumer";
const ON_FAILURE_CONSEQUENCE = "records that fail processing are not sent to the OnFailure destination";

/** What a mapping's requirements are read from. */
export interface MappingContext {
  template: Template;
  values: ResourceValues;
}

function describing(context: MappingContext) {
  const { values, template } = context;
  const resourceOf = (expr: Expr | undefined) => (expr ? values.parts(expr) : undefined);
  const labelOf = (expr: Expr | undefined, parts: ReturnType<typeof resourceOf>) =>
    expr && (expr.kind === "getatt" || expr.kind === "ref") && template.resources.has(expr.kind === "ref" ? expr.target : expr.resource)
      ? expr.kind === "ref"
        ? expr.target
        : expr.resource
      : parts
        ? partsDisplay(parts)
        : "its source";
  return { resourceOf, labelOf };
}

/** What a mapping needs to read its source (and its secrets): what Lambda checks when the mapping is created. */
export function mappingReadRequirements(context: MappingContext, mapping: EventSourceMapping): Requirement[] {
  const { resourceOf, labelOf } = describing(context);
  const requirements: Requirement[] = [];
  const consumer = mapping.consumer;
  // Through a fan-out consumer, the read actions are still on the stream.
  const source = consumer ? consumer.stream : resourceOf(mapping.source);
  const sourceLabel = consumer ? consumer.streamLabel : labelOf(mapping.source, source);
  const sourceResource = mapping.sourceResource ? context.template.resources.get(mapping.sourceResource) : undefined;
  const without = new Set(sourceResource ? (mapping.facts.withoutForResourceType?.[sourceResource.type] ?? []) : []);
  // A broker that is not publicly accessible is in a VPC: Lambda reaches it through network interfaces.
  const privateBroker =
    sourceResource?.type === "AWS::AmazonMQ::Broker" && literalBoolean(entryOf(sourceResource.properties, "PubliclyAccessible")) === false;
  const needed = [...mapping.facts.requirements, ...(privateBroker ? (mapping.facts.privateBrokerRequirements ?? []) : [])];
  for (const { anyOf: listed, resource } of needed) {
    const anyOf = listed.filter((action) => !without.has(action));
    if (anyOf.length === 0) continue;
    if (resource === "*") requirements.push({ anyOf, resource: "*", resourceLabel: "*" });
    else if (resource === "source") requirements.push({ anyOf, resource: source, resourceLabel: sourceLabel });
    else {
      for (const secret of mapping.secrets) {
        const parts = resourceOf(secret);
        requirements.push({ anyOf, resource: parts, resourceLabel: labelOf(secret, parts) });
      }
    }
  }
  return requirements;
}

/** Everything a mapping needs: reading its source, the source's KMS key, its OnFailure destination. */
export function mappingRequirements(context: MappingContext, mapping: EventSourceMapping): Requirement[] {
  const { values, template } = context;
  const { resourceOf, labelOf } = describing(context);
  const requirements = mappingReadRequirements(context, mapping);
  if (mapping.consumer) {
    const consumer = resourceOf(mapping.consumer.arn);
    requirements.push({
      anyOf: ["kinesis:SubscribeToShard"],
      resource: consumer,
      resourceLabel: labelOf(mapping.consumer.arn, consumer),
      consequence: SUBSCRIBE_CONSEQUENCE,
    });
  }
  const key = customerManagedKey(template, values, mapping.sourceResource);
  if (key !== "none") {
    const keyId = customerManagedKeyResource(template, mapping.sourceResource);
    for (const action of mapping.facts.kmsActions) {
      requirements.push({
        anyOf: [action],
        resource: key === "unknown" ? undefined : key,
        resourceLabel: `the KMS key of ${mapping.sourceResource}`,
        consequence: DECRYPT_CONSEQUENCE,
        ...(keyId ? { keyId } : {}),
      });
    }
  }
  if (mapping.onFailure) {
    const parts = resourceOf(mapping.onFailure);
    const service = parts ? arnService(parts) : undefined;
    const destinationTarget =
      mapping.onFailure.kind === "getatt"
        ? mapping.onFailure.resource
        : mapping.onFailure.kind === "ref"
          ? mapping.onFailure.target
          : undefined;
    const resourceType = destinationTarget ? template.resources.get(destinationTarget)?.type : undefined;
    const kind = service
      ? destinationType(service)
      : resourceType === "AWS::SQS::Queue"
        ? "SQS"
        : resourceType === "AWS::SNS::Topic"
          ? "SNS"
          : undefined;
    // S3 destinations need the bucket and its objects; only SQS and SNS targets are checked for now.
    const actions = kind && kind !== "S3" ? mapping.facts.onFailure[kind] : undefined;
    for (const action of actions ?? [])
      requirements.push({
        anyOf: [action],
        resource: parts,
        resourceLabel: labelOf(mapping.onFailure, parts),
        consequence: ON_FAILURE_CONSEQUENCE,
      });
  }
  return requirements;
}
