import { readTemplateText } from "../analyzers/template-text.js";
import type { TemplateRead } from "../analyzers/template-text.js";
import { readInside } from "../files/contained.js";

/**
 * Texts that were linted in place of the file at their path (standard input given `--stdin-filename`):
 * what is reported about that path must be about them, not about whatever the disk holds there.
 */
export type LintedTexts = ReadonlyMap<string, string>;

/** A linted template read as a template, from the text that was linted: the disk's, unless `linted` has it. */
export function readLintedTemplate(cwd: string, template: string, linted?: LintedTexts): TemplateRead | { kind: "error"; error: string } {
  const given = linted?.get(template);
  if (given !== undefined) return readTemplateText(given);
  const read = readInside(cwd, template);
  if (read.kind !== "read")
    return { kind: "error", error: `cannot be read: ${read.kind === "refused" ? read.reason : "it no longer exists"}` };
  return readTemplateText(read.bytes.toString("utf8"));
}
