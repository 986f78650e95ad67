import type { Expr } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import { literalString, mergeText } from "../../template/interpolation.js";
import { queueArnOfUrl, stackArn } from "../../template/arns.js";
import type { Analysis } from "../analysis.js";
import type { LambdaFunction } from "../wiring/functions.js";
import type { QuestionResource } from "../iam/evaluate.js";
import type { SdkCall } from "./calls.js";
import { inputExpr } from "./input-values.js";
import { resourceInputOf } from "./resource-inputs.js";

/** The resource an action of the call applies to, as far as the template makes it knowable, and the resource's logical id. */
export function resourceOf(
  analysis: Analysis,
  fn: LambdaFunction,
  call: SdkCall,
  action: string,
): { resource: QuestionResource; label: string; target?: string } {
  const service = action.split(":")[0];
  const value = (key: string) => inputExpr(fn, call.input.get(key));
  const node = fn.resource.node.key;
  const unknown = unknownResource(fn);
  const inputs = resourceInputOf(service ?? "");
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
export function unknownResource(fn: LambdaFunction): { resource: QuestionResource; label: string } {
  return {
    resource: [{ symbol: "{Unknown:resource}", expr: { kind: "ref", target: "resource", node: fn.resource.node.key } }],
    label: "its resource",
  };
}

/** The in-template resource a value refers to (`!Ref Orders`, `!GetAtt Jobs.Arn`). */
function targetOf(expr: Expr): string | undefined {
  return expr.kind === "ref" ? expr.target : expr.kind === "getatt" ? expr.resource : undefined;
}
