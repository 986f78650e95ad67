import type { Expr } from "../template/expr.js";
import type { Template } from "../template/model.js";
import { entryOf, literalText, someExpr } from "../template/expr.js";
import type { Analysis } from "./analysis.js";
import type { Need } from "./iam/need.js";
import { managedPolicyByName } from "./iam/managed-policies.js";
import { resourceOf } from "./sdk/call-resources.js";
import type { FunctionCode } from "./sdk/function-code.js";
import { MAPPING_PROPERTIES, MODELLED_PROPERTIES } from "./modelled-properties.js";
import { customerManagedKey, namesEncryptionKey } from "./wiring/encryption-keys.js";
import type { LambdaFunction } from "./wiring/functions.js";
import type { Requirement } from "./wiring/requirement.js";

/**
 * All that a function needs of its execution role, when it is known whole: what its configuration
 * needs (logs, VPC, tracing, dead-letter queue, destinations), what its event source mappings need, and
 * what every SDK call of its code needs. Otherwise why not: each reason a user can act on or accept.
 */
export type { Need };

export type FunctionNeeds = { kind: "known"; needs: Need[] } | { kind: "unknown"; why: string[] };

/** Request members by which a request sets its own encryption (S3's ServerSideEncryption, SSEKMSKeyId, a KmsKeyId). */
const KMS_INPUT = /kms|ServerSideEncryption/iu;

/** KMS's data-key and description actions: what a service may ask of a key for the caller of its API. */
const KMS_DATA_ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:DescribeKey",
];

export function functionNeeds(analysis: Analysis, fn: LambdaFunction, code: FunctionCode): FunctionNeeds {
  const why: string[] = [];
  const needs: Need[] = [];
  const { template } = analysis;
  const properties = fn.resource.properties;
  if (template.unexpanded.length > 0) why.push(`${template.unexpanded[0]!.what} is not expanded`);
  if (fn.resource.propertiesUnknown) why.push(fn.resource.propertiesUnknown);
  if (fn.resource.condition) why.push(`it exists only under condition ${fn.resource.condition}`);
  if (properties && containsIf(properties)) why.push("its configuration depends on conditions (Fn::If)");
  for (const name of properties?.kind === "object" ? properties.entries.keys() : [])
    if (!MODELLED_PROPERTIES.has(name)) why.push(`what its ${name} needs is not modelled`);
  const tracing = entryOf(properties, "Tracing") ?? entryOf(entryOf(properties, "TracingConfig"), "Mode");
  if (tracing && literalText(tracing) === undefined) why.push("its tracing mode is not known");

  const features = analysis.wiring.features(fn);
  const has = (name: string) => features.some((feature) => feature.name === name);
  if ((entryOf(properties, "DeadLetterConfig") ?? entryOf(properties, "DeadLetterQueue")) && !has("DeadLetterQueue"))
    why.push("its dead-letter queue's type is not known");
  const invokeConfigs = [...template.resources.values()].filter((resource) => resource.type === "AWS::Lambda::EventInvokeConfig");
  if (invokeConfigs.length > new Set(analysis.functions.flatMap((other) => analysis.wiring.eventInvokeConfigs(other))).size)
    why.push("an EventInvokeConfig's function is not known");
  if (destinationCount(analysis, fn) > features.filter((feature) => feature.name === "Destinations").length)
    why.push("a destination's type is not known");
  for (const feature of features) {
    needs.push(...known(feature.requirements, feature.label, why));
    if (feature.managedPolicy) needs.push(...documented(feature.managedPolicy, feature.label));
  }

  const declaredMappings = [...template.resources.values()].filter((resource) => resource.type === "AWS::Lambda::EventSourceMapping");
  const mappings = analysis.wiring.eventSourceMappings;
  if (declaredMappings.some((resource) => !mappings.some((mapping) => mapping.name === resource.logicalId)))
    why.push("an event source mapping's function is not known");
  for (const mapping of mappings.filter((candidate) => candidate.fn === fn)) {
    const reason = `${mapping.facts.label} ${mapping.name}`;
    // A property of the mapping whose needs are not modelled (its own KmsKeyArn, encrypting its filter criteria).
    const settings = mapping.viaSam
      ? entryOf(samEvents(fn).find(([name]) => `${fn.logicalId}.Events.${name}` === mapping.name)?.[1], "Properties")
      : template.resources.get(mapping.name)?.properties;
    for (const name of settings?.kind === "object" ? settings.entries.keys() : [])
      if (!MAPPING_PROPERTIES.has(name)) why.push(`what the ${name} of ${reason} needs is not modelled`);
    // A Kafka mapping's schema registry (AWS Glue, or a Confluent registry's secret) is read with the role.
    const kafka = entryOf(settings, "AmazonManagedKafkaEventSourceConfig") ?? entryOf(settings, "SelfManagedKafkaEventSourceConfig");
    if (entryOf(kafka, "SchemaRegistryConfig")) why.push(`what the schema registry of ${reason} needs is not modelled`);
    needs.push(...known(analysis.wiring.mappingRequirements(mapping), reason, why));
    // Without AWS's managed policy for the source, what AWS documents beyond what fails the mapping's creation
    // is not in the data (SAM's MQ event docs: the EC2 actions of a VPC broker; SAM's DocumentDB policy:
    // rds:DescribeDBClusterParameters and rds:DescribeDBSubnetGroups; shared/notes/aws-semantics-audit.md I6).
    if (mapping.facts.managedPolicy) needs.push(...documented(mapping.facts.managedPolicy, reason));
    else why.push(`the data does not list all that its ${reason} may use`);
  }
  for (const [name, event] of samEvents(fn))
    if (literalText(entryOf(event, "Type")) === undefined) why.push(`the type of its event ${name} is not known`);

  /** Calls whose request sets its own encryption (S3's SSEKMSKeyId): what they ask of KMS is not modelled. */
  const keyedRequests: string[] = [];
  if (code.kind === "partial") why.push(code.why);
  else {
    for (const { call, file, line } of code.calls) {
      const reason = `${file}:${line} ${call.label}`;
      const encryption = [...call.input.keys()].filter((key) => KMS_INPUT.test(key));
      if (encryption.length > 0) keyedRequests.push(`${reason}: its request sets its own encryption (${encryption.join(", ")})`);
      for (const action of call.actions) {
        const { resource, label, target } = resourceOf(analysis, fn, call, action);
        if (resource !== "*" && resource.some((part) => "symbol" in part && part.symbol === "{Unknown:resource}")) {
          why.push(`${reason}: the resource of ${action} is not known from the template`);
          continue;
        }
        needs.push({ anyOf: [action], resource, resourceLabel: label, reason, standing: "needed" });
        if (call.kmsWhenEncrypted.length === 0 || !target) continue;
        const key = customerManagedKey(template, analysis.iam.values, target);
        if (key === "unknown") why.push(`${reason}: whether ${target} is encrypted with a customer managed key is not known`);
        else if (key !== "none")
          for (const kms of call.kmsWhenEncrypted)
            needs.push({ anyOf: [kms], resource: key, resourceLabel: `the KMS key of ${target}`, reason, standing: "needed" });
      }
      // What the call may use by its input or target (AWS documents it), on whatever resource: never unused.
      for (const [action, when] of Object.entries(call.mayUse))
        needs.push({ anyOf: [action], resource: "*", resourceLabel: "*", reason: `${reason}: ${when}`, standing: "conditional" });
    }
  }
  // A resource they use that a customer managed key encrypts, or may (one the template does not declare, a
  // request that names its own key): what its service asks of KMS for the caller is not all modelled, so no
  // KMS grant is called unused.
  for (const reason of [...mayBeEncrypted(template, needs), ...keyedRequests])
    for (const action of KMS_DATA_ACTIONS)
      needs.push({ anyOf: [action], resource: "*", resourceLabel: "*", reason, standing: "conditional" });
  return why.length > 0 ? { kind: "unknown", why: [...new Set(why)] } : { kind: "known", needs };
}

/**
 * Why a need's resource is, or may be, encrypted with a customer managed key, with the need's reason: a
 * resource of the template whose encryption names one, or one the template does not declare (a literal
 * ARN, a parameter), whose encryption is not known.
 */
function mayBeEncrypted(template: Template, needs: Need[]): Set<string> {
  const found = new Set<string>();
  for (const need of needs) {
    if (need.resource === "*" || need.standing !== "needed") continue;
    const declared = need.resource.flatMap((part) => {
      if (!("symbol" in part)) return [];
      const id = part.expr.kind === "ref" ? part.expr.target : part.expr.kind === "getatt" ? part.expr.resource : undefined;
      return id && template.resources.has(id) ? [id] : [];
    });
    for (const id of declared)
      if (namesEncryptionKey(template, id)) found.add(`${need.reason}: ${id} is encrypted with a customer managed key`);
    if (declared.length === 0)
      found.add(
        `${need.reason}: ${need.resourceLabel} is not declared in this template, so whether a customer managed key encrypts it is not known`,
      );
  }
  return found;
}

/** The requirements whose resource is known, as needs; each other one is a reason the needs are not known whole. */
function known(requirements: Requirement[], reason: string, why: string[]): Need[] {
  const needs: Need[] = [];
  for (const requirement of requirements) {
    if (requirement.resource === undefined) why.push(`the resource of its ${reason} (${requirement.anyOf.join(", ")}) is not known`);
    else
      needs.push({
        anyOf: requirement.anyOf,
        resource: requirement.resource,
        resourceLabel: requirement.resourceLabel,
        reason,
        standing: "needed",
      });
    // A requirement's other spellings name the same resource: a grant on any of them serves it.
    for (const alternative of requirement.alternatives ?? [])
      needs.push({
        anyOf: requirement.anyOf,
        resource: alternative,
        resourceLabel: requirement.resourceLabel,
        reason,
        standing: "alternative",
      });
  }
  return needs;
}

/**
 * What AWS's managed policy for a feature or event source grants (AWSLambdaBasicExecutionRole for logs,
 * AWSLambdaSQSQueueExecutionRole for an SQS source, ...), on `*` as AWS writes it: AWS publishes
 * these, so a grant of them is never called unused, nor its `*` scope too wide.
 */
function documented(policy: string, reason: string): Need[] {
  const lookup = managedPolicyByName(policy);
  if (lookup.kind !== "known") return [];
  const actions = (lookup.statements as Array<{ Effect?: string; Action?: string | string[] }>)
    .filter((statement) => statement.Effect === "Allow")
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : statement.Action ? [statement.Action] : []));
  return actions.map((action) => ({
    anyOf: [action],
    resource: "*",
    resourceLabel: "*",
    reason: `${reason} (AWS's ${policy})`,
    standing: "documented",
  }));
}

/** How many OnSuccess and OnFailure destinations the function's configurations name. */
function destinationCount(analysis: Analysis, fn: LambdaFunction): number {
  const configs = [
    ...(fn.resource.type === "AWS::Serverless::Function" ? [entryOf(fn.resource.properties, "EventInvokeConfig")] : []),
    ...analysis.wiring.eventInvokeConfigs(fn).map((resource) => resource.properties),
  ];
  return configs.reduce(
    (count, config) =>
      count + ["OnSuccess", "OnFailure"].filter((key) => entryOf(entryOf(entryOf(config, "DestinationConfig"), key), "Destination")).length,
    0,
  );
}

function samEvents(fn: LambdaFunction): Array<[string, Expr]> {
  const events = entryOf(fn.resource.properties, "Events");
  if (fn.resource.type !== "AWS::Serverless::Function" || events?.kind !== "object") return [];
  return [...events.entries].map(([name, entry]) => [name, entry.value]);
}

function containsIf(expr: Expr): boolean {
  return someExpr(expr, (inner) => inner.kind === "if");
}
