import type { DocumentNode, PairNode, ValueNode } from "../language/ast.js";
import { CFN_INCLUDE_FUNCTIONS } from "../language/template-sniff.js";
import { mergedPairs, resolveAlias } from "../language/ast.js";
import type { Expr } from "./expr.js";
import { entryOf, keyText, literalText, rewriteExpr, toExpr } from "./expr.js";
import { staticFunctionValue } from "./static-functions.js";
import { interpolate, literalString } from "./interpolation.js";
import { mergeSamGlobals } from "./sam-globals.js";
import type { LoopContext, LoopOutput } from "./for-each.js";
import { MAX_RESOURCES, expandForEach } from "./for-each.js";

export type { Resource, Template } from "./types.js";
import type { Parameter, Resource, Template, Unexpanded } from "./types.js";

const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";
/** Fn::ForEach loops in Resources are expanded where their collection is known; the other functions it enables stay unknown values. */
const LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions";

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
    unexpanded: [],
    rolesByName: new Map(),
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
  for (const item of transforms) {
    const name = literalText(item);
    if (name === SAM_TRANSFORM || name === LANGUAGE_EXTENSIONS) continue;
    const what = name === undefined ? "a Transform that is not a plain macro name (an AWS::Include, say)" : `the ${name} macro`;
    template.unexpanded.push({ what, node: item.node, adds: undefined, rewrites: true });
  }

  const loopContext: LoopContext = {
    parameterDefault: (name) => {
      const parameter = template.parameters.get(name);
      const value = parameter && entryOf(toExpr(parameter.node.value), "Default");
      return parameter && value ? { type: parameter.type, value } : undefined;
    },
    mappings: template.mappings,
  };
  const expandsLoops = transforms.some((item) => literalText(item) === LANGUAGE_EXTENSIONS);
  const resolve = (definition: Expr) => rewriteExpr(definition, (expr) => staticFunctionValue(expr, template.mappings, expandsLoops));
  // Loops together expand to no more resources than a template may hold.
  let room = MAX_RESOURCES;
  for (const [logicalId, pair] of entries(section("Resources"))) {
    let outputs: LoopOutput[] | undefined;
    let assumedDefault: string | undefined;
    if (expandsLoops && logicalId.startsWith("Fn::ForEach::")) {
      const expansion = expandForEach(pair, loopContext, room);
      if (expansion.kind === "expanded") {
        outputs = expansion.outputs;
        assumedDefault = expansion.assumedDefault;
        room -= outputs.length;
      } else if (expansion.kind === "too-large") {
        template.unexpanded.push(unexpandedResource(logicalId, pair, expansion.reason));
        continue;
      }
    }
    const entries = outputs ?? [{ logicalId, node: pair, definition: toExpr(pair.value) }];
    for (const entry of entries) {
      if (template.resources.has(entry.logicalId)) continue;
      const resource = readResource(entry.logicalId, entry.node, resolve(entry.definition), outputs ? logicalId : undefined);
      // A registry module (`Org::Service::Thing::MODULE`) expands into resources of its own; what a loop
      // generates that is no plain resource (an Fn::Transform, say) is as unknown as it is outside one.
      if (resource && assumedDefault !== undefined) resource.loopAssumesDefault = assumedDefault;
      if (resource && !resource.type.endsWith("::MODULE")) template.resources.set(entry.logicalId, resource);
      else template.unexpanded.push(unexpandedResource(entry.logicalId, entry.node));
    }
  }
  for (const resource of template.resources.values()) {
    const roleName = resource.type === "AWS::IAM::Role" ? entryOf(resource.properties, "RoleName") : undefined;
    const name = roleName && literalString(interpolate(roleName));
    if (name === undefined) continue;
    const named = template.rolesByName.get(name);
    if (named) named.push(resource);
    else template.rolesByName.set(name, [resource]);
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
  const allowedPattern = literalText(entryOf(definition, "AllowedPattern"));
  return { name, type: literalText(entryOf(definition, "Type")), allowedValues, allowedPattern, node: pair };
}

function readResource(logicalId: string, pair: PairNode, definition = toExpr(pair.value), loop?: string): Resource | undefined {
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
    propertiesUnknown: propertiesUnknown(entryOf(definition, "Properties")),
    loop,
  };
}

function propertiesUnknown(properties: Expr | undefined): string | undefined {
  if (!properties) return undefined;
  if (properties.kind !== "object")
    return "its Properties are not a plain mapping (an include or a transform, which this linter does not expand)";
  return properties.entries.has("Fn::Transform")
    ? "its Properties hold an Fn::Transform (an AWS::Include snippet, say), which this linter does not expand"
    : undefined;
}

/** Whether an unexpanded part may add a resource of one of these types (or rewrite the template). */
export function mayAdd(part: Unexpanded, types: Iterable<string>): boolean {
  if (part.rewrites || !part.adds) return true;
  for (const type of types) if (part.adds.has(type)) return true;
  return false;
}

/**
 * An entry of Resources that is not a resource we read: an `Fn::Transform` (AWS::Include), an
 * `Fn::ForEach` loop (which may add the resource types its body names), a module (rain's `!Rain::Module`,
 * a registry `::MODULE`) or a type we cannot read (which may add anything).
 */
function unexpandedResource(logicalId: string, pair: PairNode, tooLarge?: string): Unexpanded {
  if (logicalId.startsWith("Fn::ForEach::")) {
    const body = toExpr(pair.value);
    const outputs = body.kind === "list" ? body.items[2] : undefined;
    const types =
      outputs?.kind === "object" ? [...outputs.entries.values()].map(({ value }) => literalText(entryOf(value, "Type"))) : [undefined];
    const adds = types.every((type) => type !== undefined) ? new Set(types as string[]) : undefined;
    return { what: `the ${logicalId} loop${tooLarge ? ` (not expanded: ${tooLarge})` : ""}`, node: pair.key, adds, rewrites: false };
  }
  const what =
    logicalId === "Fn::Transform"
      ? "an Fn::Transform in Resources (an AWS::Include snippet, say)"
      : CFN_INCLUDE_FUNCTIONS.has(logicalId)
        ? `cfn-include's ${logicalId} in Resources`
        : `resource ${logicalId}, whose Type this linter cannot read (a module, say)`;
  return { what, node: pair.key, adds: undefined, rewrites: false };
}
