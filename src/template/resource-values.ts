import resourceArnFacts from "../data/resource-arns.json" with { type: "json" };
import type { Expr } from "./expr.js";
import { entryOf, literalText } from "./expr.js";
import type { Part } from "./interpolation.js";
import { pseudoParameter } from "./arns.js";
import { interpolate, mergeText } from "./interpolation.js";
import type { Resource, Template } from "./model.js";

interface ResourceArnFacts {
  format?: string;
  /** The ARN when the resource's `EventBusName` names a bus other than the default one. */
  busFormat?: string;
  /** What Ref returns when it is neither the ARN nor the name (an SQS queue's URL). */
  refFormat?: string;
  /** A variable of the format that is the name of another resource, which a property of this one names (a consumer's stream). */
  parent?: { variable: string; property: string };
  arn: { ref?: boolean; getAtt?: string[] };
  name: { property?: string; ref?: boolean; getAtt?: string[] };
  attributes: Record<string, string>;
}

const FACTS = resourceArnFacts as Record<string, ResourceArnFacts>;

const PSEUDO_PARAMETERS: Record<string, string> = {
  Partition: "AWS::Partition",
  Region: "AWS::Region",
  Account: "AWS::AccountId",
  URLSuffix: "AWS::URLSuffix",
};

/**
 * Values of a template in one normal form, so that the same ARN written in different ways compares
 * equal: `!GetAtt Q.Arn`, `!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Q.QueueName}`
 * and, for a queue with `QueueName: jobs`, `!Sub arn:${AWS::Partition}:sqs:...:jobs` all become
 * `arn:{Partition}:sqs:{Region}:{AccountId}:jobs`.
 */
export class ResourceValues {
  readonly #names = new Map<string, Part[]>();
  readonly #visiting = new Set<string>();

  constructor(readonly template: Template) {}

  /** The normal form of a string value, or undefined when it is not a string we can read. */
  parts(expr: Expr): Part[] | undefined {
    if (expr.kind === "getatt" || expr.kind === "ref") return this.#reference(expr) ?? interpolate(expr);
    const parts = interpolate(expr);
    if (!parts) return undefined;
    return mergeText(parts.flatMap((part) => ("symbol" in part ? (this.#reference(part.expr) ?? [part]) : [part])));
  }

  /** What a Ref or GetAtt to a known resource type stands for: its ARN or its name. */
  #reference(expr: Expr): Part[] | undefined {
    if (expr.kind !== "ref" && expr.kind !== "getatt") return undefined;
    const logicalId = expr.kind === "ref" ? expr.target : expr.resource;
    const resource = this.template.resources.get(logicalId);
    const facts = resource && FACTS[resource.type];
    if (!facts) return undefined;
    const arnFormat = this.#arnFormat(resource, facts);
    if (expr.kind === "ref") {
      if (facts.arn.ref && arnFormat) return this.#expand(logicalId, arnFormat);
      if (facts.refFormat) return this.#expand(logicalId, facts.refFormat);
      return facts.name.ref ? this.#name(logicalId, facts) : undefined;
    }
    if (facts.arn.getAtt?.includes(expr.attribute) && arnFormat) return this.#expand(logicalId, arnFormat);
    const attributeFormat = facts.attributes[expr.attribute];
    if (attributeFormat) return this.#expand(logicalId, attributeFormat);
    return facts.name.getAtt?.includes(expr.attribute) ? this.#name(logicalId, facts) : undefined;
  }

  /** The ARN format of the resource: the custom-bus one when its `EventBusName` is not `default`. */
  #arnFormat(resource: Resource, facts: ResourceArnFacts): string | undefined {
    if (!facts.busFormat) return facts.format;
    const bus = entryOf(resource.properties, "EventBusName");
    return bus && literalText(bus) !== "default" ? facts.busFormat : facts.format;
  }

  /** A format of the ARN (or URL) data with the resource's name and the pseudo parameters filled in. */
  #expand(logicalId: string, format: string): Part[] {
    const resource = this.template.resources.get(logicalId)!;
    const facts = FACTS[resource.type]!;
    const node = resource.node.key;
    const parts: Part[] = [];
    let last = 0;
    for (const match of format.matchAll(/\$\{([^}]+)\}/gu)) {
      parts.push({ text: format.slice(last, match.index) });
      last = match.index + match[0].length;
      const variable = match[1]!;
      const pseudo = PSEUDO_PARAMETERS[variable];
      if (pseudo) parts.push(pseudoParameter(pseudo, node));
      else if (variable === "Name") parts.push(...this.#name(logicalId, facts));
      else if (variable === facts.parent?.variable) parts.push(...this.#parentName(resource, facts.parent.property, variable));
      else if (variable === "EventBusName") {
        const bus = this.#busName(entryOf(resource.properties, "EventBusName")!);
        if (!bus) return [symbol({ kind: "getatt", resource: logicalId, attribute: "Arn", node }, `{GetAtt:${logicalId}.Arn}`)];
        parts.push(...bus);
      } else parts.push(symbol({ kind: "getatt", resource: logicalId, attribute: variable, node }, `{Attribute:${logicalId}.${variable}}`));
    }
    parts.push({ text: format.slice(last) });
    return mergeText(parts);
  }

  /**
   * The bus name in a rule's `EventBusName`, which takes a name or an ARN: `!GetAtt Bus.Arn` is the bus's
   * name (what `!Ref Bus` gives), and an ARN's name is what follows `event-bus/`.
   */
  #busName(bus: Expr): Part[] | undefined {
    if (bus.kind === "getatt" && bus.attribute === "Arn" && this.template.resources.get(bus.resource)?.type === "AWS::Events::EventBus") {
      return this.parts({ kind: "ref", target: bus.resource, node: bus.node });
    }
    const parts = this.parts(bus);
    const marker = parts?.findIndex((part) => "text" in part && part.text.includes(":event-bus/")) ?? -1;
    if (!parts || marker === -1) return parts;
    const text = (parts[marker] as { text: string }).text;
    const rest = text.slice(text.indexOf(":event-bus/") + ":event-bus/".length);
    return [...(rest ? [{ text: rest }] : []), ...parts.slice(marker + 1)];
  }

  /**
   * The name of the resource a property names by ARN (a consumer's `StreamARN`): the name of an
   * in-template resource, or what follows the resource type in an ARN (`stream/NAME`).
   */
  #parentName(resource: Resource, property: string, variable: string): Part[] {
    const value = entryOf(resource.properties, property);
    const unknown = [
      symbol(
        { kind: "getatt", resource: resource.logicalId, attribute: variable, node: resource.node.key },
        `{Attribute:${resource.logicalId}.${variable}}`,
      ),
    ];
    if (!value) return unknown;
    const target = value.kind === "getatt" ? value.resource : value.kind === "ref" ? value.target : undefined;
    const parent = target !== undefined ? this.template.resources.get(target) : undefined;
    const parentFacts = parent && FACTS[parent.type];
    if (parentFacts) return this.#name(parent.logicalId, parentFacts);
    const parts = this.parts(value);
    const marker = parts?.findIndex((part) => "text" in part && /:[a-z-]+\//u.test(part.text)) ?? -1;
    if (!parts || marker === -1) return unknown;
    const text = (parts[marker] as { text: string }).text;
    const rest = text.slice(text.search(/:[a-z-]+\//u)).replace(/^:[a-z-]+\//u, "");
    return [...(rest ? [{ text: rest }] : []), ...parts.slice(marker + 1)];
  }

  /** A resource's physical name: its name property when the template sets it, else the name CloudFormation generates. */
  #name(logicalId: string, facts: ResourceArnFacts): Part[] {
    const known = this.#names.get(logicalId);
    if (known) return known;
    const resource = this.template.resources.get(logicalId)!;
    const property = facts.name.property ? entryOf(resource.properties, facts.name.property) : undefined;
    let name: Part[] | undefined;
    if (property && !this.#visiting.has(logicalId)) {
      this.#visiting.add(logicalId);
      name = this.parts(property);
      this.#visiting.delete(logicalId);
    }
    // `{Name:X}` is a name CloudFormation generates (arn-pattern.ts relies on it); a name property this
    // cannot read is a name the template sets, and as unknown as any deploy-time value.
    name ??= property
      ? [symbol({ kind: "getatt", resource: logicalId, attribute: "Name", node: resource.node.key }, `{Attribute:${logicalId}.Name}`)]
      : [symbol({ kind: "getatt", resource: logicalId, attribute: "Name", node: resource.node.key }, `{Name:${logicalId}}`)];
    // SSM parameter ARNs hold the name without its leading slash.
    if (resource.type === "AWS::SSM::Parameter" && name[0] && "text" in name[0] && name[0].text.startsWith("/")) {
      name = [{ text: name[0].text.slice(1) }, ...name.slice(1)].filter((part) => !("text" in part) || part.text !== "");
    }
    this.#names.set(logicalId, name);
    return name;
  }
}

function symbol(expr: Expr, text: string): Part {
  return { symbol: text, expr };
}
