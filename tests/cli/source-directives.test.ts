import type { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { applySourceDirectives } from "../../src/cli/source-directives.js";

const TEMPLATE_START = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';

/** A rule's message placed at a line, column 3 (a resource's name). */
const at = (line: number, ruleId: string | null = "lambda-iam/a"): Linter.LintMessage => ({
  ruleId,
  severity: 2,
  message: "m",
  line,
  column: 3,
});

/** Which of those messages stay, as `line rule`. */
function kept(comments: string, messages: Linter.LintMessage[]): string[] {
  return applySourceDirectives(TEMPLATE_START + comments, messages).messages.map((message) => `${message.line} ${message.ruleId}`);
}

describe("a template's eslint-disable comments, applied to messages ESLint placed there from elsewhere", () => {
  it("disable every rule from a block comment on; an enable naming one rule turns that one back on", () => {
    const comments = "  # eslint-disable\n  A: {}\n  # eslint-enable lambda-iam/b\n  B: {}\n";
    expect(kept(comments, [at(2), at(4), at(4, "lambda-iam/b"), at(6), at(6, "lambda-iam/b")])).toEqual([
      "2 lambda-iam/a",
      "6 lambda-iam/b",
    ]);
  });

  it("disable the next line or the comment's own line only, for the rules they name", () => {
    const comments = "  # eslint-disable-next-line lambda-iam/a\n  A: {}\n  B: {} # eslint-disable-line\n  C: {}\n";
    expect(kept(comments, [at(4), at(4, "lambda-iam/b"), at(5), at(5, "lambda-iam/b"), at(6)])).toEqual([
      "4 lambda-iam/b",
      "6 lambda-iam/a",
    ]);
  });

  it("never suppress a message without a rule (a file that could not be expanded)", () => {
    expect(kept("  # eslint-disable\n  A: {}\n", [at(4, null)])).toEqual(["4 null"]);
  });

  it("keep the justification after `--` with each suppressed message", () => {
    const { suppressed } = applySourceDirectives(`${TEMPLATE_START}  # eslint-disable-next-line -- a test stack\n  A: {}\n`, [at(4)]);
    expect(suppressed).toEqual([{ ...at(4), suppressions: [{ kind: "directive", justification: "a test stack" }] }]);
  });
});
