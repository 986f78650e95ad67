import type { Linter } from "eslint";
import { ConfigCommentParser } from "@eslint/plugin-kit";
import type { DirectiveComment } from "../language/directives.js";
import { disableDirectives, inlineConfigComments } from "../language/directives.js";
import { parseTemplate } from "../language/parse.js";

const commentParser = new ConfigCommentParser();

interface Position {
  line: number;
  column: number;
}

/** One `eslint-disable`/`eslint-enable` comment of a file: where it acts, which rules (none: all), its reason. */
interface SourceDirective {
  kind: "disable" | "enable" | "disable-line" | "disable-next-line";
  at: Position;
  line: number;
  rules: string[];
  justification: string;
}

/**
 * Messages placed in a file that ESLint did not lint itself (a cfn-include template, whose expansion it
 * linted), with that file's `# eslint-disable...` comments applied as ESLint applies them: a block
 * `eslint-disable` from where it is written until an `eslint-enable`, `-line` on its line, `-next-line`
 * on the line after it; without rule names, every rule. Messages without a rule are never suppressed.
 */
export function applySourceDirectives(
  source: string,
  messages: Linter.LintMessage[],
): { messages: Linter.LintMessage[]; suppressed: Linter.SuppressedLintMessage[] } {
  const directives = sourceDirectives(source);
  const kept: Linter.LintMessage[] = [];
  const suppressed: Linter.SuppressedLintMessage[] = [];
  for (const message of messages) {
    const by = message.ruleId === null ? undefined : suppressing(directives, message.ruleId, message);
    if (by) suppressed.push({ ...message, suppressions: [{ kind: "directive", justification: by.justification }] });
    else kept.push(message);
  }
  return { messages: kept, suppressed };
}

function sourceDirectives(source: string): SourceDirective[] {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return [];
  return disableDirectives(inlineConfigComments(parsed.comments)).directives.map(({ type, node, value, justification }) => {
    const { start, end } = (node as DirectiveComment).loc;
    return {
      kind: type,
      at: { line: start.line, column: start.column + 1 },
      line: type === "disable-next-line" ? end.line + 1 : start.line,
      rules: Object.keys(commentParser.parseListConfig(value)),
      justification,
    };
  });
}

/** The directive that suppresses a rule's message at a position, if one does. */
function suppressing(directives: SourceDirective[], ruleId: string, at: Position): SourceDirective | undefined {
  const names = (directive: SourceDirective) => directive.rules.length === 0 || directive.rules.includes(ruleId);
  const onLine = directives.find(
    (directive) =>
      (directive.kind === "disable-line" || directive.kind === "disable-next-line") && directive.line === at.line && names(directive),
  );
  if (onLine) return onLine;
  // The block directives written before the message, in order: the last one naming this rule decides.
  let decided: SourceDirective | undefined;
  for (const directive of directives) {
    if (directive.kind !== "disable" && directive.kind !== "enable") continue;
    if (directive.at.line > at.line || (directive.at.line === at.line && directive.at.column > at.column)) continue;
    if (names(directive)) decided = directive.kind === "disable" ? directive : undefined;
  }
  return decided;
}
