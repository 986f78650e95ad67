import type { DocumentNode, PairNode, ValueNode } from "../language/ast.js";
import { mergedPairs, resolveAlias } from "../language/ast.js";
import type { Expr, ObjectExpr } from "./expr.js";
import { entryOf, keyText, literalText, toExpr } from "./expr.js";
import { mergeSamGlobals } from "./sam-globals.js";

export interface Resource {
  logicalId: string;
  type: string;
  /** The `LogicalId: {...}` entry, for locating findings and suppressions. */
  node: PairNode;
  /** Properties as written, with SAM `Globals` merged in for SAM resources. */
  properties: ObjectExpr | undefined;
  condition: string | undefined;
  dependsOn: string[];
  metadata: Expr | undefined;
  /** The whole definition, for attributes the model does not name (SAM's embedded `Connectors`). */
  definition: ObjectExpr;
}

export interface Parameter {
  name: string;
  type: string | undefined;
  allowedValues: string[] | undefined;
  node: PairNode;
}

export interface Template {
  /** True when the template uses the SAM transform or any `AWS::Serverless::*` resource. */
  isSam: boolean;
  resources: Map<string, Resource>;
  parameters: Map<string, Parameter>;
  /** Condition name to its expression. */
  conditions: Map<string, Expr>;
  mappings: Expr | undefined;
  outputs: Expr | undefined;
  metadata: Expr | undefined;
}

const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/** Builds the template model of a parsed document. An empty model for anything that is not a template. */
export function buildTemplate(document: DocumentNode): Template {
  const template: Template = {
    isSam: false,
    resources: new Map(),
    parameters: new Map(),
    conditions: new Map(),
    mappings: undefined,
    outputs: undefined,
    metadata: undefined,
  };
  if (!document.isTemplate || !document.body) return template;
  const root = resolveAlias(document.body);
  if (root.type !== "Mapping") return template;

  const sections = new Map<string, PairNode>();
  for (const pair of mergedPairs(root)) {
    const key = keyText(pair.key);
    if (key !== undefined) sections.set(key, pair);
  }
  const section = (name: string): ValueNode | undefined => sections.get(name)?.value;

  template.mappings = optionalExpr(section("Mappings"));
  template.outputs = optionalExpr(section("Outputs"));
  template.metadata = optionalExpr(section("Metadata"));
  for (const [name, pair] of entries(section("Conditions"))) template.conditions.set(name, toExpr(pair.value));
  for (const [name, pair] of entries(section("Parameters"))) template.parameters.set(name, parameter(name, pair));

  const transform = optionalExpr(section("Transform"));
  const transforms = transform?.kind === "list" ? transform.items : transform ? [transform] : [];
  const hasSamTransform = transforms.some((item) => literalText(item) === SAM_TRANSFORM);

  for (const [logicalId, pair] of entries(section("Resources"))) {
    const resource = readResource(logicalId, pair);
    if (resource) template.resources.set(logicalId, resource);
  }
  template.isSam = hasSamTransform || [...template.resources.values()].some((r) => r.type.startsWith("AWS::Serverless::"));
  if (template.isSam) mergeSamGlobals(template, optionalExpr(section("Globals")));
  return template;
}

function optionalExpr(node: ValueNode | undefined): Expr | undefined {
  return node ? toExpr(node) : undefined;
}

/** The entries of a mapping section, by key; nothing for a section that is not a mapping. */
function entries(node: ValueNode | undefined): Array<[string, PairNode]> {
  if (!node) return [];
  const mapping = resolveAlias(node);
  if (mapping.type !== "Mapping" || mapping.tag) return [];
  const result: Array<[string, PairNode]> = [];
  for (const pair of mergedPairs(mapping)) {
    const key = keyText(pair.key);
    if (key !== undefined) result.push([key, pair]);
  }
  return result;
}

function parameter(name: string, pair: PairNode): Parameter {
  const definition = toExpr(pair.value);
  const allowed = entryOf(definition, "AllowedValues");
  const allowedValues =
    allowed?.kind === "list" && allowed.items.every((item) => literalText(item) !== undefined)
      ? allowed.items.map((item) => literalText(item)!)
      : undefined;
  return { name, type: literalText(entryOf(definition, "Type")), allowedValues, node: pair };
}

function readResource(logicalId: string, pair: PairNode): Resource | undefined {
  const definition = toExpr(pair.value);
  const type = literalText(entryOf(definition, "Type"));
  if (definition.kind !== "object" || type === undefined) return undefined;
  const properties = entryOf(definition, "Properties");
  const dependsOn = entryOf(definition, "DependsOn");
  const dependsOnList = dependsOn?.kind === "list" ? dependsOn.items : dependsOn ? [dependsOn] : [];
  return {
    logicalId,
    type,
    node: pair,
    properties: properties?.kind === "object" ? properties : undefined,
    condition: literalText(entryOf(definition, "Condition")),
    dependsOn: dependsOnList.map(literalText).filter((id): id is string => id !== undefined),
    metadata: entryOf(definition, "Metadata"),
    definition,
  };
}
