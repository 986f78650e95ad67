import type { Expr } from "../../../template/expr.js";
import { entryOf, listItems, literalText } from "../../../template/expr.js";
import type { Part } from "../../../template/interpolation.js";
import { literalString } from "../../../template/interpolation.js";
import { queueArnOfUrl, withAccount } from "../../../template/arns.js";
import type { Resource } from "../../../template/types.js";
import { mayAdd } from "../../../template/model.js";
import { samConnectors } from "../../wiring/connectors.js";
import type { Tri } from "../../iam/arn-pattern.js";
import { compilePattern, compileValue, matchPattern } from "../../iam/arn-pattern.js";
import type { Analysis } from "../../analysis.js";
import { stackOutputResource } from "../../stack-outputs.js";
import type { EventSourceMapping } from "../../wiring/event-sources.js";
import type { Workspace, WorkspaceTemplate } from "../../workspace.js";
import type { Caller } from "../../iam/caller-match.js";
import { resourcePolicyAnswer } from "../../iam/resource-policy.js";
import { customerManagedKeyResource } from "../../wiring/encryption-keys.js";

/** How a resource that another account may use through its resource policy is declared, and what gives it one. */
interface ResourceKind {
  label: "queue" | "stream" | "table" | "topic";
  /** What AWS calls the policy: "queue policy", "resource policy". */
  policyLabel: string;
  resourceType: string;
  nameProperty: string;
  /** The name in an ARN's resource part: `Ingest` of `...:Ingest`, `Orders` of `...:stream/Orders`. */
  resourcePrefix: string;
  /** The resources that attach a policy: their document and the property that names the resource. */
  policies: Array<{ type: string; document: string; target: string }>;
  /** The policy the resource itself holds, as a property path (a DynamoDB table's `ResourcePolicy.PolicyDocument`). */
  embeddedPolicy?: [string, string];
  /** Whether a literal target (a queue URL, a stream ARN) names the resource. */
  namedBy(text: string, account: string, name: string): boolean;
  /** The ARN that a literal reference other than an ARN spells (a queue URL). */
  arnOfReference?(text: string): string | undefined;
}

/** A literal ARN of a service's resource in an account: `arn:<partition>:<service>:<Region>:<account>:<prefix><name>`. */
function arnOf(service: string, prefix: string): ResourceKind["namedBy"] {
  return (text, account, name) => new RegExp(`^arn:[^:]+:${service}:[^:]*:${account}:${prefix}${escape(name)}$`, "u").test(text);
}

/**
 * Resources whose use from another account AWS documents with a resource policy: an SQS queue policy
 * (AWS::SQS::QueuePolicy or QueueInlinePolicy), a Kinesis stream's resource policy, a DynamoDB table's
 * `ResourcePolicy` and an SNS topic policy (AWS::SNS::TopicPolicy or TopicInlinePolicy).
 */
const RESOURCE_KINDS = {
  SQS: {
    label: "queue",
    policyLabel: "queue policy",
    resourceType: "AWS::SQS::Queue",
    nameProperty: "QueueName",
    resourcePrefix: "",
    policies: [
      { type: "AWS::SQS::QueuePolicy", document: "PolicyDocument", target: "Queues" },
      { type: "AWS::SQS::QueueInlinePolicy", document: "PolicyDocument", target: "Queue" },
    ],
    namedBy: (text, account, name) => text.endsWith(`/${account}/${name}`),
    arnOfReference: queueArnOfUrl,
  },
  Kinesis: {
    label: "stream",
    policyLabel: "resource policy",
    resourceType: "AWS::Kinesis::Stream",
    nameProperty: "Name",
    resourcePrefix: "stream/",
    policies: [{ type: "AWS::Kinesis::ResourcePolicy", document: "ResourcePolicy", target: "ResourceArn" }],
    namedBy: arnOf("kinesis", "stream/"),
  },
  DynamoDB: {
    label: "table",
    policyLabel: "resource policy",
    resourceType: "AWS::DynamoDB::Table",
    nameProperty: "TableName",
    resourcePrefix: "table/",
    policies: [],
    embeddedPolicy: ["ResourcePolicy", "PolicyDocument"],
    namedBy: arnOf("dynamodb", "table/"),
  },
  SNS: {
    label: "topic",
    policyLabel: "topic policy",
    resourceType: "AWS::SNS::Topic",
    nameProperty: "TopicName",
    resourcePrefix: "",
    policies: [
      { type: "AWS::SNS::TopicPolicy", document: "PolicyDocument", target: "Topics" },
      { type: "AWS::SNS::TopicInlinePolicy", document: "PolicyDocument", target: "TopicArn" },
    ],
    namedBy: arnOf("sns", ""),
  },
} satisfies Record<string, ResourceKind>;

export type ResourceKindName = keyof typeof RESOURCE_KINDS;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/** A resource in another account, declared by a template of that account, with the policies on it. */
export interface CrossAccountResource {
  label: ResourceKind["label"];
  policyLabel: string;
  account: string;
  /** The resource's ARN as the reference writes it (partition and Region may be symbols). */
  arn: Part[];
  declared: { template: WorkspaceTemplate; resource: Resource };
  /** Every policy of that account's templates on the resource; empty when none gives it one. */
  policies: Array<{ template: WorkspaceTemplate; resource: Resource; document: Expr | undefined }>;
}

/** A mapping's source in another account (an SQS queue, a Kinesis stream), as `crossAccountResource` finds it. */
export function crossAccountSource(
  mapping: EventSourceMapping,
  analysis: Analysis,
  workspace: Workspace,
): CrossAccountResource | undefined {
  const kind = mapping.type === "SQS" || mapping.type === "Kinesis" ? mapping.type : undefined;
  if (!kind || !mapping.source || mapping.consumer) return undefined;
  return crossAccountResource(kind, mapping.source, analysis, workspace);
}

/**
 * The resource a reference names when it is provably in another account and a template of that
 * account provably declares it, and nothing there that is not expanded (a macro, an include, a SAM
 * connector) could add a policy to it. The reference is an ARN with a literal account and name (and
 * the one template of that account that declares a resource of that name), or an `Fn::GetStackOutput`
 * of that template's `!GetAtt Resource.Arn`; the file's account is known and differs. Otherwise
 * undefined: the other side is unknown.
 */
export function crossAccountResource(
  kindName: ResourceKindName,
  reference: Expr,
  analysis: Analysis,
  workspace: Workspace,
): CrossAccountResource | undefined {
  const kind: ResourceKind = RESOURCE_KINDS[kindName];
  const located = locateResource(kind, reference, analysis, workspace);
  if (!located || workspace.account === undefined || located.account === workspace.account) return undefined;
  const { account, declared, name, arn } = located;
  const templates = workspace.templatesIn(account);
  if (!templates) return undefined;
  const types = [kind.resourceType, ...kind.policies.map((policy) => policy.type)];
  if (templates.some(({ analysis: other }) => opaque(other.template, types))) return undefined;
  const policies: CrossAccountResource["policies"] = [];
  if (kind.embeddedPolicy) {
    const [property, document] = kind.embeddedPolicy;
    const held = entryOf(declared.resource.properties, property);
    if (held) policies.push({ template: declared.template, resource: declared.resource, document: entryOf(held, document) });
  }
  for (const template of templates) {
    for (const resource of template.analysis.template.resources.values()) {
      const policy = kind.policies.find((candidate) => candidate.type === resource.type);
      if (!policy) continue;
      const targets = listItems(entryOf(resource.properties, policy.target));
      const names = any(
        targets.map((target) =>
          targetNames(
            target,
            template.file === declared.template.file ? declared.resource.logicalId : undefined,
            template,
            kind,
            account,
            name,
          ),
        ),
      );
      if (names === "no") continue;
      // A policy that may be on the source, or may not be created, leaves the source's policy unknown.
      if (names === "maybe" || resource.propertiesUnknown || resource.condition !== undefined) return undefined;
      policies.push({ template, resource, document: entryOf(resource.properties, policy.document) });
    }
  }
  return { label: kind.label, policyLabel: kind.policyLabel, account, arn, declared, policies };
}

/** Where the referenced resource is declared, its account, its literal name (if any) and its ARN's parts. */
function locateResource(
  kind: ResourceKind,
  source: Expr,
  analysis: Analysis,
  workspace: Workspace,
): { account: string; declared: CrossAccountResource["declared"]; name: string | undefined; arn: Part[] } | undefined {
  const output = stackOutputResource(workspace, source);
  if (output) {
    const { account, template, resource, attribute } = output;
    if (resource.type !== kind.resourceType || attribute !== "Arn" || resource.propertiesUnknown || resource.loop) return undefined;
    const parts = template.analysis.values.parts({
      kind: "getatt",
      resource: resource.logicalId,
      attribute: "Arn",
      node: resource.node.key,
    });
    if (!parts) return undefined;
    const arn = withAccount(parts, account);
    return { account, declared: { template, resource }, name: literalText(entryOf(resource.properties, kind.nameProperty)), arn };
  }
  const parts = analysis.values.parts(source);
  const text = parts && literalString(parts);
  const spelt = text === undefined ? undefined : kind.arnOfReference?.(text);
  const arn = spelt ? [{ text: spelt }] : parts;
  const written = arn && arnFields(arn);
  if (!written || !written.resource.startsWith(kind.resourcePrefix) || workspace.account === undefined) return undefined;
  const name = written.resource.slice(kind.resourcePrefix.length);
  if (written.account === workspace.account || !/^[\w.-]+$/u.test(name)) return undefined;
  const declarations = (workspace.templatesIn(written.account) ?? []).flatMap((template) =>
    [...template.analysis.template.resources.values()]
      .filter((resource) => resource.type === kind.resourceType && literalText(entryOf(resource.properties, kind.nameProperty)) === name)
      .map((resource) => ({ template, resource })),
  );
  const declared = declarations.length === 1 ? declarations[0]! : undefined;
  if (!declared || declared.resource.propertiesUnknown || declared.resource.loop) return undefined;
  return { account: written.account, declared, name, arn };
}

/** A template with parts not expanded that may add these types, or SAM connectors (which write policies). */
function opaque(template: WorkspaceTemplate["analysis"]["template"], types: string[]): boolean {
  return template.unexpanded.some((part) => mayAdd(part, types)) || samConnectors(template).length > 0;
}

function any(tris: Tri[]): Tri {
  return tris.includes("yes") ? "yes" : tris.includes("maybe") || tris.length === 0 ? "maybe" : "no";
}

/** Whether a policy's target value names the source (`!Ref Queue`, `!GetAtt Stream.Arn`, a literal URL or ARN). */
function targetNames(
  target: Expr,
  declaredId: string | undefined,
  template: WorkspaceTemplate,
  kind: ResourceKind,
  account: string,
  name: string | undefined,
): Tri {
  const id = target.kind === "ref" ? target.target : target.kind === "getatt" ? target.resource : undefined;
  if (id !== undefined && template.analysis.template.resources.has(id)) return id === declaredId ? "yes" : "no";
  const parts = template.analysis.values.parts(target);
  const text = parts && parts.every((part) => "text" in part) ? parts.map((part) => (part as { text: string }).text).join("") : undefined;
  // A literal cannot be told apart from a name that CloudFormation generates.
  if (text === undefined || name === undefined) return "maybe";
  return kind.namedBy(text, account, name) ? "yes" : "no";
}

/**
 * The fields of an ARN whose account and resource are literal: `arn:aws:sqs:us-east-1:222222222222:Ingest`,
 * or with `${AWS::Partition}` and `${AWS::Region}` (any other symbol makes it unreadable).
 */
function arnFields(parts: Part[]): { account: string; resource: string } | undefined {
  let text = "";
  for (const part of parts) {
    if ("text" in part) text += part.text;
    else if (part.symbol === "{Ref:AWS::Partition}" || part.symbol === "{Ref:AWS::Region}") text += "\u0000";
    else return undefined;
  }
  const match = /^arn:[^:]+:[a-z0-9-]+:[^:]*:(\d{12}):([^:\u0000]+)$/u.exec(text);
  return match ? { account: match[1]!, resource: match[2]! } : undefined;
}

/**
 * Whether a policy statement's `Resource` of the other account's template covers the source: its
 * `${AWS::AccountId}` is that account, and its `${AWS::Partition}` and `${AWS::Region}` are those of
 * the source (the one template that declares the source deploys it and its policy together).
 */
function coversSource(source: CrossAccountResource, template: WorkspaceTemplate, resource: Expr): Tri {
  const parts = template.analysis.values.parts(resource);
  if (!parts) return "maybe";
  const fields = source.arn.filter((part) => "symbol" in part);
  const symbolOf = (symbol: string): Part | undefined => fields.find((part) => "symbol" in part && part.symbol === symbol);
  const pattern = withAccount(parts, source.account).flatMap((part): Part[] => {
    if (!("symbol" in part)) return [part];
    if (part.symbol === "{Ref:AWS::Partition}" || part.symbol === "{Ref:AWS::Region}")
      return [symbolOf(part.symbol) ?? literalField(source.arn, part.symbol === "{Ref:AWS::Partition}" ? 1 : 3) ?? part];
    return [part];
  });
  return matchPattern(compilePattern(pattern), compileValue(source.arn));
}

/** A literal field of the source's ARN (1: partition, 3: Region), when it is written as text. */
function literalField(arn: Part[], field: number): Part | undefined {
  const value = arn
    .map((part) => ("text" in part ? part.text : "\u0000"))
    .join("")
    .split(":")[field];
  return value === undefined || value.includes("\u0000") ? undefined : { text: value };
}

/** Whether every policy on the resource (or the lack of any) provably refuses the caller the action. */
export function policiesRefuse(resource: CrossAccountResource, action: string, caller: Caller): boolean {
  return resource.policies.every(
    ({ template, document }) =>
      resourcePolicyAnswer(document, {
        action,
        caller,
        owner: resource.account,
        covers: (written) => coversSource(resource, template, written),
      }) === "refuses",
  );
}

/**
 * The KMS actions that the key encrypting a resource of another account refuses the caller: a key of
 * the resource's template, whose `KeyPolicy` (or, without one, the default policy, which lets the key's
 * own account alone decide) does not allow them. A key policy is the key's primary control: another
 * account's principal may use the key only where it names that principal or its account.
 */
export function keyPolicyRefusal(
  source: CrossAccountResource,
  actions: string[],
  caller: Caller,
): { key: Resource; actions: string[] } | undefined {
  const { template } = source.declared;
  const keyId = customerManagedKeyResource(template.analysis.template, source.declared.resource.logicalId);
  const key = keyId === undefined ? undefined : template.analysis.template.resources.get(keyId);
  if (!key || key.propertiesUnknown || key.condition !== undefined) return undefined;
  const policy = entryOf(key.properties, "KeyPolicy");
  const refused = actions.filter(
    (action) =>
      policy === undefined ||
      resourcePolicyAnswer(policy, {
        action,
        caller,
        owner: source.account,
        // A key policy's Resource "*" is the key itself.
        covers: (resource) => (literalText(resource) === "*" ? "yes" : "maybe"),
      }) === "refuses",
  );
  return refused.length > 0 ? { key, actions: refused } : undefined;
}
