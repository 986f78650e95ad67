import type { DocumentNode } from "../language/ast.js";
import type { Template } from "../template/model.js";
import { buildTemplate } from "../template/model.js";
import type { LambdaFunction } from "./wiring/functions.js";
import { lambdaFunctions } from "./wiring/functions.js";
import { IamEngine } from "./iam/engine.js";
import { Suppressions } from "./suppressions.js";
import type { TextStyle } from "./fixes/text-style.js";
import { textStyleOf } from "./fixes/text-style.js";

/**
 * Everything the rules of one file ask about, computed on first use and shared: the template model, the
 * functions with their roles, the IAM engine, the Metadata suppressions.
 */
export class Analysis {
  #template: Template | undefined;
  #functions: LambdaFunction[] | undefined;
  #suppressions: Suppressions | undefined;
  #iam: IamEngine | undefined;
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

  /** Permission questions about the template's execution roles. */
  get iam(): IamEngine {
    this.#iam ??= new IamEngine(this.template);
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
