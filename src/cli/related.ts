import { readFileSync } from "node:fs";
import type { ESLint } from "eslint";
import { Analysis } from "../analyzers/analysis.js";
import { allFindings } from "../analyzers/all-findings.js";
import { parseTemplate } from "../language/parse.js";

export interface RelatedLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** The key a finding and the ESLint message it became share: its rule and where it starts. */
export function positionKey(ruleId: string, line: number, column: number): string {
  return `${ruleId}:${line}:${column}`;
}

/**
 * The related locations of a linted template's findings (the role, the source, the permission a finding
 * is about), by position key. ESLint's messages cannot carry them, so they are taken from the analysis
 * of the file again; a file that is not a template, or that cannot be read, has none.
 */
export function relatedLocations(result: ESLint.LintResult): Map<string, RelatedLocation[]> {
  const related = new Map<string, RelatedLocation[]>();
  if (!result.messages.some((message) => message.ruleId?.startsWith("lambda-iam/"))) return related;
  let text: string;
  try {
    text = result.source ?? readFileSync(result.filePath, "utf8");
  } catch {
    return related;
  }
  const parsed = parseTemplate(text);
  if (!parsed.ok || !parsed.ast.isTemplate) return related;
  for (const { rule, finding } of allFindings(new Analysis(parsed.ast, text))) {
    if (finding.related.length === 0) continue;
    const key = positionKey(`lambda-iam/${rule}`, finding.at.loc.start.line, finding.at.loc.start.column);
    const locations = finding.related.map(({ at, message }) => ({
      line: at.loc.start.line,
      column: at.loc.start.column,
      endLine: at.loc.end.line,
      endColumn: at.loc.end.column,
      message,
    }));
    related.set(key, [...(related.get(key) ?? []), ...locations]);
  }
  return related;
}
