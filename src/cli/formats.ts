import type { ESLint } from "eslint";
import plugin from "../index.js";
import { REPOSITORY_URL } from "../package-facts.js";
import type { FormatName } from "./format-names.js";
import { jsonWithVisibleText, visibleText } from "../language/visible-text.js";
import path from "node:path";
import type { ReportedByFile } from "../analyzers/reported.js";
import { positionKey } from "../analyzers/reported.js";
import type { CodeGap } from "../analyzers/picture/wiring-picture.js";
import { withCodeGaps } from "../analyzers/picture/wiring-picture.js";
import { constructsOf, relatedLocations, reportedConstructs, reportedRelated } from "./related.js";
import { formatSarif } from "./sarif.js";
import { formatMermaid, formatWiringJson, templatePictures } from "./wiring-formats.js";
import { formatWiringHtml } from "./wiring-html.js";
import type { TemplateGrants } from "./grants-format.js";
import { formatGrants, templateGrants } from "./grants-format.js";
import type { LintedTexts } from "./linted-template.js";

/** What a format renders: the lint's results, the ESLint that made them (its configuration), the root paths are shown from. */
export interface ReportContext {
  eslint: ESLint;
  results: ESLint.LintResult[];
  cwd: string;
  /** `--color` / `--no-color`, for stylish. */
  color: boolean | undefined;
  /** What the rules recorded as they reported, by file (none when they ran in worker threads). */
  reported?: ReportedByFile;
  /** Texts linted in place of their file (standard input): the formats that read templates read these. */
  linted?: LintedTexts;
}

/** How each `--format` (format-names.ts names them, with what `--help` says) is written. */
const FORMATS: Record<FormatName, (context: ReportContext) => Promise<string>> = {
  stylish: eslintFormatter("stylish"),
  json: eslintFormatter("json"),
  sarif: async (context) => sarif(context),
  mermaid: async (context) => formatMermaid(await pictures(context)),
  "wiring-json": async (context) => jsonWithVisibleText(formatWiringJson(await pictures(context), grantsByFile(context))),
  html: async (context) => formatWiringHtml(await pictures(context), context.results, context.cwd),
  grants: async ({ results, cwd, linted }) => formatGrants(templateGrants(templateFiles(results), cwd, linted)),
};

export function renderReport(name: FormatName, context: ReportContext): Promise<string> {
  return FORMATS[name](context);
}

/** ESLint's own formatter of that name, over results whose paths and messages are safe to print. */
function eslintFormatter(name: "stylish" | "json"): (context: ReportContext) => Promise<string> {
  return async ({ eslint, results, color }) => {
    const formatter = await eslint.loadFormatter(name);
    if (name === "json") return jsonWithVisibleText(await formatter.format(results));
    // Stylish prints paths and messages as they are: a file's name or ESLint's own message may hold controls.
    return formatter.format(visibleResults(results), color === undefined ? undefined : ({ color } as never));
  };
}

/** Results with their paths and messages made safe to print on a terminal. */
function visibleResults(results: ESLint.LintResult[]): ESLint.LintResult[] {
  return results.map((result) => ({
    ...result,
    filePath: visibleText(result.filePath),
    messages: result.messages.map((message) => ({ ...message, message: visibleText(message.message) })),
  }));
}

function sarif({ results, cwd, reported }: ReportContext): string {
  const rulesMeta = Object.fromEntries(Object.entries(plugin.rules).map(([name, rule]) => [`lambda-iam/${name}`, rule.meta ?? {}]));
  return jsonWithVisibleText(
    formatSarif(results, {
      cwd,
      toolName: "lambda-iam-lint",
      version: plugin.meta.version,
      informationUri: REPOSITORY_URL,
      rulesMeta,
      related: (result, root) => {
        const extras = reported?.get(result.filePath);
        return extras ? reportedRelated(result, root, extras) : relatedLocations(result, root);
      },
      constructs: (result) => {
        const extras = reported?.get(result.filePath);
        return extras ? reportedConstructs(extras) : constructsOf(result);
      },
    }),
  );
}

const HANDLER_EXTENSIONS = /\.(?:[mc]?[jt]s|py)$/u;

/**
 * The wiring pictures of the linted templates, red where a rule the configuration (or --rule) runs on it
 * reports, with what the linted handler code needs of the roles (as its rules recorded it).
 */
async function pictures({ eslint, results, cwd, reported, linted }: ReportContext): Promise<ReturnType<typeof templatePictures>> {
  const templates = templateFiles(results);
  const enabled = new Map<string, Set<string>>();
  for (const template of templates) enabled.set(template, await enabledRules(eslint, template));
  const gaps = codeGaps(results, cwd, reported);
  return templatePictures(templates, cwd, enabled, linted).map((entry) => {
    const inTemplate = gaps.get(path.resolve(cwd, entry.file));
    return "picture" in entry && inTemplate ? { ...entry, picture: withCodeGaps(entry.picture, inTemplate) } : entry;
  });
}

/** `--format grants` of each template, by its path as the pictures name it: wiring-json carries it as data. */
function grantsByFile({ results, cwd, linted }: ReportContext): Map<string, TemplateGrants> {
  return new Map(templateGrants(templateFiles(results), cwd, linted).map((entry) => [entry.file, entry]));
}

/** The linted files that are templates (not handler code). */
function templateFiles(results: ESLint.LintResult[]): string[] {
  return results.map((result) => result.filePath).filter((file) => !HANDLER_EXTENSIONS.test(file));
}

/** The findings of handler code about a function's role, by the template of the function (absolute path). */
function codeGaps(results: ESLint.LintResult[], cwd: string, reported: ReportedByFile | undefined): Map<string, CodeGap[]> {
  const gaps = new Map<string, CodeGap[]>();
  for (const result of results) {
    const extras = reported?.get(result.filePath);
    if (!extras) continue;
    const file = path.relative(cwd, result.filePath) || result.filePath;
    for (const { ruleId, line, column } of result.messages) {
      if (!ruleId) continue;
      for (const subject of extras.get(positionKey(ruleId, line, column))?.subjects ?? []) {
        if (subject.kind !== "call") continue;
        const template = path.resolve(cwd, subject.template);
        gaps.set(template, [...(gaps.get(template) ?? []), { subject, rule: ruleId.replace(/^lambda-iam\//u, ""), file, line, column }]);
      }
    }
  }
  return gaps;
}

/** The names (without `lambda-iam/`) of this plugin's rules that the configuration turns on for a file. */
async function enabledRules(eslint: ESLint, file: string): Promise<Set<string>> {
  const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown> } | undefined;
  const on = Object.entries(config?.rules ?? {}).filter(([name, entry]) => {
    const severity = Array.isArray(entry) ? entry[0] : entry;
    return name.startsWith("lambda-iam/") && severity !== "off" && severity !== 0;
  });
  return new Set(on.map(([name]) => name.slice("lambda-iam/".length)));
}
