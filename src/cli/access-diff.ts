import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { FunctionAccess } from "../analyzers/access-summary.js";
import { accessSummary } from "../analyzers/access-summary.js";
import { readTemplateText } from "../analyzers/template-text.js";
import { textLooksLikeTemplate } from "../language/template-sniff.js";
import { jsonWithVisibleText, visibleText } from "../language/visible-text.js";
import { walkMayFindTemplate } from "./discover.js";
import { problemText, readLintedText } from "./linted-template.js";
import { UsageError } from "./options.js";
import { COMMENT_LIMIT, WORKFLOW_ROOM, markdownText } from "./wiring-formats.js";

/** The most output read from one git command: a template's blob, a tree's listing. */
const GIT_OUTPUT_LIMIT = 64 * 1024 * 1024;

const CATEGORIES = [
  ["grants", "grants"],
  ["invokers", "may be invoked by"],
  ["eventSources", "reads"],
  ["exposure", "public:"],
] as const;

type Category = (typeof CATEGORIES)[number][0];

/** What a change adds to and removes from one function's access. */
interface FunctionChange {
  function: string;
  /** "added" or "removed" when the function itself is new or gone. */
  status: "added" | "removed" | "changed";
  added: Partial<Record<Category, string[]>>;
  removed: Partial<Record<Category, string[]>>;
}

/** One template's changes against the base revision (it may be new, or gone from the working tree), or why it could not be compared. */
type TemplateChange =
  { file: string; base: "present" | "absent"; head: "present" | "absent"; functions: FunctionChange[] } | { file: string; error: string };

/**
 * What each template's change grants: per function, the grants, invokers, event sources and public
 * exposure added or removed between the git revision `base` and the working tree. The base's files are
 * read with `git cat-file` (no filter, no checkout); a template the base does not have is all new, and
 * one the base has in a directory given (`directories`) that the working tree no longer has is all removed.
 */
export function accessDiff(templates: string[], cwd: string, base: string, directories: string[] = []): TemplateChange[] {
  if (base.startsWith("-")) throw new UsageError(`--diff needs a git revision, not "${base}"`);
  const top = git(cwd, ["rev-parse", "--show-toplevel"])?.trim();
  if (!top) throw new UsageError(`--diff: ${cwd} is not in a git repository`);
  if (git(top, ["rev-parse", "--verify", "--quiet", `${base}^{commit}`]) === undefined)
    throw new UsageError(`--diff: "${base}" is no commit of this repository`);
  const changes = templates.map((template): TemplateChange => {
    const file = path.relative(cwd, template) || template;
    const read = readLintedText(cwd, template);
    if ("error" in read) return { file, error: read.error };
    const head = summary(read.text);
    if ("error" in head) return { file, error: head.error };
    const relative = path.relative(top, template).split(path.sep).join("/");
    const blob = baseBlob(top, base, relative);
    if ("error" in blob) return { file, error: `its ${base} revision: ${blob.error}` };
    const before = blob.text === undefined ? { functions: [] } : summary(blob.text);
    if ("error" in before) return { file, error: `its ${base} revision: ${before.error}` };
    return {
      file,
      base: blob.text === undefined ? "absent" : "present",
      head: "present",
      functions: compare(before.functions, head.functions),
    };
  });
  return [...changes, ...removedTemplates(top, cwd, base, directories, new Set(templates))];
}

/** The templates the base has under the directories given that the working tree does not: each function removed. */
function removedTemplates(top: string, cwd: string, base: string, directories: string[], present: Set<string>): TemplateChange[] {
  const removed: TemplateChange[] = [];
  for (const directory of directories) {
    const below = path.relative(top, directory).split(path.sep).join("/") || ".";
    const listed = git(top, ["ls-tree", "-r", "-z", "--name-only", base, "--", below])?.split("\0") ?? [];
    for (const name of listed.filter(Boolean).sort()) {
      const absolute = path.join(top, name);
      if (present.has(absolute) || existsSync(absolute) || !walkMayFindTemplate(path.relative(directory, absolute))) continue;
      const blob = baseBlob(top, base, name);
      const file = path.relative(cwd, absolute);
      if ("error" in blob) {
        removed.push({ file, error: `its ${base} revision: ${blob.error}` });
        continue;
      }
      if (blob.text === undefined || !textLooksLikeTemplate(blob.text)) continue;
      const before = summary(blob.text);
      removed.push(
        "error" in before
          ? { file, error: `its ${base} revision: ${before.error}` }
          : { file, base: "present", head: "absent", functions: compare(before.functions, []) },
      );
      present.add(absolute);
    }
  }
  return removed;
}

/** A file of the base revision: its text, none (`text` undefined) when the revision has no such file, or why it cannot be read. */
function baseBlob(top: string, base: string, name: string): { text: string | undefined } | { error: string } {
  const text = git(top, ["cat-file", "blob", `${base}:${name}`]);
  if (text !== undefined) return { text };
  return git(top, ["cat-file", "-e", `${base}:${name}`]) === undefined
    ? { text: undefined }
    : { error: `git cannot give it (larger than ${GIT_OUTPUT_LIMIT / 1024 / 1024} MB?)` };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: GIT_OUTPUT_LIMIT, stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

function summary(text: string): { functions: FunctionAccess[] } | { error: string } {
  const analysed = readTemplateText(text);
  if (analysed.kind === "unreadable") return { error: problemText(analysed.problem) };
  if (analysed.kind !== "template") return { functions: [] };
  return { functions: accessSummary(analysed.analysis) };
}

function compare(before: FunctionAccess[], after: FunctionAccess[]): FunctionChange[] {
  const names = [...new Set([...before, ...after].map((access) => access.function))].sort();
  const empty: FunctionAccess = { function: "", grants: [], invokers: [], eventSources: [], exposure: [] };
  return names.flatMap((name) => {
    const old = before.find((access) => access.function === name);
    const now = after.find((access) => access.function === name);
    const added: FunctionChange["added"] = {};
    const removed: FunctionChange["removed"] = {};
    for (const [category] of CATEGORIES) {
      const was = new Set((old ?? empty)[category]);
      const is = new Set((now ?? empty)[category]);
      const plus = [...is].filter((line) => !was.has(line));
      const minus = [...was].filter((line) => !is.has(line));
      if (plus.length > 0) added[category] = plus;
      if (minus.length > 0) removed[category] = minus;
    }
    const status = !old ? "added" : !now ? "removed" : "changed";
    return status === "changed" && Object.keys(added).length + Object.keys(removed).length === 0
      ? []
      : [{ function: name, status, added, removed }];
  });
}

/** `--diff` with stylish: plain text, `+` and `-` lines per function. */
export function formatDiffText(changes: TemplateChange[], base: string): string {
  return changes.map((change) => templateLines(change, base, "text").map(visibleText).join("\n")).join("\n\n") + "\n";
}

/** `--diff` with `--format markdown`: a pull request comment, cut to what a comment holds. */
export function formatDiffMarkdown(changes: TemplateChange[], base: string): string {
  // Each line's text is escaped where it is written (markdownText makes controls visible too).
  const sections = changes.map((change) => templateLines(change, base, "markdown").join("\n"));
  const room = COMMENT_LIMIT - WORKFLOW_ROOM - 200;
  let text = `**What this change grants** (against \`${markdownCode(base)}\`)\n`;
  for (const [index, section] of sections.entries()) {
    if (text.length + section.length + 2 > room) {
      return `${text}\n_${sections.length - index} of ${sections.length} templates left out: a comment holds at most ${COMMENT_LIMIT.toLocaleString("en-US")} characters. --diff with --format json has them all._\n`;
    }
    text += `\n${section}\n`;
  }
  return text;
}

/** `--diff` with `--format json`. */
export function formatDiffJson(changes: TemplateChange[], base: string): string {
  return jsonWithVisibleText(JSON.stringify({ base, templates: changes }, null, 2));
}

function templateLines(change: TemplateChange, base: string, style: "text" | "markdown"): string[] {
  const heading = style === "markdown" ? `### ${markdownText(change.file)}` : change.file;
  const note = (text: string) => (style === "markdown" ? markdownText(text) : `  ${text}`);
  if ("error" in change) return [heading, note(`not compared: ${change.error}`)];
  const lines = [heading];
  if (change.base === "absent") lines.push(note(`new since ${base}`));
  if (change.head === "absent") lines.push(note(`removed since ${base}`));
  if (change.functions.length === 0) lines.push(note("no change to what its functions may do or who may invoke them"));
  for (const fn of change.functions) {
    const state = fn.status === "changed" ? "" : ` (${fn.status} since ${base})`;
    lines.push(style === "markdown" ? `- **${markdownText(fn.function)}**${state}` : `  ${fn.function}${state}`);
    for (const [category, verb] of CATEGORIES) {
      for (const line of fn.added[category] ?? []) lines.push(item(style, "+", `${verb} ${line}`));
      for (const line of fn.removed[category] ?? []) lines.push(item(style, "-", `${verb} ${line}`));
    }
  }
  return lines;
}

function item(style: "text" | "markdown", sign: "+" | "-", text: string): string {
  return style === "markdown" ? `  - ${sign === "+" ? "➕" : "➖"} ${markdownText(text)}` : `    ${sign} ${text}`;
}

function markdownCode(text: string): string {
  return text.replace(/`/gu, "'");
}
