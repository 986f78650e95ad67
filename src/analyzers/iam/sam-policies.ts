import samPolicyTemplateData from "../../data/sam-policy-templates.json" with { type: "json" };
import type { Expr, ObjectExpr } from "../../template/expr.js";
import { entryOf, listItems, literalText, rewriteExpr, toExpr } from "../../template/expr.js";
import type { Resource } from "../../template/model.js";
import { syntheticNode } from "../../template/synthetic.js";
import { samEvents } from "../../template/sam-events.js";
import { destinationActions } from "../wiring/destinations.js";
import { EVENT_SOURCES, pullEventSource } from "../wiring/event-sources.js";
import type { Located } from "../finding.js";

const POLICY_TEMPLATES = samPolicyTemplateData as Record<string, { parameters: string[]; definition: unknown }>;

/** One source of permissions of a SAM-generated role. */
export type SamPolicySource =
  /** `written`: named in the function's `Policies`, not added by SAM for a feature or an event. */
  | { kind: "managed"; name: string; at: Located | undefined; written?: true }
  | { kind: "arn"; arn: Expr }
  /** `bundled` for a document SAM writes (a policy template, a destination policy), not the file. */
  | {
      kind: "document";
      document: Expr;
      label: string;
      at: Located | undefined;
      bundled?: true;
      samTemplate?: { name: string; parameters: Expr; nameAt: Located };
    }
  | { kind: "unknown"; reason: string }
  /** A policy SAM builds that may grant actions of these services only. */
  | { kind: "unknownFor"; reason: string; services: string[] };

/**
 * What SAM puts into the role it generates for a function without `Role`: the basic execution policy,
 * the function's `Policies`, and what its VpcConfig, Tracing, DeadLetterQueue, EventInvokeConfig
 * destinations and pull events need. Inline policies SAM builds that we do not model are "unknown".
 */
export function samPolicyStatements(fn: Resource, properties: ObjectExpr | undefined): SamPolicySource[] {
  const sources: SamPolicySource[] = [];
  const at = fn.node.key;
  const durable = entryOf(properties, "DurableConfig") !== undefined;
  sources.push({ kind: "managed", name: durable ? "AWSLambdaBasicDurableExecutionRolePolicy" : "AWSLambdaBasicExecutionRole", at });

  const policies = entryOf(properties, "Policies");
  if (policies) {
    const items = policies.kind === "list" ? policies.items : [policies];
    for (const item of items) sources.push(policySource(item, fn.logicalId));
  }
  if (entryOf(properties, "VpcConfig"))
    sources.push({ kind: "managed", name: "AWSLambdaVPCAccessExecutionRole", at: entryNode(properties, "VpcConfig") });
  const tracing = entryOf(properties, "Tracing");
  if (tracing && literalText(tracing) !== "Disabled") {
    sources.push(
      literalText(tracing) === undefined
        ? { kind: "unknown", reason: `${fn.logicalId}'s Tracing cannot be read` }
        : { kind: "managed", name: "AWSXrayWriteOnlyAccess", at: entryNode(properties, "Tracing") },
    );
  }
  const deadLetter = entryOf(properties, "DeadLetterQueue");
  if (deadLetter) sources.push(deadLetterSource(deadLetter, fn.logicalId));
  const destinations = entryOf(entryOf(properties, "EventInvokeConfig"), "DestinationConfig");
  for (const key of ["OnSuccess", "OnFailure"]) {
    const destination = entryOf(destinations, key);
    if (destination) sources.push(destinationSource(destination, fn.logicalId, key));
  }
  const { events, readable } = samEvents(fn);
  if (!readable) sources.push({ kind: "unknown", reason: `${fn.logicalId}'s Events cannot be read` });
  for (const { name, type, properties: eventProperties, node } of events) {
    const sourceType = pullEventSource(type);
    if (!sourceType) continue;
    // The source's managed policy (samtranslator eventsources/pull.py get_policy_arn), from the event source data.
    const managed = EVENT_SOURCES[sourceType]!.managedPolicy;
    if (managed) sources.push({ kind: "managed", name: managed, at: node });
    const onFailure = entryOf(entryOf(eventProperties, "DestinationConfig"), "OnFailure");
    if (onFailure) sources.push(pullDestinationSource(onFailure, fn.logicalId, name, EVENT_SOURCES[sourceType]!.onFailure));
    sources.push(...pullEventPolicy(type!, eventProperties, `${fn.logicalId}'s ${type} event ${name}`, node));
  }
  return sources;
}

const VPC_ACCESS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DeleteNetworkInterface",
  "ec2:DescribeVpcs",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
];

/** The secret types whose URI SAM grants secretsmanager:GetSecretValue on, per pull event type. */
const SECRET_TYPES: Record<string, string[]> = {
  MSK: ["CLIENT_CERTIFICATE_TLS_AUTH"],
  MQ: ["BASIC_AUTH"],
  DocumentDB: ["BASIC_AUTH"],
  SelfManagedKafka: ["BASIC_AUTH", "SASL_SCRAM_256_AUTH", "SASL_SCRAM_512_AUTH", "CLIENT_CERTIFICATE_TLS_AUTH"],
};

/**
 * The inline policy SAM builds for an MSK, MQ, self-managed Kafka or DocumentDB event
 * (samtranslator eventsources/pull.py `get_policy_statements`): the source's secrets, the broker or
 * cluster, the VPC actions, the secrets' KMS key. A schema registry's grants are left unknown, for the
 * services they touch only.
 */
function pullEventPolicy(type: string, properties: Expr | undefined, label: string, at: Located): SamPolicySource[] {
  if (!(type in SECRET_TYPES)) return [];
  const statements: Array<{ actions: string[]; resource: Expr }> = [];
  const configurations = listItems(entryOf(properties, "SourceAccessConfigurations"));
  for (const configuration of configurations) {
    const uri = entryOf(configuration, "URI");
    if (uri && SECRET_TYPES[type]!.includes(literalText(entryOf(configuration, "Type")) ?? ""))
      statements.push({ actions: ["secretsmanager:GetSecretValue"], resource: uri });
  }
  const sub = (text: string) => toExpr(syntheticNode({ "Fn::Sub": text }, at));
  const source = pullEventSource(type);
  const sourceProperty = source ? EVENT_SOURCES[source]!.samSourceProperty : null;
  const sourceExpr = sourceProperty ? entryOf(properties, sourceProperty) : undefined;
  const broker = type === "MQ" ? sourceExpr : undefined;
  if (broker) statements.push({ actions: ["mq:DescribeBroker"], resource: broker });
  const cluster = type === "DocumentDB" ? sourceExpr : undefined;
  if (type === "DocumentDB") {
    statements.push({
      actions: ["rds:DescribeDBClusterParameters"],
      resource: sub("arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster-pg:*"),
    });
    statements.push({
      actions: ["rds:DescribeDBSubnetGroups"],
      resource: sub("arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:subgrp:*"),
    });
    if (cluster) statements.push({ actions: ["rds:DescribeDBClusters"], resource: cluster });
  }
  const inVpc =
    type === "SelfManagedKafka" && configurations.some((configuration) => literalText(entryOf(configuration, "Type")) === "VPC_SUBNET");
  if (type === "DocumentDB" || inVpc) statements.push({ actions: VPC_ACCESS, resource: sub("*") });
  const sources: SamPolicySource[] = [];
  const keyId = entryOf(properties, "SecretsManagerKmsKeyId");
  if (keyId && literalText(keyId) !== undefined)
    statements.push({
      actions: ["kms:Decrypt"],
      resource: sub(`arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${literalText(keyId)}`),
    });
  else if (keyId) sources.push({ kind: "unknownFor", reason: `the KMS key SAM grants for ${label} cannot be read`, services: ["kms"] });
  if (entryOf(properties, "SchemaRegistryConfig"))
    sources.push({
      kind: "unknownFor",
      reason: `the schema registry permissions SAM generates for ${label} are not modelled`,
      services: ["glue", "secretsmanager"],
    });
  if (statements.length > 0) sources.push(inlineStatements(statements, `the policy SAM generates for ${label}`, at));
  return sources;
}

function entryNode(properties: ObjectExpr | undefined, key: string): Located | undefined {
  return properties?.entries.get(key)?.key;
}

function policySource(item: Expr, functionId: string): SamPolicySource {
  const name = literalText(item);
  if (name !== undefined) {
    return name.startsWith("arn:") ? { kind: "arn", arn: item } : { kind: "managed", name, at: item.node, written: true };
  }
  if (item.kind === "object") {
    if (item.entries.has("Statement"))
      return { kind: "document", document: item, label: `inline policy in ${functionId}'s Policies`, at: item.node };
    if (item.entries.size === 1) {
      const [templateName, { key, value: parameters }] = [...item.entries][0]!;
      const source = policyTemplateSource(templateName, parameters, item);
      return source.kind === "document" ? { ...source, samTemplate: { name: templateName, parameters, nameAt: key } } : source;
    }
  }
  if (item.kind === "ref" || item.kind === "sub" || item.kind === "join" || item.kind === "call") return { kind: "arn", arn: item };
  return { kind: "unknown", reason: `an entry of ${functionId}'s Policies cannot be read` };
}

/** The SAM policy templates by name, with their parameters: those taking the same parameters can stand in for each other. */
export function samPolicyTemplates(): Array<{ name: string; parameters: string[] }> {
  return Object.entries(POLICY_TEMPLATES).map(([name, template]) => ({ name, parameters: template.parameters }));
}

/** Expands a SAM policy template (`SQSPollerPolicy: {QueueName: ...}`) with its parameters. */
export function policyTemplateSource(templateName: string, parameters: Expr, item: Expr): SamPolicySource {
  const template = POLICY_TEMPLATES[templateName];
  if (!template) return { kind: "unknown", reason: `${templateName} is not a SAM policy template we know` };
  const values = new Map<string, Expr>();
  for (const parameter of template.parameters) {
    const value = entryOf(parameters, parameter);
    if (!value) return { kind: "unknown", reason: `SAM policy template ${templateName} lacks its ${parameter} parameter` };
    values.set(parameter, value);
  }
  const definition = substituteRefs(toExpr(syntheticNode(template.definition, item.node)), values);
  return { kind: "document", document: definition, label: `SAM policy template ${templateName}`, at: item.node, bundled: true };
}

/** Replaces `{Ref: Parameter}` (also inside `Fn::Sub` variable maps) by the values given. */
function substituteRefs(expr: Expr, values: Map<string, Expr>): Expr {
  return rewriteExpr(expr, (inner) => (inner.kind === "ref" ? values.get(inner.target) : undefined));
}

/** SAM's DeadLetterQueuePolicy: sqs:SendMessage or sns:Publish on the target (samtranslator model/iam.py). */
function deadLetterSource(deadLetter: Expr, functionId: string): SamPolicySource {
  const type = literalText(entryOf(deadLetter, "Type"));
  const target = entryOf(deadLetter, "TargetArn");
  const actions = destinationActions("deadLetter", type);
  if (!actions || !target) return { kind: "unknown", reason: `${functionId}'s DeadLetterQueue cannot be read` };
  return inlineStatements([{ actions, resource: target }], `DeadLetterQueuePolicy that SAM adds for ${functionId}`, deadLetter.node);
}

/** What SAM adds for a pull event's OnFailure destination, only when its `Type` is given (eventsources/pull.py). */
function pullDestinationSource(
  onFailure: Expr,
  functionId: string,
  eventName: string,
  actionsByType: Record<string, string[]>,
): SamPolicySource {
  const type = literalText(entryOf(onFailure, "Type"));
  const target = entryOf(onFailure, "Destination");
  const label = `OnFailure destination policy that SAM adds for ${functionId}'s event ${eventName}`;
  if (type === undefined)
    return {
      kind: "document",
      document: toExpr(syntheticNode({ Statement: [] }, onFailure.node)),
      label,
      at: onFailure.node,
      bundled: true,
    };
  // S3 destinations' actions are on the bucket and its objects, which this linter does not model.
  const actions = type === "S3" ? undefined : actionsByType[type];
  if (!actions || !target) return { kind: "unknown", reason: `the ${label} is not modelled` };
  return inlineStatements([{ actions, resource: target }], label, onFailure.node);
}

/** SAM's destination policies for EventInvokeConfig (samtranslator model/iam.py). */
function destinationSource(destination: Expr, functionId: string, key: string): SamPolicySource {
  const type = literalText(entryOf(destination, "Type"));
  const target = entryOf(destination, "Destination");
  const label = `${key} destination policy that SAM adds for ${functionId}`;
  if (!type || !target) return { kind: "unknown", reason: `${functionId}'s ${key} destination cannot be read` };
  // S3Bucket: SAM builds `${bucketArn}/*` for s3:PutObject, which we do not model yet.
  const actions = destinationActions("async", type);
  return actions ? inlineStatements([{ actions, resource: target }], label, destination.node) : { kind: "unknown", reason: label };
}

/** A policy document of Allow statements, each granting its actions on a template value. */
function inlineStatements(statements: Array<{ actions: string[]; resource: Expr }>, label: string, at: Located): SamPolicySource {
  const document = toExpr(
    syntheticNode({ Statement: statements.map(({ actions }) => ({ Effect: "Allow", Action: actions, Resource: "" })) }, at),
  );
  const items = entryOf(document, "Statement");
  // The resources are template values (a Ref, a GetAtt), so each replaces its placeholder as an expression.
  statements.forEach(({ resource }, index) => {
    const item = items?.kind === "list" ? items.items[index] : undefined;
    if (item?.kind === "object") item.entries.set("Resource", { key: resource.node, value: resource });
  });
  return { kind: "document", document, label, at, bundled: true };
}
