import type { ValueNode } from "../language/ast.js";
import type { Part } from "./interpolation.js";
import { mergeText } from "./interpolation.js";

/** A pseudo parameter as a symbolic part: the same symbol that `${AWS::Region}` in a Sub produces. */
export function pseudoParameter(name: string, node: ValueNode): Part {
  return { symbol: `{Ref:${name}}`, expr: { kind: "ref", target: name, node } };
}

/**
 * An ARN in the stack's partition, region and account: `arn:${AWS::Partition}:<service>:${AWS::Region}:
 * ${AWS::AccountId}:<resource>`; for services whose ARNs carry neither (S3 buckets and objects),
 * `arn:${AWS::Partition}:<service>:::<resource>`.
 */
export function stackArn(service: string, resource: Part[], node: ValueNode, regional = true): Part[] {
  const location: Part[] = regional
    ? [pseudoParameter("AWS::Region", node), { text: ":" }, pseudoParameter("AWS::AccountId", node), { text: ":" }]
    : [{ text: "::" }];
  return mergeText([{ text: "arn:" }, pseudoParameter("AWS::Partition", node), { text: `:${service}:` }, ...location, ...resource]);
}

/** A value of a template with its `${AWS::AccountId}` written out as the account the template deploys to. */
export function withAccount(parts: Part[], account: string): Part[] {
  return mergeText(parts.map((part) => ("symbol" in part && part.symbol === "{Ref:AWS::AccountId}" ? { text: account } : part)));
}

/**
 * The ARN of the queue a literal SQS queue URL names (`https://sqs.us-east-1.amazonaws.com/222222222222/jobs`
 * is `arn:aws:sqs:us-east-1:222222222222:jobs`), its partition told by its Region; undefined for anything
 * else (a legacy or VPC endpoint URL).
 */
export function queueArnOfUrl(url: string): string | undefined {
  const match = /^https:\/\/sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(\.cn)?\/(\d{12})\/([\w-]+(?:\.fifo)?)$/u.exec(url);
  if (!match) return undefined;
  const [, region, china, account, name] = match as unknown as [string, string, string | undefined, string, string];
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  if ((partition === "aws-cn") !== (china !== undefined)) return undefined;
  return `arn:${partition}:sqs:${region}:${account}:${name}`;
}
