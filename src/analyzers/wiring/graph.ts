import path from "node:path";
import { entryOf } from "../../template/expr.js";
import { partsText } from "../../template/interpolation.js";
import type { Resource, Template } from "../../template/model.js";
import type { ResourceValues } from "../../template/resource-values.js";
import type { Connector } from "./connectors.js";
import { samConnectors } from "./connectors.js";
import type { EventSourceMapping } from "./event-sources.js";
import { eventSourceMappings } from "./event-sources.js";
import type { Feature } from "./function-features.js";
import { functionFeatures } from "./function-features.js";
import { FunctionIndex } from "./function-references.js";
import type { PublicFunctionUrl } from "./function-urls.js";
import { publicFunctionUrls } from "./function-urls.js";
import type { LambdaFunction } from "./functions.js";
import { codeIndex, withoutExtension } from "./handler-functions.js";
import type { Invoker, InvokerReference } from "./invokers.js";
import { invokerReferences, pushInvokers } from "./invokers.js";
import type { LambdaPermission } from "./lambda-permissions.js";
import { lambdaPermissions } from "./lambda-permissions.js";
import type { Requirement } from "./requirement.js";
import { mappingRequirements } from "./mapping-requirements.js";

/**
 * The wiring of one template: function ↔ execution role ↔ event sources ↔ invokers ↔ Lambda permissions ↔
 * destinations, each part built on first use and kept. Every check reads it; nothing recomputes it.
 */
export class Wiring {
  #index: FunctionIndex | undefined;
  #mappings: EventSourceMapping[] | undefined;
  #mappingRequirements = new Map<EventSourceMapping, Requirement[]>();
  #permissions: LambdaPermission[] | undefined;
  #invokers: Invoker[] | undefined;
  #invokerReferences: InvokerReference[] | undefined;
  #publicUrls: PublicFunctionUrl[] | undefined;
  #connectors: Connector[] | undefined;
  #features = new Map<LambdaFunction, Feature[]>();
  #eventInvokeConfigs: Map<LambdaFunction, Resource[]> | undefined;
  #declaredLogGroups: Set<string> | undefined;
  #codeFiles: { templateFile: string; byFile: Map<string, LambdaFunction[]> } | undefined;

  constructor(
    readonly template: Template,
    readonly functions: LambdaFunction[],
    readonly values: ResourceValues,
  ) {}

  /** The functions by logical id and name, and what a function reference names. */
  get index(): FunctionIndex {
    this.#index ??= new FunctionIndex(this.template, this.functions);
    return this.#index;
  }

  /** Event source mappings and SAM pull events. */
  get eventSourceMappings(): EventSourceMapping[] {
    this.#mappings ??= eventSourceMappings(this.index, this.values);
    return this.#mappings;
  }

  /** What a mapping needs of its function's role: reading its source, the source's key, its OnFailure destination. */
  mappingRequirements(mapping: EventSourceMapping): Requirement[] {
    let requirements = this.#mappingRequirements.get(mapping);
    if (!requirements) {
      requirements = mappingRequirements(this, mapping);
      this.#mappingRequirements.set(mapping, requirements);
    }
    return requirements;
  }

  /** `AWS::Lambda::Permission`s, `AWS::Lambda::ResourcePolicy` statements and the permissions SAM generates. */
  get permissions(): LambdaPermission[] {
    this.#permissions ??= lambdaPermissions(this.index);
    return this.#permissions;
  }

  /** Every place where a resource names a function for a service to invoke, a function of the template or not. */
  get invokerReferences(): InvokerReference[] {
    this.#invokerReferences ??= invokerReferences(this.template, this.values);
    return this.#invokerReferences;
  }

  /** Resources that make a service invoke a function of the template. */
  get invokers(): Invoker[] {
    this.#invokers ??= pushInvokers(this.index, this.invokerReferences);
    return this.#invokers;
  }

  /** Function URLs with `AuthType: NONE`. */
  get publicUrls(): PublicFunctionUrl[] {
    this.#publicUrls ??= publicFunctionUrls(this.index);
    return this.#publicUrls;
  }

  /** SAM connectors, which add policies and permissions this linter does not model. */
  get connectors(): Connector[] {
    this.#connectors ??= samConnectors(this.template);
    return this.#connectors;
  }

  /** What each part of a function's configuration needs from its role. */
  features(fn: LambdaFunction): Feature[] {
    let features = this.#features.get(fn);
    if (!features) {
      features = functionFeatures(this, fn);
      this.#features.set(fn, features);
    }
    return features;
  }

  /** The `AWS::Lambda::EventInvokeConfig` resources that configure a function. */
  eventInvokeConfigs(fn: LambdaFunction): Resource[] {
    if (!this.#eventInvokeConfigs) {
      this.#eventInvokeConfigs = new Map();
      for (const resource of this.template.resources.values()) {
        if (resource.type !== "AWS::Lambda::EventInvokeConfig") continue;
        const target = this.index.referenced(entryOf(resource.properties, "FunctionName"));
        if (target) this.#eventInvokeConfigs.set(target, [...(this.#eventInvokeConfigs.get(target) ?? []), resource]);
      }
    }
    return this.#eventInvokeConfigs.get(fn) ?? [];
  }

  /** Names of the log groups the template declares, in canonical form (a declared group needs no logs:CreateLogGroup). */
  get declaredLogGroups(): Set<string> {
    if (!this.#declaredLogGroups) {
      this.#declaredLogGroups = new Set();
      for (const resource of this.template.resources.values()) {
        if (resource.type !== "AWS::Logs::LogGroup") continue;
        const name = entryOf(resource.properties, "LogGroupName");
        const parts = name ? this.values.parts(name) : undefined;
        if (parts) this.#declaredLogGroups.add(partsText(parts));
      }
    }
    return this.#declaredLogGroups;
  }

  /** The functions of this template (at `templateFile`) whose code is `sourceFile`. */
  functionsForSourceFile(templateFile: string, sourceFile: string): LambdaFunction[] {
    if (this.#codeFiles?.templateFile !== templateFile) this.#codeFiles = { templateFile, byFile: codeIndex(this.functions, templateFile) };
    return this.#codeFiles.byFile.get(withoutExtension(path.resolve(sourceFile))) ?? [];
  }
}
