import { readFileSync } from "node:fs";
import type { ESLint } from "eslint";
import type { Analysis } from "../analyzers/analysis.js";
import { allFindings } from "../analyzers/all-findings.js";
import { offsetAt } from "../language/locations.js";
import { readTemplateText } from "../analyzers/template-text.js";
import { constructPath, resourceAt } from "../template/cdk.js";
import { entryOf, literalText } from "../template/expr.js";
import { creationSites } from "./construct-traces.js";
import type { ReportedExtras } from "../analyzers/reported.js";
import { positionKey } from "../analyzers/reported.js";

export interface RelatedLocation {
  /** Another file than the finding's (the CDK app's source); undefined for the template itself. */
  file?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export { positionKey };

/**
 * The related locations of a linted template's findings (the role, the source, the permission), by
 * position key, as the rules recorded them when they reported (with the user's options and accounts),
 * and on a synthesized template the line of the CDK app that created the construct (`cdk synth --debug`).
 */
export function reportedRelated(
  result: ESLint.LintResult,
  root: string,
  reported: Map<string, ReportedExtras>,
): Map<string, RelatedLocation[]> {
  const related = new Map<string, RelatedLocation[]>();
  const sites = creationSites(result.filePath, root);
  for (const [key, extras] of reported) {
    const site = extras.cdkPath === undefined ? undefined : sites.get(extras.cdkPath);
    const created = site
      ? [
          {
            file: site.file,
            line: site.line,
            column: site.column,
            endLine: site.line,
            endColumn: site.column,
            message: `construct ${extras.construct} is created here`,
          },
        ]
      : [];
    if (extras.related.length + created.length > 0) related.set(key, [...extras.related, ...created]);
  }
  return related;
}

/** The constructs of a synthesized template's findings, by position key, as the rules recorded them. */
export function reportedConstructs(reported: Map<string, ReportedExtras>): Map<string, string> {
  return new Map([...reported].flatMap(([key, extras]) => (extras.construct ? [[key, extras.construct] as const] : [])));
}

/**
 * The same, for a lint whose rules ran in worker threads (`--concurrency`), where what they recorded
 * stays: taken from the analysis of the file again, with default options and no other account.
 */
export function relatedLocations(result: ESLint.LintResult, root: string): Map<string, RelatedLocation[]> {
  const related = new Map<string, RelatedLocation[]>();
  const read = analysedTemplate(result);
  if (!read) return related;
  const { text, analysis } = read;
  for (const { rule, finding } of allFindings(analysis)) {
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
  // On a synthesized template, the line of the CDK app that created the construct (with CDK_DEBUG).
  const sites = creationSites(result.filePath, root);
  if (sites.size === 0) return related;
  for (const message of result.messages) {
    if (!message.ruleId?.startsWith("lambda-iam/")) continue;
    const resource = resourceAt(analysis.template, offsetAt(text, message));
    const site = resource && sites.get(literalText(entryOf(resource.metadata, "aws:cdk:path")) ?? "");
    if (!site) continue;
    const key = positionKey(message.ruleId, message.line, message.column);
    const created = {
      file: site.file,
      line: site.line,
      column: site.column,
      endLine: site.line,
      endColumn: site.column,
      message: `construct ${constructPath(resource)} is created here`,
    };
    related.set(key, [...(related.get(key) ?? []), created]);
  }
  return related;
}

/**
 * The AWS CDK construct of each finding on a synthesized template (the resource it is on), by
 * position key, for SARIF's logical locations; empty for any other file (as relatedLocations, for a
 * lint in worker threads).
 */
export function constructsOf(result: ESLint.LintResult): Map<string, string> {
  const constructs = new Map<string, string>();
  const read = analysedTemplate(result);
  if (!read) return constructs;
  const { text } = read;
  const { template } = read.analysis;
  for (const message of result.messages) {
    if (!message.ruleId?.startsWith("lambda-iam/")) continue;
    const resource = resourceAt(template, offsetAt(text, message));
    const construct = resource && constructPath(resource);
    if (construct) constructs.set(positionKey(message.ruleId, message.line, message.column), construct);
  }
  return constructs;
}

/** The template a result with findings is about, read and analysed again; undefined for any other file. */
function analysedTemplate(result: ESLint.LintResult): { text: string; analysis: Analysis } | undefined {
  if (!result.messages.some((message) => message.ruleId?.startsWith("lambda-iam/"))) return undefined;
  let text: string;
  try {
    text = result.source ?? readFileSync(result.filePath, "utf8");
  } catch {
    return undefined;
  }
  const read = readTemplateText(text);
  return read.kind === "template" ? { text, analysis: read.analysis } : undefined;
}
