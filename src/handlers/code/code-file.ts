import type { SdkUsage } from "../../analyzers/sdk/calls.js";
import { Bindings } from "./bindings.js";
import type { ModuleFacts } from "./module-facts.js";
import { moduleFacts } from "./module-facts.js";
import type { ParsedCode } from "./parse.js";
import { CodeParseError, parseCode } from "./parse.js";
import { readSdkUsage } from "./sdk-reader.js";

/** A JavaScript or TypeScript file as the code rules read it, each part computed once for all of them. */
export interface CodeFile {
  parsed: ParsedCode;
  bindings: Bindings;
  /** Its units of reach (which handler runs which code). */
  facts: ModuleFacts;
  /** Its AWS SDK usage. */
  usage: SdkUsage;
}

/** What ESLint hands a rule of the file it lints. */
export interface LintedCode {
  sourceCode: { text: string; ast: unknown };
  physicalFilename: string;
  languageOptions?: { sourceType?: unknown };
}

/** The trees this plugin's own parser gave ESLint: a rule reuses them instead of parsing again. */
const ownParses = new WeakMap<object, ParsedCode>();

/** Records a parse this plugin's ESLint parser made, for the rules of the same file. */
export function rememberParse(parsed: ParsedCode): void {
  ownParses.set(parsed.program, parsed);
}

const files = new WeakMap<object, CodeFile | CodeParseError>();

/**
 * The code file ESLint is linting, read by this plugin's own parser whatever parser ESLint used (the
 * code rules then see the same tree with any config), or why it cannot be read.
 */
export function codeFileOf(linted: LintedCode): CodeFile | CodeParseError {
  const key = linted.sourceCode;
  let file = files.get(key);
  if (!file) {
    try {
      const parsed =
        ownParses.get(linted.sourceCode.ast as object) ??
        parseCode(linted.sourceCode.text, linted.physicalFilename, linted.languageOptions?.sourceType);
      const facts = moduleFacts(parsed, linted.physicalFilename);
      let usage: SdkUsage | undefined;
      file = {
        parsed,
        bindings: new Bindings(parsed.scopeManager),
        facts,
        get usage() {
          usage ??= readSdkUsage(parsed);
          return usage;
        },
      };
    } catch (error) {
      file = error instanceof CodeParseError ? error : new CodeParseError(String((error as Error)?.message ?? error), 0, 1, 1);
    }
    files.set(key, file);
  }
  return file;
}
