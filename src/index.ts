import { createRequire } from "node:module";
import type { ESLint, Linter } from "eslint";
import { builtinRules } from "eslint/use-at-your-own-risk";
import { TemplateLanguage } from "./language/language.js";
import { handlerRules, templateRules } from "./rules/index.js";
import type { TemplateRule } from "./rules/create-rule.js";
import { SUPPORTED_TYPESCRIPT, typescriptSupported } from "./typescript-support.js";
import { deepestNesting } from "./handlers/deepest-nesting.js";

const require = createRequire(import.meta.url);
const { name, version } = require("../package.json") as { name: string; version: string };

/** Files the template rules look at. Files that are not templates are parsed and left alone. */
export const TEMPLATE_FILES = ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.template"];
/** Handler code that the TypeScript rules look at. */
export const HANDLER_FILES = ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs"];
const TYPESCRIPT_FILES = ["**/*.ts", "**/*.mts", "**/*.cts"];

/**
 * typescript-eslint's parser, loaded on first use: projects without TypeScript never load it (it needs
 * the typescript package, an optional peer dependency).
 */
const typescriptParser = {
  meta: { name: "lambda-iam/typescript-parser" },
  parseForESLint(code: string, options: unknown): unknown {
    // TypeScript 7 (the Go port) has no API that typescript-eslint can parse with: say so, not "Parsing error: ...".
    const version = installedTypescript();
    if (version && !typescriptSupported(version)) {
      throw new Error(
        `lambda-iam: linting TypeScript handlers needs ${SUPPORTED_TYPESCRIPT}; this is TypeScript ${version}: install typescript@~6.0`,
      );
    }
    const parser = require("@typescript-eslint/parser") as { parseForESLint(code: string, options: unknown): unknown };
    try {
      return parser.parseForESLint(code, options);
    } catch (error) {
      throw located(error, code);
    }
  },
};

/**
 * A parse failure with a place, as ESLint reports it (`lineNumber`, 1-based `column`), where the parser
 * gave none (ESLint would print 0:0): TypeScript's parser runs out of stack on code nested thousands
 * deep, which is placed at the deepest nesting; any other failure at the start of the file.
 */
function located(error: unknown, code: string): unknown {
  const failure = error as { lineNumber?: unknown; message?: unknown };
  if (typeof failure?.lineNumber === "number") return error;
  if (!(error instanceof RangeError)) return Object.assign(new Error(String(failure?.message ?? error)), { lineNumber: 1, column: 1 });
  const { offset, depth } = deepestNesting(code);
  const before = code.slice(0, offset);
  const lineNumber = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return Object.assign(new Error(`the parser ran out of stack (${error.message}): the code nests ${depth} levels deep here`), {
    lineNumber,
    column,
  });
}

type RuleName = keyof typeof templateRules | keyof typeof handlerRules;

/**
 * The plugin as ESLint types a plugin, with every rule and config by name. The TypeScript rule is built
 * with typescript-eslint's RuleCreator, whose rule type ESLint's does not accept as it is: it is typed
 * here as the rule ESLint runs.
 */
export interface LambdaIamPlugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: string };
  languages: { cloudformation: TemplateLanguage };
  rules: Record<RuleName, NonNullable<ESLint.Plugin["rules"]>[string]>;
  configs: { recommended: Linter.Config[] };
}

/** The version of the typescript package the parser would load, when its manifest can be read. */
function installedTypescript(): string | undefined {
  try {
    return (require("typescript/package.json") as { version: string }).version;
  } catch {
    return undefined;
  }
}

const plugin: LambdaIamPlugin = {
  meta: { name, version, namespace: "lambda-iam" },
  languages: { cloudformation: new TemplateLanguage() },
  rules: {
    ...templateRules,
    ...(handlerRules as unknown as Record<keyof typeof handlerRules, NonNullable<ESLint.Plugin["rules"]>[string]>),
  },
  configs: { recommended: [] },
};

/** `recommended`: every rule whose docs say so, derived from the rules' own meta. */
const recommendedRules = Object.fromEntries(
  Object.entries(templateRules as Record<string, TemplateRule>)
    .filter(([, rule]) => rule.meta.docs?.recommended)
    .map(([ruleName, rule]) => [`lambda-iam/${ruleName}`, rule.meta.docs!.severity]),
) as Linter.RulesRecord;

/**
 * ESLint's own rules are written for JavaScript: on a template they find nothing, and a few cannot even
 * start. A config that enables them for every file (`@eslint/js` recommended, unscoped) is common, so
 * the template block switches them off.
 */
const coreRulesOff = Object.fromEntries([...builtinRules.keys()].map((ruleName) => [ruleName, "off"])) as Linter.RulesRecord;

plugin.configs.recommended = [
  // `sam build` copies every template into .aws-sam/build: without this, each finding is reported twice.
  { name: "lambda-iam/recommended/ignores", ignores: ["**/.aws-sam/"] },
  {
    name: "lambda-iam/recommended/templates",
    files: TEMPLATE_FILES,
    plugins: { "lambda-iam": plugin as never },
    language: "lambda-iam/cloudformation",
    rules: { ...coreRulesOff, ...recommendedRules },
  },
  {
    name: "lambda-iam/recommended/handlers",
    files: HANDLER_FILES,
    plugins: { "lambda-iam": plugin as never },
    rules: Object.fromEntries(
      Object.entries(handlerRules).map(([ruleName, rule]) => [`lambda-iam/${ruleName}`, rule.meta.docs!.severity]),
    ) as Linter.RulesRecord,
  },
  {
    name: "lambda-iam/recommended/typescript-parser",
    files: TYPESCRIPT_FILES,
    languageOptions: { parser: typescriptParser as never },
  },
];

export default plugin;
