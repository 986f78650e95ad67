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
