import type { Expr } from "../template/expr.js";
import { entryOf, literalText } from "../template/expr.js";
import type { Template } from "../template/model.js";
import type { Located } from "./finding.js";

/** The key under `Metadata` that holds this plugin's suppressions. */
const METADATA_KEY = "lambda-iam";

interface ResourceSuppression {
  start: number;
  end: number;
  rules: Set<string>;
}

/**
 * Rules switched off in `Metadata`, for the whole template or one resource, in either of two spellings:
 *
 *     Metadata:
 *       lambda-iam:
 *         ignore_checks: [no-shared-execution-role]        # as cfn-lint's `ignore_checks`
 *         rules_to_suppress:                               # as cfn_nag's `rules_to_suppress`
 *           - id: no-shared-execution-role
 *             reason: legacy functions share one role until the split in Q3
 *
 * JSON templates cannot hold comments, so this is how they suppress a finding.
 */
export class Suppressions {
  readonly #templateRules: Set<string>;
  readonly #resources: ResourceSuppression[] = [];

  constructor(template: Template) {
    this.#templateRules = suppressedRules(template.metadata);
    for (const resource of template.resources.values()) {
      const rules = suppressedRules(resource.metadata);
      if (rules.size > 0) this.#resources.push({ start: resource.node.range[0], end: resource.node.range[1], rules });
    }
  }

  /** Whether a finding of `rule` (with or without the `lambda-iam/` prefix) at `at` is suppressed. */
  isSuppressed(rule: string, at: Located): boolean {
    const name = rule.replace(/^lambda-iam\//u, "");
    if (this.#templateRules.has(name)) return true;
    return this.#resources.some((resource) => resource.rules.has(name) && at.range[0] >= resource.start && at.range[0] <= resource.end);
  }
}

function suppressedRules(metadata: Expr | undefined): Set<string> {
  const rules = new Set<string>();
  const ours = entryOf(metadata, METADATA_KEY);
  const names = entryOf(ours, "ignore_checks");
  if (names?.kind === "list") for (const item of names.items) addRule(rules, literalText(item));
  const suppress = entryOf(ours, "rules_to_suppress");
  if (suppress?.kind === "list") for (const item of suppress.items) addRule(rules, literalText(entryOf(item, "id")));
  return rules;
}

function addRule(rules: Set<string>, name: string | undefined): void {
  if (name) rules.add(name.replace(/^lambda-iam\//u, ""));
}
