import { createRequire } from "node:module";
import path from "node:path";
import { rememberParse } from "./code-file.js";
import { failureAt, parseCode } from "./parse.js";

import { PACKAGE_VERSION as version } from "../../package-facts.js";

/** ESLint's options for a parser call (the ones this parser reads). */
interface ParserOptions {
  filePath?: string;
  sourceType?: unknown;
}

interface EslintParser {
  meta: { name: string; version: string };
  parseForESLint(code: string, options?: ParserOptions): unknown;
}

/**
 * This plugin's parser for JavaScript and TypeScript: oxc and typescript-eslint's scope manager, so it
 * needs no `typescript` package (TypeScript 7 has no JavaScript API). It gives ESLint comments (for
 * inline directives) but no tokens, which the plugin's rules do not read.
 */
export const codeParser: EslintParser = {
  meta: { name: "lambda-iam/code-parser", version },
  parseForESLint(code, options = {}) {
    const parsed = parseCode(code, options.filePath ?? "file.ts", options.sourceType);
    rememberParse(parsed);
    return { ast: parsed.program, scopeManager: parsed.scopeManager, visitorKeys: parsed.visitorKeys, services: {} };
  },
};

/** typescript-eslint's parser, as the project has it (with a `typescript` it can run on), or undefined. */
let projectParser: { parser: EslintParser | undefined } | undefined;

/** The TypeScript versions typescript-eslint can run on: before 6.1 (TypeScript 7, the Go port, has no JavaScript API). */
function typescriptEslintCanRun(typescript: string): boolean {
  const [major = 0, minor = 0] = typescript.split(".").map(Number);
  return major < 6 || (major === 6 && minor === 0);
}

function typescriptEslintParser(): EslintParser | undefined {
  if (!projectParser) {
    projectParser = { parser: undefined };
    try {
      const fromProject = createRequire(path.join(process.cwd(), "package.json"));
      const parserPath = fromProject.resolve("@typescript-eslint/parser");
      const typescript = (createRequire(parserPath)("typescript/package.json") as { version: string }).version;
      if (typescriptEslintCanRun(typescript)) projectParser.parser = fromProject(parserPath) as EslintParser;
    } catch {
      // not installed, or no TypeScript it can run on: this plugin's parser reads the file
    }
  }
  return projectParser.parser;
}

/**
 * The parser `recommended` gives TypeScript files: typescript-eslint's when the project has it and a
 * TypeScript it runs on, so that the project's own TypeScript rules keep the tree and types they need
 * when this plugin's config comes after theirs; else this plugin's own. The plugin's rules read every
 * file with its own parser either way.
 */
export const typescriptFileParser: EslintParser = {
  meta: { name: "lambda-iam/typescript-parser", version },
  parseForESLint(code, options) {
    const delegate = typescriptEslintParser();
    if (!delegate) return codeParser.parseForESLint(code, options);
    try {
      return delegate.parseForESLint(code, options);
    } catch (error) {
      throw located(error, code);
    }
  },
};

/**
 * A failure of typescript-eslint's parser with a place, where it gave none (ESLint would print 0:0):
 * TypeScript runs out of stack on code nested thousands deep, placed at the deepest nesting.
 */
function located(error: unknown, code: string): unknown {
  if (typeof (error as { lineNumber?: unknown })?.lineNumber === "number") return error;
  return failureAt(code, error);
}
