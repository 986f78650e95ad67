import sdkActionData from "../../data/sdk-actions.json" with { type: "json" };
import sdkInputData from "../../data/sdk-inputs.json" with { type: "json" };

/** Which input property names the resource of each service's commands (src/data/sdk-inputs.json). */
const SDK_INPUTS = sdkInputData as Record<
  string,
  { resourceInput: string; indexInput?: string; indexActions?: string[]; objectInput?: string; inputIsUrl?: boolean; sources: string[] }
>;
import type { Expr } from "../../template/expr.js";
import { entryOf } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import { literalString, mergeText } from "../../template/interpolation.js";
import { queueArnOfUrl, stackArn } from "../../template/arns.js";
import type { Analysis } from "../analysis.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import type { PermissionIndex, QuestionResource } from "../iam/evaluate.js";
import { describeStatement } from "../iam/evaluate.js";
import { customerManagedKey } from "../wiring/encryption-keys.js";

const SDK_ACTIONS = sdkActionData as Record<
  string,
  Record<string, { actions: string[]; inexact?: boolean; kmsWhenEncrypted?: string[]; whenInput?: Record<string, string> }>
>;

/** A value of an SDK call's input as the code writes it. */
export type InputValue = { kind: "literal"; text: string } | { kind: "env"; name: string } | { kind: "unknown" };

/** An AWS SDK v3 call found in handler code. */
export interface SdkCall {
  /** `@aws-sdk/client-dynamodb`, `@aws-sdk/lib-dynamodb`, ... */
  packageName: string;
  /** The command without its `Command` suffix: `PutItem`, `ListObjectsV2`. */
  command: string;
  /** The input object's properties, by name (resource names such as `TableName` are read, the rest are unknown values). */
  input: Map<string, InputValue>;
}

/**
 * The IAM actions an SDK call needs (with those its input asks for, such as s3:GetObjectVersion for a
 * `VersionId`), or undefined when the command is not mapped or its actions depend on the request.
 */
export function actionsOf(call: Pick<SdkCall, "packageName" | "command"> & { input?: SdkCall["input"] }): string[] | undefined {
  const entry = SDK_ACTIONS[call.packageName]?.[call.command];
  if (!entry || entry.inexact || entry.actions.length === 0) return undefined;
  const requested = Object.entries(entry.whenInput ?? {})
    .filter(([key]) => call.input?.has(key))
    .map(([, action]) => action);
  return [...entry.actions, ...requested];
}

/** The input property that names the resource of a service's commands (`TableName`, `TopicArn`), and the one naming an index. */
export function resourceInputOf(service: string): { resourceInput: string; indexInput?: string } | undefined {
  return SDK_INPUTS[service];
}

/** Whether a package and command are known to the SDK data at all (for reporting unmapped commands). */
export function isKnownCommand(packageName: string, command: string): boolean {
  return SDK_ACTIONS[packageName]?.[command] !== undefined;
}

export function isSdkPackage(packageName: string): boolean {
  return packageName in SDK_ACTIONS;
}

/** A missing permission of one SDK call, for one role of one function. */
export interface SdkCallGap {
  action: string;
  resource: string;
  role: string;
  deniedBy: string | undefined;
  /** Actions of the same service that the role does allow, for the message. */
  allowed: string[];
}

/**
 * The actions of an SDK call that a function's role provably does not allow. The resource is the one
 * the input names when the function's configuration makes it knowable (`TableName:
 * process.env.TABLE_NAME` with `TABLE_NAME: !Ref Orders`); otherwise an unknown resource, so that only a
 * role that grants the action on nothing at all is reported.
 */
export function sdkCallGaps(analysis: Analysis, fn: LambdaFunction, candidate: RoleCandidate, call: SdkCall): SdkCallGap[] {
  return sdkCallGapsAs(analysis, fn, call, analysis.iam.roleOf(fn, candidate));
}

/**
 * The same, for a call signed by another role than the function's (one its code assumes): the input
 * still resolves through the function's configuration, the decision is that role's.
 */
export function sdkCallGapsAs(
  analysis: Analysis,
  fn: LambdaFunction,
  call: SdkCall,
  index: PermissionIndex,
  { roleElsewhere = false }: { roleElsewhere?: boolean } = {},
): SdkCallGap[] {
  const actions = actionsOf(call);
  if (!actions) return [];
  const gaps: SdkCallGap[] = [];
  // A role of another template names its resources in that template's terms: only names written out
  // (and pseudo parameters) compare across templates; anything else is a resource not known there.
  const questions = actions.map((action) => {
    const question = { action, ...resourceOf(analysis, fn, call, action) };
    return roleElsewhere && !comparableElsewhere(question.resource) ? { ...question, ...unknownResource(fn) } : question;
  });
  // A target encrypted with a customer managed key also needs the KMS action on that key.
  const kmsActions = SDK_ACTIONS[call.packageName]?.[call.command]?.kmsWhenEncrypted ?? [];
  const target = questions[0]?.target;
  const key = kmsActions.length > 0 && target ? customerManagedKey(analysis.template, analysis.iam.values, target) : "none";
  if (key !== "none" && key !== "unknown") {
    for (const action of kmsActions) questions.push({ action, resource: key, label: `the KMS key of ${target}`, target });
  }
  for (const { action, resource, label } of questions) {
    const decision = index.evaluate(action, resource);
    if (decision.outcome !== "not-granted" && decision.outcome !== "denied") continue;
    gaps.push({
      action,
      resource: label,
      role: index.permissions.role,
      deniedBy: decision.outcome === "denied" ? describeStatement(decision.statement) : undefined,
      allowed: allowedActions(index.permissions.statements, action.split(":")[0]!),
    });
  }
  return gaps;
}

function allowedActions(
  statements: Array<{ effect: string; notAction: boolean; actions: Array<{ text: string } | { unknown: string }> }>,
  service: string,
): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    if (statement.effect !== "Allow" || statement.notAction) continue;
    for (const action of statement.actions)
      if ("text" in action && action.text.toLowerCase().startsWith(`${service}:`)) names.add(action.text);
  }
  return [...names];
}

/** The resource an action of the call applies to, as far as the template makes it knowable, and the resource's logical id. */
function resourceOf(
  analysis: Analysis,
  fn: LambdaFunction,
  call: SdkCall,
  action: string,
): { resource: QuestionResource; label: string; target?: string } {
  const service = action.split(":")[0];
  const value = (key: string) => inputExpr(fn, call.input.get(key));
  const node = fn.resource.node.key;
  const unknown = unknownResource(fn);
  const inputs = SDK_INPUTS[service ?? ""];
  if (!inputs) return unknown;
  if (service === "dynamodb") {
    const table = value(inputs.resourceInput);
    const name = table && analysis.iam.values.parts(table.expr);
    if (!name) return unknown;
    // A query or scan of a secondary index is authorised against the index ARN.
    const index = inputs.indexInput ? call.input.get(inputs.indexInput) : undefined;
    const indexParts: Part[] =
      !index || !inputs.indexActions?.includes(action)
        ? []
        : index.kind === "literal"
          ? [{ text: `/index/${index.text}` }]
          : [
              { text: "/index/" },
              { symbol: `{Attribute:${fn.logicalId}.IndexName}`, expr: { kind: "ref", target: "IndexName", node: fn.resource.node.key } },
            ];
    const label = indexParts.length > 0 ? `an index of ${table.label}` : table.label;
    // `TableName` takes the table's name or its ARN (DynamoDB API reference).
    const tableArn = isArn(name) ? name : stackArn("dynamodb", [{ text: "table/" }, ...name], node);
    return { resource: mergeText([...tableArn, ...indexParts]), label, target: targetOf(table.expr) };
  }
  if (service === "s3") {
    const bucket = value(inputs.resourceInput);
    const name = bucket && analysis.iam.values.parts(bucket.expr);
    if (!name) return unknown;
    const objectLevel = /Object/u.test(action) || action === "s3:PutObject";
    const objectKey: Part[] = objectLevel
      ? [
          { text: "/" },
          {
            symbol: `{Attribute:${fn.logicalId}.ObjectKey}`,
            expr: { kind: "ref", target: inputs.objectInput ?? "Key", node: fn.resource.node.key },
          },
        ]
      : [];
    return {
      resource: stackArn("s3", [...name, ...objectKey], node, false),
      label: objectLevel ? `objects of ${bucket.label}` : bucket.label,
      target: targetOf(bucket.expr),
    };
  }
  if (service === "sqs" || service === "sns") {
    const reference = value(inputs.resourceInput);
    if (!reference) return unknown;
    const target = reference.expr;
    // An SQS queue's Ref is its URL; IAM evaluates the queue ARN, which a literal URL also spells.
    const parts =
      target.kind === "ref" && inputs.inputIsUrl
        ? analysis.iam.values.parts({ kind: "getatt", resource: target.target, attribute: "Arn", node: target.node })
        : service === "sns"
          ? analysis.iam.values.parts(target)
          : queueArnParts(analysis, target);
    return parts ? { resource: parts, label: reference.label, target: targetOf(target) } : unknown;
  }
  return unknown;
}

/** The queue ARN of an SQS queue URL written out (literally, or in the function's environment). */
function queueArnParts(analysis: Analysis, url: Expr): Part[] | undefined {
  const text = literalString(analysis.iam.values.parts(url));
  const arn = text === undefined ? undefined : queueArnOfUrl(text);
  return arn === undefined ? undefined : [{ text: arn }];
}

function isArn(parts: Part[]): boolean {
  const first = parts[0];
  return first !== undefined && "text" in first && first.text.startsWith("arn:");
}

/** A resource known only at run time: any pattern but "*" may or may not cover it. */
function unknownResource(fn: LambdaFunction): { resource: QuestionResource; label: string } {
  return {
    resource: [{ symbol: "{Unknown:resource}", expr: { kind: "ref", target: "resource", node: fn.resource.node.key } }],
    label: "its resource",
  };
}

/** Symbols that mean the same in every template: pseudo parameters, and the run-time placeholders of a call. */
const PORTABLE_SYMBOL = /^\{(?:Ref:AWS::(?:Partition|Region|AccountId|URLSuffix)|Attribute:[^}]+|Unknown:resource)\}$/u;

function comparableElsewhere(resource: QuestionResource): boolean {
  return resource === "*" || resource.every((part) => "text" in part || PORTABLE_SYMBOL.test(part.symbol));
}

/** The in-template resource a value refers to (`!Ref Orders`, `!GetAtt Jobs.Arn`). */
function targetOf(expr: Expr): string | undefined {
  return expr.kind === "ref" ? expr.target : expr.kind === "getatt" ? expr.resource : undefined;
}

/** The template value an input property stands for: a literal, or the function's environment variable. */
export function inputExpr(fn: LambdaFunction, value: InputValue | undefined): { expr: Expr; label: string } | undefined {
  if (!value || value.kind === "unknown") return undefined;
  if (value.kind === "literal") {
    return { expr: { kind: "literal", value: value.text, text: value.text, node: fn.resource.node.key }, label: value.text };
  }
  const variable = entryOf(entryOf(entryOf(fn.resource.properties, "Environment"), "Variables"), value.name);
  if (!variable) return undefined;
  const label = variable.kind === "ref" ? variable.target : variable.kind === "getatt" ? variable.resource : `$${value.name}`;
  return { expr: variable, label };
}
