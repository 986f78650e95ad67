import type { ESLint, Linter } from "eslint";
import { builtinRules } from "eslint/use-at-your-own-risk";
import { TemplateLanguage } from "./language/language.js";
import { PythonLanguage } from "./python/language.js";
import { handlerRules, templateRules } from "./rules/index.js";
import type { TemplateRule } from "./rules/create-rule.js";
import { typescriptFileParser } from "./handlers/code/eslint-parsers.js";
import { PACKAGE_NAME as name, PACKAGE_VERSION as version } from "./package-facts.js";

/** Files the template rules look at. Files that are not templates are parsed and left alone. */
export const TEMPLATE_FILES = ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.template"];
/** Handler code that the TypeScript rules look at. */
export const HANDLER_FILES = ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs"];
const TYPESCRIPT_FILES = ["**/*.ts", "**/*.mts", "**/*.cts"];
/** Python handler code, which the SDK-call rules read too (boto3). */
export const PYTHON_FILES = ["**/*.py"];
/** The rules that read a Python handler's AWS SDK calls. */
const PYTHON_RULES = ["sdk-call-permissions", "cross-account-access"] as const;

type RuleName = keyof typeof templateRules | keyof typeof handlerRules;

/**
 * The plugin as ESLint types a plugin, with every rule and config by name. The TypeScript rule is built
 * with typescript-eslint's RuleCreator, whose rule type ESLint's does not accept as it is: it is typed
 * here as the rule ESLint runs.
 */
export interface LambdaIamPlugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: string };
  languages: { cloudformation: TemplateLanguage; python: PythonLanguage };
  rules: Record<RuleName, NonNullable<ESLint.Plugin["rules"]>[string]>;
  configs: { recommended: Linter.Config[]; strict: Linter.Config[] };
}

const plugin: LambdaIamPlugin = {
  meta: { name, version, namespace: "lambda-iam" },
  languages: { cloudformation: new TemplateLanguage(), python: new PythonLanguage() },
  rules: {
    ...templateRules,
    ...(handlerRules as unknown as Record<keyof typeof handlerRules, NonNullable<ESLint.Plugin["rules"]>[string]>),
  },
  configs: { recommended: [], strict: [] },
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
    name: "lambda-iam/recommended/python",
    files: PYTHON_FILES,
    plugins: { "lambda-iam": plugin as never },
    language: "lambda-iam/python",
    // ESLint's own rules read JavaScript: none may run on Python. (Before the templates block: a config that
    // maps every block to its own files keeps the template language there.)
    rules: {
      ...coreRulesOff,
      ...Object.fromEntries(PYTHON_RULES.map((ruleName) => [`lambda-iam/${ruleName}`, handlerRules[ruleName].meta.docs!.severity])),
    },
  },
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
    languageOptions: { parser: typescriptFileParser as never },
  },
];

/**
 * `strict`: `recommended`, and the template rules not yet proven on real repositories at 99% precision
 * (DESIGN.md), at their docs' severity.
 */
const strictRules = Object.fromEntries(
  Object.entries(templateRules as Record<string, TemplateRule>)
    .filter(([, rule]) => !rule.meta.docs?.recommended)
    .map(([ruleName, rule]) => [`lambda-iam/${ruleName}`, rule.meta.docs!.severity]),
) as Linter.RulesRecord;
plugin.configs.strict = plugin.configs.recommended.map((config) => ({
  ...config,
  name: config.name!.replace("/recommended/", "/strict/"),
  ...(config.name === "lambda-iam/recommended/templates" ? { rules: { ...config.rules, ...strictRules } } : {}),
}));

export default plugin;
