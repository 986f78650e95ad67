import type { RuleDefinition, RulesMeta } from "@eslint/core";
import type { JSONSchema4 } from "json-schema";
import type { AnyNode } from "../language/ast.js";
import type { TemplateSourceCode } from "../language/source-code.js";
import { Analysis } from "../analyzers/analysis.js";
import type { DocumentNode } from "../language/ast.js";
import type { Finding } from "../analyzers/finding.js";

export const REPOSITORY_URL = "https://github.com/lambda-iam/eslint-plugin-lambda-iam";

export function ruleDocsUrl(name: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${name}.md`;
}

export interface TemplateRuleDocs {
  description: string;
  recommended: boolean;
  /** The severity in the `recommended` config: "error" when the template cannot work, "warn" for best practice. */
  severity: "error" | "warn";
  url: string;
  /** AWS documentation that states the requirement this rule enforces. */
  sources: string[];
}

export type TemplateRule = RuleDefinition<{
  LangOptions: Record<string, unknown>;
  Code: TemplateSourceCode;
  RuleOptions: unknown[];
  Visitor: { Document?: (node: AnyNode) => void };
  Node: AnyNode;
  MessageIds: string;
  ExtRuleDocs: TemplateRuleDocs;
}> & { meta: RulesMeta<string, unknown[], TemplateRuleDocs> };

interface TemplateRuleSpec<Options extends object, MessageId extends string> {
  name: string;
  type: "problem" | "suggestion";
  description: string;
  recommended: boolean;
  severity: "error" | "warn";
  sources: string[];
  messages: Record<MessageId, string>;
  /** JSON schema of the single options object; every property has a `description`. */
  optionsSchema: JSONSchema4;
  defaultOptions: Options;
  /** Whether findings may carry suggestions (edits the user can apply). */
  hasSuggestions?: boolean;
  /** Runs the analyzers: the rule itself only reports what they prove. */
  analyze(analysis: Analysis, options: Options): Array<Finding<MessageId>>;
}

/**
 * Builds a template rule: one options object, defaults in one place (`meta.defaultOptions`), the docs URL
 * from the rule name, and reports that honour `Metadata` suppressions.
 */
export function createTemplateRule<Options extends object, MessageId extends string>(
  spec: TemplateRuleSpec<Options, MessageId>,
): TemplateRule {
  return {
    meta: {
      type: spec.type,
      docs: {
        description: spec.description,
        recommended: spec.recommended,
        severity: spec.severity,
        url: ruleDocsUrl(spec.name),
        sources: spec.sources,
      },
      messages: spec.messages,
      // ESLint 10 refuses to run the rule on files of any other language.
      languages: ["lambda-iam/cloudformation"],
      schema: [spec.optionsSchema],
      defaultOptions: [spec.defaultOptions],
      ...(spec.hasSuggestions ? { hasSuggestions: true } : {}),
    },
    create(context) {
      const options = { ...spec.defaultOptions, ...(context.options[0] as Partial<Options> | undefined) };
      return {
        Document(node) {
          if (node.type !== "Document" || !node.isTemplate) return;
          const analysis = analysisOf(context.sourceCode);
          // One message per fact: branches of one value (Fn::If) can prove the same finding at one place.
          const reported = new Set<string>();
          for (const finding of spec.analyze(analysis, options)) {
            if (analysis.suppressions.isSuppressed(spec.name, finding.at)) continue;
            const key = JSON.stringify([finding.messageId, finding.data, finding.at.range]);
            if (reported.has(key)) continue;
            reported.add(key);
            const suggest = finding.suggestions?.map((suggestion) => ({
              messageId: suggestion.messageId,
              data: suggestion.data,
              fix: (fixer: { replaceTextRange(range: [number, number], text: string): unknown }) =>
                suggestion.edits.map((edit) => fixer.replaceTextRange(edit.range, edit.text)),
            }));
            context.report({
              loc: finding.at.loc,
              messageId: finding.messageId,
              data: finding.data,
              ...(suggest && suggest.length > 0 ? { suggest } : {}),
            } as never);
          }
        },
      };
    },
  };
}

/** One analysis per parsed file, shared by every rule that runs on it (dropped with the file's tree). */
const analyses = new WeakMap<DocumentNode, Analysis>();

/** The analysis of a template file: computed by the first rule that asks, then shared. */
export function analysisOf(sourceCode: { ast: DocumentNode; text: string }): Analysis {
  let analysis = analyses.get(sourceCode.ast);
  if (!analysis) {
    analysis = new Analysis(sourceCode.ast, sourceCode.text);
    analyses.set(sourceCode.ast, analysis);
  }
  return analysis;
}
