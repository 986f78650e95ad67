import eventSourceData from "../../data/event-sources.json" with { type: "json" };
import type { ValueNode } from "../../language/ast.js";
import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import { partsDisplay } from "../../template/interpolation.js";
import type { Template } from "../../template/model.js";
import { samEvents } from "../../template/sam-events.js";
import type { LambdaFunction } from "./functions.js";
import type { FunctionIndex } from "./function-references.js";
import type { ResourceValues } from "../../template/resource-values.js";

export interface EventSourceFacts {
  samEvent: string;
  /** The SAM event property that names the source (`Queue`, `Stream`, `Broker`, `Cluster`). */
  samSourceProperty: string | null;
  arnService: string | null;
  resourceTypes: string[];
  label: string;
  managedPolicy: string | null;
  requirements: Array<{ anyOf: string[]; resource: "source" | "*" | "secret" }>;
  /** What an Amazon MQ broker that is not publicly accessible (in a VPC) needs besides. */
  privateBrokerRequirements?: Array<{ anyOf: string[]; resource: "*" }>;
  /** Actions that do not satisfy a requirement when the source is of this resource type. */
  withoutForResourceType?: Record<string, string[]>;
  kmsActions: string[];
  onFailure: Record<string, string[]>;
  onMissing: string;
  failsDeploy: boolean;
  sources: string[];
}

export const EVENT_SOURCES = eventSourceData as Record<string, EventSourceFacts>;

/** One event source mapping: an `AWS::Lambda::EventSourceMapping` or a SAM pull event. */
export interface EventSourceMapping {
  /** The mapping's logical id, or `Function.Events.Name` for a SAM event. */
  name: string;
  /** Where findings about the mapping are reported. */
  at: ValueNode;
  fn: LambdaFunction;
  type: string;
  facts: EventSourceFacts;
  /** The `EventSourceArn` (or SAM's Queue/Stream/Broker/Cluster) value. */
  source: Expr | undefined;
  /** The in-template resource the source names, when it does. */
  sourceResource: string | undefined;
  /** Secrets named in SourceAccessConfigurations. */
  secrets: Expr[];
  onFailure: Expr | undefined;
  /**
   * For a Kinesis mapping through an enhanced fan-out consumer (`AWS::Kinesis::StreamConsumer`, or an
   * ARN with `/consumer/`): the consumer's ARN, and the stream it reads, which the read actions are on.
   */
  consumer: { arn: Expr; stream: Part[] | undefined; streamLabel: string } | undefined;
  /** True for a SAM pull event (SAM would add the managed policy to a generated role). */
  viaSam: boolean;
}

/** Every event source mapping of the template whose function is in the template. */
export function eventSourceMappings(index: FunctionIndex, values: ResourceValues): EventSourceMapping[] {
  const { template, functions } = index;
  const mappings: EventSourceMapping[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::EventSourceMapping") continue;
    const fn = index.referenced(entryOf(resource.properties, "FunctionName"));
    if (!fn) continue;
    const source = entryOf(resource.properties, "EventSourceArn");
    const consumer = fanOutConsumer(template, values, source);
    const type = entryOf(resource.properties, "SelfManagedEventSource")
      ? "SelfManagedKafka"
      : consumer
        ? "Kinesis"
        : sourceType(template, values, source);
    if (!type) continue;
    mappings.push(
      mappingOf({
        name: resource.logicalId,
        at: resource.node.key,
        fn,
        type,
        source,
        consumer,
        settings: resource.properties,
        viaSam: false,
      }),
    );
  }
  for (const fn of functions) {
    for (const { name, key, type: samType, properties } of samEvents(fn.resource).events) {
      const type = pullEventSource(samType);
      if (!type) continue;
      const sourceProperty = EVENT_SOURCES[type]!.samSourceProperty;
      const source = sourceProperty ? entryOf(properties, sourceProperty) : undefined;
      const consumer = type === "Kinesis" ? fanOutConsumer(template, values, source) : undefined;
      mappings.push(
        mappingOf({ name: `${fn.logicalId}.Events.${name}`, at: key, fn, type, source, consumer, settings: properties, viaSam: true }),
      );
    }
  }
  return mappings;
}

/**
 * A mapping from what its resource or SAM event says: `settings` holds its SourceAccessConfigurations
 * and DestinationConfig (the mapping's Properties, or the event's).
 */
function mappingOf(mapping: {
  name: string;
  at: ValueNode;
  fn: LambdaFunction;
  type: string;
  source: Expr | undefined;
  consumer: ReturnType<typeof fanOutConsumer>;
  settings: Expr | undefined;
  viaSam: boolean;
}): EventSourceMapping {
  const { consumer, settings, ...rest } = mapping;
  return {
    ...rest,
    facts: EVENT_SOURCES[mapping.type]!,
    sourceResource: consumer ? consumer.streamResource : sourceResourceOf(mapping.source),
    consumer: consumer && { arn: consumer.arn, stream: consumer.stream, streamLabel: consumer.streamLabel },
    secrets: secretsOf(entryOf(settings, "SourceAccessConfigurations")),
    onFailure: entryOf(entryOf(entryOf(settings, "DestinationConfig"), "OnFailure"), "Destination"),
  };
}

/**
 * An enhanced fan-out consumer named as the source: an `AWS::Kinesis::StreamConsumer` of the template
 * (its `StreamARN` is the stream), or an ARN `...:stream/<name>/consumer/<consumer>:<timestamp>`.
 */
function fanOutConsumer(
  template: Template,
  values: ResourceValues,
  source: Expr | undefined,
): { arn: Expr; stream: Part[] | undefined; streamLabel: string; streamResource: string | undefined } | undefined {
  if (!source) return undefined;
  const resource = template.resources.get(sourceResourceOf(source) ?? "");
  if (resource?.type === "AWS::Kinesis::StreamConsumer") {
    const stream = entryOf(resource.properties, "StreamARN");
    const streamResource = sourceResourceOf(stream);
    const parts = stream && values.parts(stream);
    return {
      arn: source,
      stream: parts,
      streamLabel: streamResource ?? (parts ? partsDisplay(parts) : `the stream of ${resource.logicalId}`),
      streamResource,
    };
  }
  const parts = values.parts(source);
  if (!parts || arnService(parts) !== "kinesis") return undefined;
  const marker = parts.findIndex((part) => "text" in part && part.text.includes("/consumer/"));
  if (marker === -1) return undefined;
  const text = (parts[marker] as { text: string }).text;
  const cut = text.indexOf("/consumer/");
  const stream = [...parts.slice(0, marker), ...(cut > 0 ? [{ text: text.slice(0, cut) }] : [])];
  return { arn: source, stream, streamLabel: partsDisplay(stream), streamResource: undefined };
}

/** The event source type (a key of src/data/event-sources.json) of a SAM pull event type (`SQS`, `DynamoDB`, `MQ`, ...). */
export function pullEventSource(samType: string | undefined): string | undefined {
  return samType === undefined ? undefined : Object.keys(EVENT_SOURCES).find((type) => EVENT_SOURCES[type]!.samEvent === samType);
}

/** The source type from the resource the ARN names, or from the service in the ARN itself. */
function sourceType(template: Template, values: ResourceValues, source: Expr | undefined): string | undefined {
  if (!source) return undefined;
  const resourceId = sourceResourceOf(source);
  const resourceType = resourceId ? template.resources.get(resourceId)?.type : undefined;
  if (resourceType) {
    return Object.keys(EVENT_SOURCES).find((type) => EVENT_SOURCES[type]!.resourceTypes.includes(resourceType));
  }
  const parts = values.parts(source);
  const service = parts ? arnService(parts) : undefined;
  if (!service) return undefined;
  if (service === "rds") return "DocumentDB";
  return Object.keys(EVENT_SOURCES).find((type) => EVENT_SOURCES[type]!.arnService === service);
}

/** The service of an ARN whose leading text is literal up to its service: `arn:${AWS::Partition}:sqs:...` is sqs. */
export function arnService(parts: Part[]): string | undefined {
  const text = parts.map((part) => ("text" in part ? part.text : "\u0000")).join("");
  return /^arn:[^:]*:([a-z0-9-]+):/u.exec(text)?.[1];
}

function sourceResourceOf(source: Expr | undefined): string | undefined {
  if (source?.kind === "getatt") return source.resource;
  if (source?.kind === "ref") return source.target;
  return undefined;
}

/** The SourceAccessConfigurations types whose URI is a Secrets Manager secret Lambda reads (Lambda API SourceAccessConfiguration). */
const SECRET_AUTH_TYPES = new Set(["BASIC_AUTH", "SASL_SCRAM_256_AUTH", "SASL_SCRAM_512_AUTH", "CLIENT_CERTIFICATE_TLS_AUTH"]);

/** Secret ARNs in SourceAccessConfigurations (BASIC_AUTH, SASL_SCRAM_*_AUTH, CLIENT_CERTIFICATE_TLS_AUTH). */
function secretsOf(configurations: Expr | undefined): Expr[] {
  if (configurations?.kind !== "list") return [];
  return configurations.items
    .filter((item) => SECRET_AUTH_TYPES.has(literalText(entryOf(item, "Type")) ?? ""))
    .map((item) => entryOf(item, "URI"))
    .filter((uri): uri is Expr => uri !== undefined);
}
