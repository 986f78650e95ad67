import type { Analysis } from "../analyzers/analysis.js";
import { readTemplateText } from "../analyzers/template-text.js";
import { readInside } from "../files/contained.js";
import type { ParseProblem } from "../language/parse.js";
import { VANISHED } from "./discover.js";

/**
 * Texts that were linted in place of the file at their path (standard input given `--stdin-filename`):
 * what is reported about that path must be about them, not about whatever the disk holds there.
 */
export type LintedTexts = ReadonlyMap<string, string>;

/** A linted file's text: the disk's (inside the linted root only), unless `linted` has it. */
export function readLintedText(cwd: string, file: string, linted?: LintedTexts): { text: string } | { error: string } {
  const given = linted?.get(file);
  if (given !== undefined) return { text: given };
  const read = readInside(cwd, file);
  if (read.kind !== "read") return { error: `cannot be read: ${read.kind === "refused" ? read.reason : VANISHED}` };
  return { text: read.bytes.toString("utf8") };
}

/** A linted template's analysis, or why there is none (it cannot be read or parsed, or is no template). */
export function readLintedTemplate(cwd: string, template: string, linted?: LintedTexts): { analysis: Analysis } | { error: string } {
  const read = readLintedText(cwd, template, linted);
  if ("error" in read) return read;
  const analysed = readTemplateText(read.text);
  if (analysed.kind === "unreadable") return { error: problemText(analysed.problem) };
  if (analysed.kind === "not-template") return { error: "it is no CloudFormation or SAM template" };
  return { analysis: analysed.analysis };
}

/** Where and why a text cannot be parsed, as the formats say it: `3:7 <message>`. */
export function problemText(problem: ParseProblem): string {
  return `${problem.line}:${problem.column} ${problem.message}`;
}
