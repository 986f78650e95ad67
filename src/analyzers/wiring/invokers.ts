import invokerData from "../../data/invokers.json" with { type: "json" };
import type { ValueNode } from "../../language/ast.js";
import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import { stackArn } from "../../template/arns.js";
import { interpolate } from "../../template/interpolation.js";
import type { Resource, Template } from "../../template/model.js";
import type { LambdaFunction } from "./functions.js";
import type { FunctionIndex, FunctionTarget } from "./function-references.js";
import type { ResourceValues } from "../../template/resource-values.js";

export interface InvokerFacts {
  principals: string[];
  /** The SAM push event types that make this invoker (and generate its permission). */
  samEvents: string[];
  regionalPrincipal: boolean;
  phase: string;
  effect: string;
}

export const INVOKERS = invokerData as Record<string, InvokerFacts>;

/** A resource that makes a service invoke a function of this template. */
export interface Invoker {
  kind: string;
  facts: InvokerFacts;
  /** The invoking resource's logical id. */
  name: string;
  resource: Resource;
  /** The value that names the function: findings are reported there. */
  at: ValueNode;
  fn: LambdaFunction;
  qualifier: string | undefined;
  /** The ARN that the service sends as aws:SourceArn, when we can write it down. */
  sourceArn: Part[] | undefined;
  /**
   * The role the service invokes with (an EventBridge target's `RoleArn`, an API Gateway integration's
   * `Credentials`/`CredentialsArn`): then that role's identity policy, not a resource policy, permits it.
   */
  callerRole: Expr | undefined;
}

interface Context {
  template: Template;
  values: ResourceValues;
}

type Reference = { expr: Expr; sourceArn: Part[] | undefined; callerRole?: Expr | undefined };

interface Extractor {
  kind: string;
  type: string;
  references: (resource: Resource, context: Context) => Reference[];
}

/** Where each kind of invoker names the function, and the source ARN the service presents. */
const EXTRACTORS: Extractor[] = Object.entries({
  S3: {
    type: "AWS::S3::Bucket",
    references: (bucket, context) =>
      listItems(entryOf(entryOf(bucket.properties, "NotificationConfiguration"), "LambdaConfigurations")).flatMap((configuration) =>
        present(entryOf(configuration, "Function"), attribute(context, bucket, "Arn")),
      ),
  },
  SNS: {
    type: "AWS::SNS::Subscription",
    references: (subscription, context) =>
      literalText(entryOf(subscription.properties, "Protocol")) === "lambda"
        ? present(entryOf(subscription.properties, "Endpoint"), partsOf(context, entryOf(subscription.properties, "TopicArn")))
        : [],
  },
  EventBridgeRule: {
    type: "AWS::Events::Rule",
    references: (rule, context) =>
      listItems(entryOf(rule.properties, "Targets")).flatMap((target) =>
        present(entryOf(target, "Arn"), attribute(context, rule, "Arn"), entryOf(target, "RoleArn")),
      ),
  },
  ApiGatewayREST: {
    type: "AWS::ApiGateway::Method",
    references: (method, context) => {
      const integration = entryOf(method.properties, "Integration");
      const uri = entryOf(integration, "Uri");
      const functionArn = uri && functionInIntegrationUri(uri);
      const httpMethod = literalText(entryOf(method.properties, "HttpMethod"));
      const sourceArn = executeApiArn(context, entryOf(method.properties, "RestApiId"), method, httpMethod);
      return functionArn ? [{ expr: functionArn, sourceArn, callerRole: entryOf(integration, "Credentials") }] : [];
    },
  },
  ApiGatewayHTTP: {
    type: "AWS::ApiGatewayV2::Integration",
    references: (integration, context) => {
      const uri = entryOf(integration.properties, "IntegrationUri");
      const functionArn = uri && (functionInIntegrationUri(uri) ?? uri);
      const sourceArn = executeApiArn(context, entryOf(integration.properties, "ApiId"), integration, null);
      return functionArn ? [{ expr: functionArn, sourceArn, callerRole: entryOf(integration.properties, "CredentialsArn") }] : [];
    },
  },
  CloudWatchLogsSubscription: {
    type: "AWS::Logs::SubscriptionFilter",
    references: (filter, context) => {
      const group = partsOf(context, entryOf(filter.properties, "LogGroupName"));
      const arn = group && arnWith(filter, "logs", [{ text: "log-group:" }, ...group, { text: ":*" }]);
      return present(entryOf(filter.properties, "DestinationArn"), arn);
    },
  },
  IoTTopicRule: {
    type: "AWS::IoT::TopicRule",
    references: (rule, context) =>
      listItems(entryOf(entryOf(rule.properties, "TopicRulePayload"), "Actions")).flatMap((action) =>
        present(entryOf(entryOf(action, "Lambda"), "FunctionArn"), attribute(context, rule, "Arn")),
      ),
  },
  CognitoUserPoolTriggers: {
    type: "AWS::Cognito::UserPool",
    references: (pool, context) => {
      const config = entryOf(pool.properties, "LambdaConfig");
      if (config?.kind !== "object") return [];
      return [...config.entries.values()].flatMap(({ value }) =>
        present(value.kind === "object" ? entryOf(value, "LambdaArn") : value, attribute(context, pool, "Arn")),
      );
    },
  },
  ALBTargetGroup: {
    type: "AWS::ElasticLoadBalancingV2::TargetGroup",
    references: (group) =>
      literalText(entryOf(group.properties, "TargetType")) === "lambda"
        ? listItems(entryOf(group.properties, "Targets")).flatMap((target) => present(entryOf(target, "Id"), undefined))
        : [],
  },
  SESReceiptRule: {
    type: "AWS::SES::ReceiptRule",
    references: (rule) =>
      listItems(entryOf(entryOf(rule.properties, "Rule"), "Actions")).flatMap((action) =>
        present(entryOf(entryOf(action, "LambdaAction"), "FunctionArn"), undefined),
      ),
  },
  ConfigCustomRule: {
    type: "AWS::Config::ConfigRule",
    references: (rule) => {
      const source = entryOf(rule.properties, "Source");
      return literalText(entryOf(source, "Owner")) === "CUSTOM_LAMBDA" ? present(entryOf(source, "SourceIdentifier"), undefined) : [];
    },
  },
  SecretsManagerRotation: {
    type: "AWS::SecretsManager::RotationSchedule",
    references: (schedule) => present(entryOf(schedule.properties, "RotationLambdaARN"), undefined),
  },
  CloudWatchAlarmAction: {
    type: "AWS::CloudWatch::Alarm",
    references: (alarm) =>
      ["AlarmActions", "OKActions", "InsufficientDataActions"].flatMap((key) =>
        listItems(entryOf(alarm.properties, key)).flatMap((action) => present(action, undefined)),
      ),
  },
  BedrockAgentActionGroup: {
    type: "AWS::Bedrock::Agent",
    references: (agent) =>
      listItems(entryOf(agent.properties, "ActionGroups")).flatMap((group) =>
        present(entryOf(entryOf(group, "ActionGroupExecutor"), "Lambda"), undefined),
      ),
  },
  CodeCommitTrigger: {
    type: "AWS::CodeCommit::Repository",
    references: (repository) =>
      listItems(entryOf(repository.properties, "Triggers")).flatMap((trigger) => present(entryOf(trigger, "DestinationArn"), undefined)),
  },
} as Record<string, Omit<Extractor, "kind">>)
  .map(([kind, extractor]) => ({ kind, ...extractor }))
  .concat({
    // A topic's own Subscription list, as well as AWS::SNS::Subscription.
    kind: "SNS",
    type: "AWS::SNS::Topic",
    references: (topic, context) =>
      listItems(entryOf(topic.properties, "Subscription"))
        .filter((subscription) => literalText(entryOf(subscription, "Protocol")) === "lambda")
        .flatMap((subscription) =>
          present(entryOf(subscription, "Endpoint"), context.values.parts({ kind: "ref", target: topic.logicalId, node: topic.node.key })),
        ),
  });

/** The invoker kinds the template is searched for (each must have its facts in invokers.json; a test holds it). */
export const EXTRACTOR_KINDS: ReadonlySet<string> = new Set(EXTRACTORS.map((extractor) => extractor.kind));

/** A place where a resource names a function for a service to invoke, a function of the template or not. */
export interface InvokerReference {
  kind: string;
  facts: InvokerFacts;
  resource: Resource;
  /** The value that names the function. */
  expr: Expr;
  sourceArn: Part[] | undefined;
  callerRole: Expr | undefined;
}

/** Every function reference of the template's push invokers. */
export function invokerReferences(template: Template, values: ResourceValues): InvokerReference[] {
  const context: Context = { template, values };
  const references: InvokerReference[] = [];
  for (const resource of template.resources.values()) {
    for (const { kind, type, references: extract } of EXTRACTORS) {
      const facts = INVOKERS[kind];
      if (resource.type !== type || !facts) continue;
      for (const reference of extract(resource, context))
        references.push({ kind, facts, resource, ...reference, callerRole: reference.callerRole });
    }
  }
  return references;
}

/** Every push invoker of the template whose target is one of its functions. */
export function pushInvokers(index: FunctionIndex, references: InvokerReference[]): Invoker[] {
  return references.flatMap(({ kind, facts, resource, expr, sourceArn, callerRole }) => {
    const target: FunctionTarget = index.target(expr);
    if (target.kind !== "function") return [];
    return [
      {
        kind,
        facts,
        name: resource.logicalId,
        resource,
        at: expr.node,
        fn: target.fn,
        qualifier: target.qualifier,
        sourceArn,
        callerRole,
      },
    ];
  });
}

function present(expr: Expr | undefined, sourceArn: Part[] | undefined, callerRole?: Expr): Reference[] {
  return expr ? [{ expr, sourceArn, callerRole }] : [];
}

function partsOf(context: Context, expr: Expr | undefined): Part[] | undefined {
  return expr ? context.values.parts(expr) : undefined;
}

function attribute(context: Context, resource: Resource, name: string): Part[] | undefined {
  return context.values.parts({ kind: "getatt", resource: resource.logicalId, attribute: name, node: resource.node.key });
}

/** An ARN of the invoking resource's service in the stack's region and account. */
function arnWith(resource: Resource, service: string, rest: Part[]): Part[] {
  return stackArn(service, rest, resource.node.key);
}

/**
 * `arn:...:execute-api:...:<api>/<stage>/<METHOD>/<path>` for a REST method, the stage left open (known
 * only at deploy time), the path read from its resources where they are in the template. An HTTP or
 * WebSocket API's route (`$default`, `$connect`, `GET /items`) follows the stage in a shape of its own:
 * `method` null leaves all of it open.
 */
function executeApiArn(
  context: Context,
  apiId: Expr | undefined,
  resource: Resource,
  method: string | undefined | null,
): Part[] | undefined {
  const api = partsOf(context, apiId);
  if (!api) return undefined;
  // A stage name and a method are one segment each (no `/`); a route or a path may hold several.
  const open = (what: string, kind = "Attribute"): Part => ({
    symbol: `{${kind}:${resource.logicalId}.${what}}`,
    expr: { kind: "ref", target: `${resource.logicalId}.${what}`, node: resource.node.key },
  });
  if (method === null) return arnWith(resource, "execute-api", [...api, { text: "/" }, open("StageAndRoute")]);
  const methodPart: Part = method && method !== "ANY" ? { text: method } : open("Method", "Segment");
  const path = restPath(context, entryOf(resource.properties, "ResourceId"), apiId, new Set()) ?? [open("Path")];
  return arnWith(resource, "execute-api", [
    ...api,
    { text: "/" },
    open("Stage", "Segment"),
    { text: "/" },
    methodPart,
    { text: "/" },
    ...path,
  ]);
}

/**
 * The path of a REST API resource as the execute-api ARN holds it: `orders/items` for resources whose
 * PathParts are literal, `""` for the API's root (`!GetAtt Api.RootResourceId` of the method's API), and a
 * segment with a path parameter (`{id}`, `{proxy+}`) left open. Undefined when the chain cannot be read.
 */
function restPath(context: Context, resourceId: Expr | undefined, apiId: Expr | undefined, visiting: Set<string>): Part[] | undefined {
  if (resourceId?.kind === "getatt" && resourceId.attribute === "RootResourceId") {
    const sameApi = apiId?.kind === "ref" && apiId.target === resourceId.resource;
    return sameApi ? [] : undefined;
  }
  if (resourceId?.kind !== "ref" || visiting.has(resourceId.target)) return undefined;
  const pathResource = context.template.resources.get(resourceId.target);
  if (pathResource?.type !== "AWS::ApiGateway::Resource" || pathResource.condition) return undefined;
  visiting.add(resourceId.target);
  const parent = restPath(context, entryOf(pathResource.properties, "ParentId"), apiId, visiting);
  const part = literalText(entryOf(pathResource.properties, "PathPart"));
  if (!parent || part === undefined) return undefined;
  // A path parameter's value is one segment; a greedy one (`{proxy+}`) may be several.
  const segment: Part = part.includes("{")
    ? {
        symbol: `{${part.includes("+}") ? "Attribute" : "Segment"}:${pathResource.logicalId}.PathPart}`,
        expr: { kind: "ref", target: `${pathResource.logicalId}.PathPart`, node: pathResource.node.key },
      }
    : { text: part };
  return parent.length === 0 ? [segment] : [...parent, { text: "/" }, segment];
}

/**
 * The function ARN inside an API Gateway integration URI:
 * `arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations`.
 */
function functionInIntegrationUri(uri: Expr): Expr | undefined {
  const parts = interpolate(uri);
  if (!parts) return undefined;
  for (let i = 1; i < parts.length - 1; i++) {
    const before = parts[i - 1]!;
    const after = parts[i + 1]!;
    const part = parts[i]!;
    if (
      "symbol" in part &&
      "text" in before &&
      before.text.endsWith("functions/") &&
      "text" in after &&
      after.text.startsWith("/invocations")
    ) {
      return part.expr;
    }
  }
  return undefined;
}

/** Whether the invoker calls with a role (or the caller's own identity) instead of a resource policy. */
export function invokesThroughRole(invoker: Invoker): invoker is Invoker & { callerRole: Expr } {
  const role = invoker.callerRole;
  // API Gateway reads a null Credentials as "use resource-based permissions".
  return role !== undefined && !(role.kind === "literal" && role.value === null);
}
