import type { DocumentNode } from "../language/ast.js";
import type { Template } from "../template/model.js";
import { buildTemplate } from "../template/model.js";
import type { LambdaFunction } from "./wiring/functions.js";
import { lambdaFunctions } from "./wiring/functions.js";
import { IamEngine } from "./iam/engine.js";
import { ResourceValues } from "../template/resource-values.js";
import { Wiring } from "./wiring/graph.js";
import { Suppressions } from "./suppressions.js";
import type { TextStyle } from "./fixes/text-style.js";
import { textStyleOf } from "./fixes/text-style.js";

/**
 * Everything the rules of one file ask about, computed on first use and shared: the template model, the
 * functions with their roles, the wiring graph, the IAM engine, the Metadata suppressions.
 */
export class Analysis {
  #template: Template | undefined;
  #functions: LambdaFunction[] | undefined;
  #suppressions: Suppressions | undefined;
  #iam: IamEngine | undefined;
  #values: ResourceValues | undefined;
  #wiring: Wiring | undefined;
  #textStyle: TextStyle | undefined;

  /** `text` is the file's text, for suggestions that edit it; without it no suggestion is offered. */
  constructor(
    readonly document: DocumentNode,
    readonly text = "",
  ) {}

  get template(): Template {
    this.#template ??= buildTemplate(this.document);
    return this.#template;
  }

  get functions(): LambdaFunction[] {
    this.#functions ??= lambdaFunctions(this.template);
    return this.#functions;
  }

  /** Template values in one normal form (ARNs, names), shared by the wiring and the IAM engine. */
  get values(): ResourceValues {
    this.#values ??= new ResourceValues(this.template);
    return this.#values;
  }

  /** The wiring graph: functions, roles, event sources, invokers, permissions, destinations. */
  get wiring(): Wiring {
    this.#wiring ??= new Wiring(this.template, this.functions, this.values);
    return this.#wiring;
  }

  /** Permission questions about the template's execution roles. */
  get iam(): IamEngine {
    this.#iam ??= new IamEngine(this.template, this.values, this.wiring.connectors);
    return this.#iam;
  }

  /** How the file writes what suggestions insert, read once. */
  get textStyle(): TextStyle {
    this.#textStyle ??= textStyleOf(this.text);
    return this.#textStyle;
  }

  get suppressions(): Suppressions {
    this.#suppressions ??= new Suppressions(this.template);
    return this.#suppressions;
  }
}
