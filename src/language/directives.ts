import { ConfigCommentParser, Directive } from "@eslint/plugin-kit";
import type { DirectiveType, FileProblem, RulesConfig, SourceLocation } from "@eslint/core";

const commentParser = new ConfigCommentParser();
const INLINE_CONFIG = /^\s*eslint(?:-enable|-disable(?:(?:-next)?-line)?)?(?:\s|$)/u;

/** A `#` comment as the languages of this plugin give it to ESLint: its text after the `#`, and where it is. */
export interface DirectiveComment {
  value: string;
  loc: SourceLocation;
}

/** The comments that are ESLint directives (`# eslint-disable-line rule`, `# eslint rule: off`). */
export function inlineConfigComments<Comment extends DirectiveComment>(comments: Comment[]): Comment[] {
  return comments.filter((comment) => INLINE_CONFIG.test(comment.value));
}

/** ESLint's disable and enable directives of those comments. */
export function disableDirectives(comments: DirectiveComment[]): { problems: FileProblem[]; directives: Directive[] } {
  const directives: Directive[] = [];
  for (const comment of comments) {
    const directive = commentParser.parseDirective(comment.value);
    if (!directive) continue;
    const { label, value, justification } = directive;
    if (
      label === "eslint-disable" ||
      label === "eslint-enable" ||
      label === "eslint-disable-next-line" ||
      label === "eslint-disable-line"
    ) {
      directives.push(new Directive({ type: label.slice("eslint-".length) as DirectiveType, node: comment, value, justification }));
    }
  }
  return { problems: [], directives };
}

/** The rule settings of `# eslint rule: severity` comments. */
export function inlineConfigs(comments: DirectiveComment[]): {
  problems: FileProblem[];
  configs: Array<{ config: { rules: RulesConfig }; loc: SourceLocation }>;
} {
  const problems: FileProblem[] = [];
  const configs: Array<{ config: { rules: RulesConfig }; loc: SourceLocation }> = [];
  for (const comment of comments) {
    const directive = commentParser.parseDirective(comment.value);
    if (directive?.label !== "eslint") continue;
    const parsed = commentParser.parseJSONLikeConfig(directive.value);
    if (parsed.ok) configs.push({ config: { rules: parsed.config }, loc: comment.loc });
    else problems.push({ ruleId: null, message: parsed.error.message, loc: comment.loc });
  }
  return { problems, configs };
}
