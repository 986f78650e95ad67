import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import { interpolate } from "../../template/interpolation.js";
import type { Template } from "../../template/model.js";
import type { ResourceValues } from "../../template/resource-values.js";

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
  if (isAwsManagedKey(text)) return "none";
  const keyId = keyResourceOf(template, key);
  // `!Ref Key` is the key ID, an alias names the key it targets; the key's ARN is what IAM evaluates.
  if (keyId) return values.parts({ kind: "getatt", resource: keyId, attribute: "Arn", node: key.node }) ?? "unknown";
  return text?.startsWith("arn:") && text.includes(":key/") ? [{ text }] : "unknown";
}

/**
 * Whether a resource of the template names a customer managed key for its encryption, in any way (a
 * DynamoDB table's `SSESpecification.KMSMasterKeyId` too, whose callers' KMS use is not modelled).
 */
export function namesEncryptionKey(template: Template, logicalId: string): boolean {
  const resource = template.resources.get(logicalId);
  const key =
    resource?.type === "AWS::DynamoDB::Table" || resource?.type === "AWS::DynamoDB::GlobalTable"
      ? (entryOf(entryOf(resource.properties, "SSESpecification"), "KMSMasterKeyId") ?? "none")
      : keyValue(template, logicalId);
  return key === "unknown" || (key !== "none" && !isAwsManagedKey(literalText(key)));
}

/** An AWS managed key (`alias/aws/sqs`), which its service uses for the caller: no KMS permission of the caller's. */
function isAwsManagedKey(text: string | undefined): boolean {
  return text !== undefined && /^(?:alias\/aws\/|arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/)/u.test(text);
}

/** The `AWS::KMS::Key` of this template that encrypts the resource, when the template names one. */
export function customerManagedKeyResource(template: Template, logicalId: string | undefined): string | undefined {
  const key = keyValue(template, logicalId);
  return key === "none" || key === "unknown" ? undefined : keyResourceOf(template, key);
}

/**
 * The `AWS::KMS::Key` of this template a value names, every way KMS takes a key: `!Ref Key` (its ID),
 * `!GetAtt Key.Arn` or `.KeyId`, an ARN built as `...:key/${Key}`, and an alias of the template
 * (`!Ref KeyAlias`, `alias/NAME`, `...:${AWS::AccountId}:alias/NAME` or `...:${KeyAlias}`), which names its TargetKeyId.
 */
function keyResourceOf(template: Template, key: Expr | undefined, seen = new Set<string>()): string | undefined {
  if (!key) return undefined;
  if (key.kind === "ref" || (key.kind === "getatt" && (key.attribute === "Arn" || key.attribute === "KeyId"))) {
    const id = key.kind === "ref" ? key.target : key.resource;
    const resource = template.resources.get(id);
    if (resource?.type === "AWS::KMS::Key") return id;
    if (resource?.type !== "AWS::KMS::Alias" || key.kind !== "ref" || seen.has(id) || resource.condition) return undefined;
    seen.add(id);
    return keyResourceOf(template, entryOf(resource.properties, "TargetKeyId"), seen);
  }
  const parts = interpolate(key);
  const last = parts?.[parts.length - 1];
  if (!parts || !last) return undefined;
  const before = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const prefix = before && "text" in before ? before.text : "";
  if ("symbol" in last) {
    // `${Key}` after `key/`, `${KeyAlias}` after the account's `:`; nothing else before a bare `${Key}`.
    return parts.length === 1 || /(?:key\/|:)$/u.test(prefix) ? keyResourceOf(template, last.expr, seen) : undefined;
  }
  // An alias in the stack's own account and region: bare, or in an ARN whose account is ${AWS::AccountId}.
  const alias = /^alias\/[^:]+$/u.test(last.text)
    ? parts.length === 1
      ? last.text
      : undefined
    : /^:(alias\/[^:]+)$/u.exec(last.text)?.[1];
  const ownAccount = parts.length === 1 || (before && "symbol" in before && before.symbol === "{Ref:AWS::AccountId}");
  if (!alias || !ownAccount) return undefined;
  const named = [...template.resources.values()].find(
    (resource) =>
      resource.type === "AWS::KMS::Alias" && !resource.condition && literalText(entryOf(resource.properties, "AliasName")) === alias,
  );
  if (!named || seen.has(named.logicalId)) return undefined;
  seen.add(named.logicalId);
  return keyResourceOf(template, entryOf(named.properties, "TargetKeyId"), seen);
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
