import samPolicyTemplateData from "../../data/sam-policy-templates.json" with { type: "json" };
import type { Expr, ObjectExpr } from "../../template/expr.js";
import { entryOf, literalText, toExpr } from "../../template/expr.js";
import type { Resource } from "../../template/model.js";
import { syntheticNode } from "../../template/synthetic.js";
import type { Located } from "../finding.js";

const POLICY_TEMPLATES = samPolicyTemplateData as Record<string, { parameters: string[]; definition: unknown }>;

/** One source of permissions of a SAM-generated role. */
export type SamPolicySource =
  | { kind: "managed"; name: string; at: Located | undefined }
  | { kind: "arn"; arn: Expr }
  | { kind: "document"; document: Expr; label: string; at: Located | undefined }
  | { kind: "unknown"; reason: string };

/** Pull event types and the AWS managed policy SAM attaches for each (samtranslator eventsources/pull.py). */
const PULL_EVENT_POLICIES: Record<string, string | undefined> = {
  SQS: "AWSLambdaSQSQueueExecutionRole",
  Kinesis: "AWSLambdaKinesisExecutionRole",
  DynamoDB: "AWSLambdaDynamoDBExecutionRole",
  MSK: "AWSLambdaMSKExecutionRole",
  MQ: undefined,
  SelfManagedKafka: undefined,
  DocumentDB: undefined,
};

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
  if (entryOf(properties, "VpcConfig")) sources.push({ kind: "managed", name: "AWSLambdaVPCAccessExecutionRole", at: entryNode(properties, "VpcConfig") });
  const tracing = entryOf(properties, "Tracing");
  if (tracing && literalText(tracing) !== "Disabled") {
    sources.push(literalText(tracing) === undefined
      ? { kind: "unknown", reason: `${fn.logicalId}'s Tracing cannot be read` }
      : { kind: "managed", name: "AWSXrayWriteOnlyAccess", at: entryNode(properties, "Tracing") });
  }
  const deadLetter = entryOf(properties, "DeadLetterQueue");
  if (deadLetter) sources.push(deadLetterSource(deadLetter, fn.logicalId));
  const destinations = entryOf(entryOf(properties, "EventInvokeConfig"), "DestinationConfig");
  for (const key of ["OnSuccess", "OnFailure"]) {
    const destination = entryOf(destinations, key);
    if (destination) sources.push(destinationSource(destination, fn.logicalId, key));
  }
  const events = entryOf(properties, "Events");
  if (events?.kind === "object") {
    for (const [name, { value: event }] of events.entries) {
      const type = literalText(entryOf(event, "Type"));
      if (type === undefined || !(type in PULL_EVENT_POLICIES)) continue;
      const managed = PULL_EVENT_POLICIES[type];
      if (managed) sources.push({ kind: "managed", name: managed, at: event.node });
      const onFailure = entryOf(entryOf(entryOf(event, "Properties"), "DestinationConfig"), "OnFailure");
      if (onFailure) sources.push(pullDestinationSource(onFailure, fn.logicalId, name));
      const inlineExtras = type === "MSK" && (entryOf(entryOf(event, "Properties"), "SourceAccessConfigurations") || entryOf(entryOf(event, "Properties"), "SchemaRegistryConfig"));
      if (!managed || inlineExtras) sources.push({ kind: "unknown", reason: `the policy SAM generates for ${type} event ${name} is not modelled` });
    }
  } else if (events) {
    sources.push({ kind: "unknown", reason: `${fn.logicalId}'s Events cannot be read` });
  }
  return sources;
}

function entryNode(properties: ObjectExpr | undefined, key: string): Located | undefined {
  return properties?.entries.get(key)?.key;
}

function policySource(item: Expr, functionId: string): SamPolicySource {
  const name = literalText(item);
  if (name !== undefined) {
    return name.startsWith("arn:") ? { kind: "arn", arn: item } : { kind: "managed", name, at: item.node };
  }
  if (item.kind === "object") {
    if (item.entries.has("Statement")) return { kind: "document", document: item, label: `inline policy in ${functionId}'s Policies`, at: item.node };
    if (item.entries.size === 1) {
      const [templateName, { value: parameters }] = [...item.entries][0]!;
      return policyTemplateSource(templateName, parameters, item);
    }
  }
  if (item.kind === "ref" || item.kind === "sub" || item.kind === "join" || item.kind === "call") return { kind: "arn", arn: item };
  return { kind: "unknown", reason: `an entry of ${functionId}'s Policies cannot be read` };
}

/** Expands a SAM policy template (`SQSPollerPolicy: {QueueName: ...}`) with its parameters. */
function policyTemplateSource(templateName: string, parameters: Expr, item: Expr): SamPolicySource {
  const template = POLICY_TEMPLATES[templateName];
  if (!template) return { kind: "unknown", reason: `${templateName} is not a SAM policy template we know` };
  const values = new Map<string, Expr>();
  for (const parameter of template.parameters) {
    const value = entryOf(parameters, parameter);
    if (!value) return { kind: "unknown", reason: `SAM policy template ${templateName} lacks its ${parameter} parameter` };
    values.set(parameter, value);
  }
  const definition = substituteRefs(toExpr(syntheticNode(template.definition, item.node)), values);
  return { kind: "document", document: definition, label: `SAM policy template ${templateName}`, at: item.node };
}

/** Replaces `{Ref: Parameter}` (also inside `Fn::Sub` variable maps) by the values given. */
function substituteRefs(expr: Expr, values: Map<string, Expr>): Expr {
  switch (expr.kind) {
    case "ref":
      return values.get(expr.target) ?? expr;
    case "list":
      return { ...expr, items: expr.items.map((item) => substituteRefs(item, values)) };
    case "object":
      return { ...expr, entries: new Map([...expr.entries].map(([key, entry]) => [key, { key: entry.key, value: substituteRefs(entry.value, values) }])) };
    case "sub":
      return { ...expr, variables: new Map([...expr.variables].map(([name, value]) => [name, substituteRefs(value, values)])) };
    case "join":
      return { ...expr, delimiter: substituteRefs(expr.delimiter, values), items: substituteRefs(expr.items, values) };
    case "if":
      return { ...expr, whenTrue: substituteRefs(expr.whenTrue, values), whenFalse: substituteRefs(expr.whenFalse, values) };
    case "call":
      return { ...expr, argument: substituteRefs(expr.argument, values) };
    default:
      return expr;
  }
}

/** SAM's DeadLetterQueuePolicy: sqs:SendMessage or sns:Publish on the target (samtranslator model/iam.py). */
function deadLetterSource(deadLetter: Expr, functionId: string): SamPolicySource {
  const type = literalText(entryOf(deadLetter, "Type"));
  const target = entryOf(deadLetter, "TargetArn");
  const action = type === "SQS" ? "sqs:SendMessage" : type === "SNS" ? "sns:Publish" : undefined;
  if (!action || !target) return { kind: "unknown", reason: `${functionId}'s DeadLetterQueue cannot be read` };
  return inlineStatement(action, target, `DeadLetterQueuePolicy that SAM adds for ${functionId}`, deadLetter.node);
}

/** What SAM adds for a pull event's OnFailure destination, only when its `Type` is given (eventsources/pull.py). */
function pullDestinationSource(onFailure: Expr, functionId: string, eventName: string): SamPolicySource {
  const type = literalText(entryOf(onFailure, "Type"));
  const target = entryOf(onFailure, "Destination");
  const label = `OnFailure destination policy that SAM adds for ${functionId}'s event ${eventName}`;
  if (type === undefined) return { kind: "document", document: toExpr(syntheticNode({ Statement: [] }, onFailure.node)), label, at: onFailure.node };
  const action = type === "SQS" ? "sqs:SendMessage" : type === "SNS" ? "sns:publish" : undefined;
  if (!action || !target) return { kind: "unknown", reason: `the ${label} is not modelled` };
  return inlineStatement(action, target, label, onFailure.node);
}

/** SAM's destination policies for EventInvokeConfig (samtranslator model/iam.py). */
function destinationSource(destination: Expr, functionId: string, key: string): SamPolicySource {
  const type = literalText(entryOf(destination, "Type"));
  const target = entryOf(destination, "Destination");
  const label = `${key} destination policy that SAM adds for ${functionId}`;
  if (!type || !target) return { kind: "unknown", reason: `${functionId}'s ${key} destination cannot be read` };
  const actions: Record<string, string> = { SQS: "sqs:SendMessage", SNS: "sns:publish", Lambda: "lambda:InvokeFunction", EventBridge: "events:PutEvents" };
  // S3Bucket: SAM builds `${bucketArn}/*` for s3:PutObject, which we do not model yet.
  const action = actions[type];
  return action ? inlineStatement(action, target, label, destination.node) : { kind: "unknown", reason: label };
}

/** A one-statement policy document granting `action` on the template value `resource`. */
function inlineStatement(action: string, resource: Expr, label: string, at: Located): SamPolicySource {
  const document = toExpr(syntheticNode({ Statement: [{ Effect: "Allow", Action: action, Resource: "" }] }, at));
  const statement = entryOf(document, "Statement");
  const first = statement?.kind === "list" ? statement.items[0] : undefined;
  // The resource is a template value (a Ref, a GetAtt), so it replaces the placeholder as an expression.
  if (first?.kind === "object") first.entries.set("Resource", { key: resource.node, value: resource });
  return { kind: "document", document, label, at };
}
