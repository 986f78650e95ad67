import type { ValueNode } from "../../language/ast.js";
import type { Expr } from "../../template/expr.js";
import { entryOf, literalBoolean, literalText } from "../../template/expr.js";
import type { Resource, Template } from "../../template/model.js";
import type { LambdaFunction } from "../execution-roles.js";
import type { FunctionTarget } from "../function-references.js";
import { functionTarget } from "../function-references.js";

/** An `AWS::Lambda::Permission`: who may invoke which function, scoped how. */
export interface LambdaPermission {
  logicalId: string;
  resource: Resource;
  at: ValueNode;
  target: FunctionTarget;
  /** The literal action, undefined when it is not a plain string. */
  action: string | undefined;
  /** The literal principal, undefined when it is not a plain string. */
  principal: string | undefined;
  principalExpr: Expr | undefined;
  sourceArn: Expr | undefined;
  sourceAccount: Expr | undefined;
  principalOrgId: Expr | undefined;
  eventSourceToken: Expr | undefined;
  functionUrlAuthType: string | undefined;
  invokedViaFunctionUrl: boolean;
  /** True for the permission SAM generates for a push event (reported at the event). */
  viaSam: boolean;
}

/** The principal of the permission SAM generates for each push event type (samtranslator eventsources/push.py). */
const SAM_EVENT_PRINCIPALS: Record<string, string> = {
  S3: "s3.amazonaws.com",
  SNS: "sns.amazonaws.com",
  Api: "apigateway.amazonaws.com",
  HttpApi: "apigateway.amazonaws.com",
  Schedule: "events.amazonaws.com",
  EventBridgeRule: "events.amazonaws.com",
  CloudWatchEvent: "events.amazonaws.com",
  CloudWatchLogs: "logs.amazonaws.com",
  IoTRule: "iot.amazonaws.com",
  AlexaSkill: "alexa-appkit.amazon.com",
  Cognito: "cognito-idp.amazonaws.com",
};

/**
 * Every `AWS::Lambda::Permission` of the template, and the permissions SAM generates for push events:
 * those are read as unscoped (their SourceArn is SAM's business), so they satisfy any invoker of the
 * same principal.
 */
export function lambdaPermissions(template: Template, functions: LambdaFunction[]): LambdaPermission[] {
  const permissions: LambdaPermission[] = [];
  for (const fn of functions) {
    if (fn.resource.type !== "AWS::Serverless::Function") continue;
    const events = entryOf(fn.resource.properties, "Events");
    if (events?.kind !== "object") continue;
    const qualifier = literalText(entryOf(fn.resource.properties, "AutoPublishAlias"));
    for (const [name, { key, value }] of events.entries) {
      const principal = SAM_EVENT_PRINCIPALS[literalText(entryOf(value, "Type")) ?? ""];
      if (!principal) continue;
      const type = literalText(entryOf(value, "Type"));
      permissions.push({
        logicalId: `${fn.logicalId}${name}Permission`,
        resource: fn.resource,
        at: key,
        target: { kind: "function", fn, qualifier },
        action: "lambda:InvokeFunction",
        principal,
        principalExpr: undefined,
        // SAM scopes every generated permission by SourceArn or SourceAccount, except an AlexaSkill
        // event's, which is scoped by its SkillId (EventSourceToken) when one is given.
        sourceArn: undefined,
        sourceAccount: type === "AlexaSkill" ? undefined : { kind: "ref", target: "AWS::AccountId", node: key },
        principalOrgId: undefined,
        eventSourceToken: type === "AlexaSkill" ? entryOf(entryOf(value, "Properties"), "SkillId") : undefined,
        functionUrlAuthType: undefined,
        invokedViaFunctionUrl: false,
        viaSam: true,
      });
    }
  }
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::Permission") continue;
    const properties = resource.properties;
    const principalExpr = entryOf(properties, "Principal");
    permissions.push({
      logicalId: resource.logicalId,
      resource,
      at: resource.node.key,
      target: functionTarget(template, functions, entryOf(properties, "FunctionName")),
      action: literalText(entryOf(properties, "Action")),
      principal: literalText(principalExpr),
      principalExpr,
      sourceArn: entryOf(properties, "SourceArn"),
      sourceAccount: entryOf(properties, "SourceAccount"),
      principalOrgId: entryOf(properties, "PrincipalOrgID"),
      eventSourceToken: entryOf(properties, "EventSourceToken"),
      functionUrlAuthType: literalText(entryOf(properties, "FunctionUrlAuthType")),
      invokedViaFunctionUrl: literalBoolean(entryOf(properties, "InvokedViaFunctionUrl")) === true,
      viaSam: false,
    });
  }
  return permissions;
}
