import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import type { Template } from "../../template/model.js";
import type { ResourceValues } from "../iam/resource-values.js";

/**
 * The customer managed KMS key that encrypts an in-template SQS queue, SNS topic, Kinesis stream or S3
 * bucket (default encryption): "none" when it is not encrypted with one (no key, service-managed
 * encryption, or an AWS managed key `alias/aws/...`), the key's ARN parts when we can name it, "unknown"
 * otherwise (a custom alias, an unreadable value).
 */
export function customerManagedKey(template: Template, values: ResourceValues, logicalId: string | undefined): Part[] | "none" | "unknown" {
  const key = keyValue(template, logicalId);
  if (key === "none" || key === "unknown") return key;
  const text = literalText(key);
  if (text !== undefined) {
    if (text.startsWith("alias/aws/")) return "none";
    return text.startsWith("arn:") && text.includes(":key/") ? [{ text }] : "unknown";
  }
  const keyId = keyResourceOf(template, key);
  // `!Ref Key` is the key ID; the key's ARN is what IAM evaluates.
  return keyId ? (values.parts({ kind: "getatt", resource: keyId, attribute: "Arn", node: key.node }) ?? "unknown") : "unknown";
}

/** The `AWS::KMS::Key` of this template that encrypts the resource, when the template names one. */
export function customerManagedKeyResource(template: Template, logicalId: string | undefined): string | undefined {
  const key = keyValue(template, logicalId);
  return key === "none" || key === "unknown" ? undefined : keyResourceOf(template, key);
}

function keyResourceOf(template: Template, key: Expr): string | undefined {
  const id = key.kind === "ref" ? key.target : key.kind === "getatt" && key.attribute === "Arn" ? key.resource : undefined;
  return id !== undefined && template.resources.get(id)?.type === "AWS::KMS::Key" ? id : undefined;
}

/** The key value of a resource's encryption settings ("none" when it has no customer key setting). */
function keyValue(template: Template, logicalId: string | undefined): Expr | "none" | "unknown" {
  const resource = logicalId ? template.resources.get(logicalId) : undefined;
  let key: Expr | undefined;
  if (resource?.type === "AWS::SQS::Queue" || resource?.type === "AWS::SNS::Topic") key = entryOf(resource.properties, "KmsMasterKeyId");
  else if (resource?.type === "AWS::S3::Bucket") {
    const rules = entryOf(entryOf(resource.properties, "BucketEncryption"), "ServerSideEncryptionConfiguration");
    const defaults = rules?.kind === "list" ? rules.items.map((rule) => entryOf(rule, "ServerSideEncryptionByDefault")) : [];
    const kms = defaults.find((rule) => /^aws:kms/u.test(literalText(entryOf(rule, "SSEAlgorithm")) ?? ""));
    if (!kms) return defaults.some((rule) => literalText(entryOf(rule, "SSEAlgorithm")) === undefined) ? "unknown" : "none";
    key = entryOf(kms, "KMSMasterKeyID");
    if (!key) return "none";
  } else if (resource?.type === "AWS::Kinesis::Stream") {
    const encryption = entryOf(resource.properties, "StreamEncryption");
    if (literalText(entryOf(encryption, "EncryptionType")) !== "KMS") return "none";
    key = entryOf(encryption, "KeyId");
  } else return "none";
  return key ?? "none";
}
