import { createRequire } from "node:module";
import type { Linter } from "eslint";
import { TemplateLanguage } from "./language/language.js";
import { templateRules } from "./rules/index.js";

const { name, version } = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** Files the template rules look at. Files that are not templates are parsed and left alone. */
export const TEMPLATE_FILES = ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.template"];

const plugin = {
  meta: { name, version, namespace: "lambda-iam" },
  languages: { cloudformation: new TemplateLanguage() },
  rules: templateRules,
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
];

export default plugin;
