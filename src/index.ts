import { createRequire } from "node:module";
import type { Linter } from "eslint";
import { TemplateLanguage } from "./language/language.js";
import { handlerRules, templateRules } from "./rules/index.js";

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
    const parser = require("@typescript-eslint/parser") as { parseForESLint(code: string, options: unknown): unknown };
    return parser.parseForESLint(code, options);
  },
};

const plugin = {
  meta: { name, version, namespace: "lambda-iam" },
  languages: { cloudformation: new TemplateLanguage() },
  rules: { ...templateRules, ...handlerRules },
  configs: {} as Record<string, Linter.Config[]>,
};

/** `recommended`: every rule whose docs say so, derived from the rules' own meta. */
const recommendedRules = Object.fromEntries(
  Object.entries(templateRules)
    .filter(([, rule]) => rule.meta.docs?.recommended)
    .map(([ruleName, rule]) => [`lambda-iam/${ruleName}`, rule.meta.docs!.severity]),
) as Linter.RulesRecord;

plugin.configs.recommended = [
  {
    name: "lambda-iam/recommended/templates",
    files: TEMPLATE_FILES,
    plugins: { "lambda-iam": plugin as never },
    language: "lambda-iam/cloudformation",
    rules: recommendedRules,
  },
  {
    name: "lambda-iam/recommended/handlers",
    files: HANDLER_FILES,
    plugins: { "lambda-iam": plugin as never },
    rules: Object.fromEntries(Object.keys(handlerRules).map((ruleName) => [`lambda-iam/${ruleName}`, "error"])) as Linter.RulesRecord,
  },
  {
    name: "lambda-iam/recommended/typescript-parser",
    files: TYPESCRIPT_FILES,
    languageOptions: { parser: typescriptParser as never },
  },
];

export default plugin;
