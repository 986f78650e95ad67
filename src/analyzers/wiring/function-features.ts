import type { ValueNode } from "../../language/ast.js";
import type { Assumption } from "../../template/conditions.js";
import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import { mergeText, partsDisplay, partsText } from "../../template/interpolation.js";
import { stackArn } from "../../template/arns.js";
import type { DestinationUse } from "./destinations.js";
import { destinationActions, destinationType } from "./destinations.js";
import { arnService } from "./event-sources.js";
import type { LambdaFunction } from "./functions.js";
import { expandConditions } from "./functions.js";
import type { Resource, Template } from "../../template/model.js";
import type { ResourceValues } from "../../template/resource-values.js";
import type { Requirement } from "./requirement.js";

/** One feature of a function's configuration and what its role must allow for it. */
export interface Feature {
  name: string;
  /** How messages describe it: "VPC configuration", "dead-letter queue", ... */
  label: string;
  at: ValueNode;
  requirements: Requirement[];
  consequence: string;
  /** What SAM would have added to a role it generates (for SAM functions with an explicit Role). */
  samAdds: string | undefined;
  /** The AWS managed policy that grants what the feature needs, for a suggestion. */
  managedPolicy?: string;
  /**
   * Whether Lambda checks the role for it when it creates the function, so that a separate policy must
   * exist first (VPC, dead-letter queue, tracing's PutTraceSegments; the data calls destinations unverified).
   */
  validatedAtCreate: boolean;
  /** The condition values under which the function has the feature (an `Fn::If` branch): checked under them. */
  assumptions?: Assumption[];
}

const FAILS_DEPLOY = "CloudFormation fails to create the function";
/**
 * What a VPC function's role needs for its network interfaces: ec2:DescribeNetworkInterfaces on `*` (it
 * takes no resource), and creating and deleting them, which a role may scope to the account's EC2 ARNs
 * (`arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*` or the network-interface ARNs).
 */
function networkInterfaceRequirements(fn: LambdaFunction): Requirement[] {
  const node = fn.resource.node.key;
  const someInterface = {
    symbol: `{Attribute:${fn.logicalId}.NetworkInterface}`,
    expr: { kind: "ref" as const, target: `${fn.logicalId}.NetworkInterface`, node },
  };
  const interfaces = stackArn("ec2", [{ text: "network-interface/" }, someInterface], node);
  const label = "the network interfaces of the stack's account and region";
  return [
    { anyOf: ["ec2:CreateNetworkInterface"], resource: interfaces, resourceLabel: label },
    { anyOf: ["ec2:DescribeNetworkInterfaces"], resource: "*", resourceLabel: "*" },
    { anyOf: ["ec2:DeleteNetworkInterface"], resource: interfaces, resourceLabel: label },
  ];
}

/** What the features of a function are read from: the context graph, as far as they need it. */
export interface FeatureContext {
  template: Template;
  values: ResourceValues;
  /** Canonical names of the log groups the template declares. */
  declaredLogGroups: Set<string>;
  eventInvokeConfigs(fn: LambdaFunction): Resource[];
}

/** What each part of a function's configuration needs from its role: logs, VPC, tracing, dead-letter queue, destinations. */
export function functionFeatures(context: FeatureContext, fn: LambdaFunction): Feature[] {
  const properties = fn.resource.properties;
  const isSam = fn.resource.type === "AWS::Serverless::Function";
  const keyOf = (name: string) => properties?.entries.get(name)?.key;
  const features: Feature[] = [logging(context, fn)];

  for (const { value: vpc, assumptions } of branches(entryOf(properties, "VpcConfig"))) {
    const subnets = entryOf(vpc, "SubnetIds");
    if (!subnets || (subnets.kind === "list" && subnets.items.length === 0)) continue;
    features.push({
      name: "VpcConfig",
      label: "VPC configuration",
      at: keyOf("VpcConfig")!,
      requirements: networkInterfaceRequirements(fn),
      consequence: FAILS_DEPLOY,
      samAdds: "AWSLambdaVPCAccessExecutionRole",
      managedPolicy: "AWSLambdaVPCAccessExecutionRole",
      validatedAtCreate: true,
      assumptions,
    });
  }

  const tracingModes = isSam
    ? branches(entryOf(properties, "Tracing"))
    : branches(entryOf(properties, "TracingConfig")).flatMap((config) => branches(entryOf(config.value, "Mode"), config.assumptions));
  for (const { value: mode, assumptions } of tracingModes) {
    if (literalText(mode) !== "Active") continue;
    // Lambda refuses to create or update the function without PutTraceSegments ("The provided execution role
    // does not have permissions to call PutTraceSegments on XRAY"). For PutTelemetryRecords AWS documents only
    // that it is among what a function needs to upload trace data, not what fails without it.
    features.push({
      name: "Tracing",
      label: "active tracing",
      at: keyOf(isSam ? "Tracing" : "TracingConfig")!,
      requirements: [
        { anyOf: ["xray:PutTraceSegments"], resource: "*", resourceLabel: "*" },
        {
          anyOf: ["xray:PutTelemetryRecords"],
          resource: "*",
          resourceLabel: "*",
          consequence: "the Lambda developer guide lists it among what a function needs to upload trace data to X-Ray",
        },
      ],
      consequence: FAILS_DEPLOY,
      samAdds: "AWSXrayWriteOnlyAccess",
      managedPolicy: "AWSXRayDaemonWriteAccess",
      validatedAtCreate: true,
      assumptions,
    });
  }

  const deadLetterKey = isSam ? "DeadLetterQueue" : "DeadLetterConfig";
  const deadLetters = branches(entryOf(properties, deadLetterKey)).flatMap((config) =>
    branches(entryOf(config.value, "TargetArn"), config.assumptions),
  );
  for (const { value: target, assumptions } of deadLetters) {
    const requirements = targetRequirements(context, target, "deadLetter");
    if (requirements.length === 0) continue;
    features.push({
      name: "DeadLetterQueue",
      label: "dead-letter queue",
      at: keyOf(deadLetterKey)!,
      requirements,
      consequence: FAILS_DEPLOY,
      samAdds: "a DeadLetterQueuePolicy",
      validatedAtCreate: true,
      assumptions,
    });
  }

  features.push(...destinations(context, fn));
  return features;
}

/** A property's value per `Fn::If` branch, with the condition values that select it; `AWS::NoValue` branches left out. */
function branches(expr: Expr | undefined, assumptions: Assumption[] = []): Array<{ value: Expr; assumptions: Assumption[] }> {
  if (!expr) return [];
  return expandConditions(expr, assumptions).filter(({ value }) => !(value.kind === "ref" && value.target === "AWS::NoValue"));
}

/** CloudWatch Logs: the function's log group (its own, or `LoggingConfig.LogGroup`). */
function logging(context: FeatureContext, fn: LambdaFunction): Feature {
  const { values } = context;
  const properties = fn.resource.properties;
  const node = fn.resource.node.key;
  const custom = entryOf(entryOf(properties, "LoggingConfig"), "LogGroup");
  const functionName = values.parts({ kind: "ref", target: fn.logicalId, node });
  const nameParts = custom ? values.parts(custom) : functionName && mergeText([{ text: "/aws/lambda/" }, ...functionName]);
  const groupArn = nameParts && logGroupArn(nameParts, node, []);
  const streamArn =
    nameParts &&
    logGroupArn(nameParts, node, [
      { text: ":log-stream:" },
      { symbol: `{Attribute:${fn.logicalId}.LogStream}`, expr: { kind: "ref", target: `${fn.logicalId}.LogStream`, node } },
    ]);
  const groupLabel = nameParts ? `log group ${partsDisplay(nameParts)}` : "its log group";
  const requirements: Requirement[] = [
    { anyOf: ["logs:CreateLogStream"], resource: streamArn, resourceLabel: groupLabel },
    { anyOf: ["logs:PutLogEvents"], resource: streamArn, resourceLabel: groupLabel },
  ];
  if (!custom && !(nameParts && context.declaredLogGroups.has(partsText(nameParts)))) {
    // The Service Authorization Reference names the group ARN; policies commonly grant it as "<group>:*",
    // and Lambda's own access-denied message names "<group>:log-stream:", so "<group>:log-stream:*" works too.
    const alternatives = nameParts
      ? [logGroupArn(nameParts, node, [{ text: ":*" }]), logGroupArn(nameParts, node, [{ text: ":log-stream:" }])]
      : [];
    requirements.push({ anyOf: ["logs:CreateLogGroup"], resource: groupArn, resourceLabel: groupLabel, alternatives });
  }
  const at = properties?.entries.get("LoggingConfig")?.key ?? node;
  return {
    name: "Logging",
    label: "CloudWatch Logs",
    at,
    requirements,
    consequence: "its logs are silently lost",
    samAdds: undefined,
    managedPolicy: "AWSLambdaBasicExecutionRole",
    validatedAtCreate: false,
  };
}

/** `arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:<name><suffix>`. */
function logGroupArn(nameParts: Part[], node: ValueNode, suffix: Part[]): Part[] {
  return stackArn("logs", [{ text: "log-group:" }, ...nameParts, ...suffix], node);
}

/** What sending to a target needs, by the type its ARN names (`!GetAtt Queue.Arn` is an SQS queue). */
function targetRequirements(context: FeatureContext, target: Expr, use: DestinationUse): Requirement[] {
  const parts = context.values.parts(target);
  const actions = destinationActions(use, destinationType(parts ? arnService(parts) : undefined)) ?? [];
  const label =
    target.kind === "getatt" ? target.resource : target.kind === "ref" ? target.target : parts ? partsDisplay(parts) : "its target";
  return actions.map((action) => ({ anyOf: [action], resource: parts, resourceLabel: label }));
}

/** Asynchronous invocation destinations: `AWS::Lambda::EventInvokeConfig` and SAM's `EventInvokeConfig`. */
function destinations(context: FeatureContext, fn: LambdaFunction): Feature[] {
  const features: Feature[] = [];
  const add = (config: Expr | undefined, at: ValueNode, sam: boolean) => {
    for (const key of ["OnSuccess", "OnFailure"]) {
      // Each Fn::If branch of the config, the destination and its ARN, checked under its conditions.
      const targets = branches(entryOf(config, "DestinationConfig")).flatMap((outer) =>
        branches(entryOf(outer.value, key), outer.assumptions).flatMap((destination) =>
          branches(entryOf(destination.value, "Destination"), destination.assumptions).map((target) => ({ destination, target })),
        ),
      );
      for (const { destination, target } of targets) {
        const requirements = targetRequirements(context, target.value, "async");
        if (requirements.length === 0) continue;
        features.push({
          name: "Destinations",
          label: `${key} destination`,
          at,
          requirements,
          consequence:
            "Lambda may reject the configuration when CloudFormation creates it; otherwise records are not delivered (DestinationDeliveryFailures)",
          samAdds: sam && literalText(entryOf(destination.value, "Type")) ? `a ${key} destination policy` : undefined,
          validatedAtCreate: false,
          assumptions: target.assumptions,
        });
      }
    }
  };
  if (fn.resource.type === "AWS::Serverless::Function") {
    const key = fn.resource.properties?.entries.get("EventInvokeConfig");
    if (key) add(key.value, key.key, true);
  }
  for (const resource of context.eventInvokeConfigs(fn)) add(resource.properties, resource.node.key, false);
  return features;
}
