import eventSourceData from "../data/event-sources.json" with { type: "json" };
import type { ValueNode } from "../language/ast.js";
import type { Expr } from "../template/expr.js";
import { entryOf, literalText } from "../template/expr.js";
import type { Part } from "../template/interpolation.js";
import type { Template } from "../template/model.js";
import type { LambdaFunction } from "./execution-roles.js";
import { referencedFunction } from "./function-references.js";
import type { ResourceValues } from "./iam/resource-values.js";

export interface EventSourceFacts {
  samEvent: string;
  arnService: string | null;
  resourceTypes: string[];
  label: string;
  managedPolicy: string | null;
  requirements: Array<{ anyOf: string[]; resource: "source" | "*" | "secret" }>;
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
  /** True for a SAM pull event (SAM would add the managed policy to a generated role). */
  viaSam: boolean;
}

const SAM_SOURCE_PROPERTY: Record<string, string> = { SQS: "Queue", Kinesis: "Stream", DynamoDB: "Stream", MSK: "Stream", MQ: "Broker", DocumentDB: "Cluster" };

/** Every event source mapping of the template whose function is in the template. */
export function eventSourceMappings(template: Template, functions: LambdaFunction[], values: ResourceValues): EventSourceMapping[] {
  const mappings: EventSourceMapping[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::EventSourceMapping") continue;
    const fn = referencedFunction(template, functions, entryOf(resource.properties, "FunctionName"));
    if (!fn) continue;
    const source = entryOf(resource.properties, "EventSourceArn");
    const type = entryOf(resource.properties, "SelfManagedEventSource") ? "SelfManagedKafka" : sourceType(template, values, source);
    if (!type) continue;
    mappings.push({
      name: resource.logicalId,
      at: resource.node.key,
      fn,
      type,
      facts: EVENT_SOURCES[type]!,
      source,
      sourceResource: sourceResourceOf(source),
      secrets: secretsOf(entryOf(resource.properties, "SourceAccessConfigurations")),
      onFailure: entryOf(entryOf(entryOf(resource.properties, "DestinationConfig"), "OnFailure"), "Destination"),
      viaSam: false,
    });
  }
  for (const fn of functions) {
    if (fn.resource.type !== "AWS::Serverless::Function") continue;
    const events = entryOf(fn.resource.properties, "Events");
    if (events?.kind !== "object") continue;
    for (const [name, { key, value: event }] of events.entries) {
      const samType = literalText(entryOf(event, "Type"));
      const type = Object.keys(EVENT_SOURCES).find((candidate) => EVENT_SOURCES[candidate]!.samEvent === samType);
      if (!type) continue;
      const properties = entryOf(event, "Properties");
      const source = SAM_SOURCE_PROPERTY[samType!] ? entryOf(properties, SAM_SOURCE_PROPERTY[samType!]!) : undefined;
      mappings.push({
        name: `${fn.logicalId}.Events.${name}`,
        at: key,
        fn,
        type,
        facts: EVENT_SOURCES[type]!,
        source,
        sourceResource: sourceResourceOf(source),
        secrets: secretsOf(entryOf(properties, "SourceAccessConfigurations")),
        onFailure: entryOf(entryOf(entryOf(properties, "DestinationConfig"), "OnFailure"), "Destination"),
        viaSam: true,
      });
    }
  }
  return mappings;
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

/** Secret ARNs in SourceAccessConfigurations (BASIC_AUTH, SASL_SCRAM_*_AUTH, CLIENT_CERTIFICATE_TLS_AUTH). */
function secretsOf(configurations: Expr | undefined): Expr[] {
  if (configurations?.kind !== "list") return [];
  return configurations.items
    .filter((item) => /AUTH$/u.test(literalText(entryOf(item, "Type")) ?? ""))
    .map((item) => entryOf(item, "URI"))
    .filter((uri): uri is Expr => uri !== undefined);
}
