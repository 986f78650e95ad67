import { readFileSync } from "node:fs";
import path from "node:path";
import type { Linter } from "eslint";
import { Linter as ESLintLinter } from "eslint";
import plugin from "../index.js";
import type { PairNode, ValueNode } from "../language/ast.js";
import { offsetAt } from "../language/locations.js";
import { readTemplateText } from "../analyzers/template-text.js";
import { REPOSITORY_URL } from "../package-facts.js";
import { constructPath, resourceAt } from "../template/cdk.js";

/**
 * The shapes of aws-cdk-lib's policy-validation interfaces (`IPolicyValidationPluginBeta1`, and the
 * stable `IPolicyValidationPlugin` of `Validations.of(app).addPlugins`), written here so that the
 * validator works with the app's own aws-cdk-lib and the plugin does not depend on it.
 */
export interface PolicyValidationContext {
  readonly templatePaths: string[];
}

export interface PolicyViolatingResource {
  readonly resourceLogicalId: string;
  readonly templatePath: string;
  readonly locations: string[];
  readonly constructPath?: string;
}

export interface PolicyViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly violatingResources: PolicyViolatingResource[];
  readonly fix?: string;
  readonly severity?: string;
}

export interface PolicyValidationReport {
  readonly success: boolean;
  readonly violations: PolicyViolation[];
  readonly pluginVersion?: string;
}

export interface LambdaIamValidatorOptions {
  /** Rule settings over `recommended`, as in a flat config: `{ "lambda-iam/no-shared-execution-role": "off" }`. */
  rules?: Linter.RulesRecord;
}

const TEMPLATE_BLOCK = "lambda-iam/recommended/templates";

/**
 * Runs the template rules of `recommended` on every template `cdk synth` writes, through ESLint itself
 * (the same rules, options and `Metadata` suppressions as in the editor), and reports their findings as
 * policy violations of the resources and construct paths they are on. Errors fail the synth.
 */
export class LambdaIamValidator {
  readonly name = "eslint-plugin-lambda-iam";
  readonly version: string = plugin.meta.version;
  readonly ruleIds: string[];
  readonly #config: Linter.Config[];

  constructor(options: LambdaIamValidatorOptions = {}) {
    const templates = plugin.configs.recommended.find((config) => config.name === TEMPLATE_BLOCK)!;
    this.#config = [
      { ...templates, files: ["**/*.json"] },
      { files: ["**/*.json"], rules: options.rules ?? {} },
    ];
    this.ruleIds = Object.entries(templates.rules ?? {})
      .filter(([id, setting]) => id.startsWith("lambda-iam/") && setting !== "off")
      .map(([id]) => id);
  }

  /**
   * The report CDK prints and decides the synth by. An error inside the validator fails the synth too,
   * with the error as a violation and on standard error: CDK itself only records a thrown error in
   * `validation-report.json` and lets the synth pass, which would pass a broken app.
   */
  validate(context: PolicyValidationContext): PolicyValidationReport {
    try {
      return this.#validate(context);
    } catch (error) {
      const description = `eslint-plugin-lambda-iam could not check the synthesized templates, so none of them is checked: ${(error as Error)?.message ?? String(error)}`;
      process.stderr.write(`${description}\n`);
      return {
        success: false,
        violations: [
          {
            ruleName: "lambda-iam/internal-error",
            description,
            severity: "error",
            fix: `Report it at ${REPOSITORY_URL}/issues`,
            violatingResources: [],
          },
        ],
        pluginVersion: this.version,
      };
    }
  }

  #validate(context: PolicyValidationContext): PolicyValidationReport {
    const violations = new Map<
      string,
      { ruleName: string; description: string; severity: string; fix: string; violatingResources: PolicyViolatingResource[] }
    >();
    for (const given of context.templatePaths) {
      // `cdk synth` gives paths relative to its working directory (its output directory is `cdk.out`).
      const templatePath = path.resolve(given);
      const text = readFileSync(templatePath, "utf8");
      const linter = new ESLintLinter({ configType: "flat", cwd: path.dirname(templatePath) });
      const messages = linter.verify(text, this.#config, templatePath);
      const located = locator(text);
      for (const message of messages) {
        const ruleName = message.ruleId ?? "lambda-iam/parse";
        const description = message.message;
        const key = `${ruleName}\u0000${description}`;
        const violation = violations.get(key) ?? {
          ruleName,
          description,
          severity: message.severity === 2 ? "error" : "warning",
          fix: `See ${docsUrl(ruleName)}`,
          violatingResources: [],
        };
        violation.violatingResources.push({ templatePath: given, ...located(message) });
        violations.set(key, violation);
      }
    }
    return {
      success: ![...violations.values()].some((violation) => violation.severity === "error"),
      violations: [...violations.values()],
      pluginVersion: this.version,
    };
  }
}

/** Finds the resource, its construct path and the property path (`Properties/Role`) of a message's position. */
function locator(text: string): (message: Linter.LintMessage) => Omit<PolicyViolatingResource, "templatePath"> {
  const read = readTemplateText(text);
  const template = read.kind === "template" ? read.analysis.template : undefined;
  return (message) => {
    const offset = offsetAt(text, { line: message.line, column: message.column });
    const resource = template && resourceAt(template, offset);
    if (!resource) return { resourceLogicalId: "", locations: [] };
    const construct = constructPath(resource);
    return {
      resourceLogicalId: resource.logicalId,
      locations: [propertyPath(resource.node.value, offset).join("/")].filter((location) => location !== ""),
      ...(construct ? { constructPath: construct } : {}),
    };
  };
}

/** The keys from a resource's definition down to the innermost mapping entry that holds an offset. */
function propertyPath(node: ValueNode | null, offset: number): string[] {
  if (node?.type !== "Mapping") return [];
  const pair = node.pairs.find((candidate: PairNode) => candidate.range[0] <= offset && offset < candidate.range[1]);
  if (!pair) return [];
  const key = pair.key.type === "Scalar" ? String(pair.key.value) : "?";
  return [key, ...propertyPath(pair.value, offset)];
}

/** The docs of a rule, or of how templates are read (for a parse error, which no rule reports). */
function docsUrl(ruleName: string): string {
  const rule = plugin.rules[ruleName.replace(/^lambda-iam\//u, "") as keyof typeof plugin.rules];
  return (rule?.meta?.docs as { url?: string } | undefined)?.url ?? `${REPOSITORY_URL}#how-templates-are-read`;
}
