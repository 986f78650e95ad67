import path from "node:path";
import type { WiringPicture } from "../analyzers/picture/wiring-picture.js";
import { wiringPicture } from "../analyzers/picture/wiring-picture.js";
import { visibleText } from "../language/visible-text.js";
import type { LintedTexts } from "./linted-template.js";
import { readLintedTemplate } from "./linted-template.js";
import type { TemplateGrants } from "./grants-format.js";

/** Edges beyond this many are left out of a Mermaid chart (and the chart says so): GitHub renders it readably up to about there. */
const MAX_EDGES = 150;
/** Labels are cut to this many characters, so that a chart of many arrows stays readable. */
const MAX_LABEL = 60;

/**
 * The wiring picture of each template, for `--format mermaid`, `wiring-json` and `html`; with
 * `enabledRules` (by template), only the rules the configuration runs on it decide a missing edge.
 */
export function templatePictures(
  templates: string[],
  cwd: string,
  enabledRules?: Map<string, Set<string>>,
  linted?: LintedTexts,
): Array<{ file: string; picture: WiringPicture } | { file: string; error: string }> {
  return templates.map((template) => {
    const file = path.relative(cwd, template) || template;
    const analysed = readLintedTemplate(cwd, template, linted);
    if ("error" in analysed) return { file, error: analysed.error };
    const enabled = enabledRules?.get(template);
    return { file, picture: wiringPicture(analysed.analysis, enabled && ((rule) => enabled.has(rule))) };
  });
}

/** The most characters GitHub takes in a pull request comment. */
export const COMMENT_LIMIT = 65_536;

/** Characters of a comment left for what a workflow puts above the charts (the GitHub Action's counts line). */
export const WORKFLOW_ROOM = 512;

/**
 * Markdown with one Mermaid flowchart per template, paste-ready for a pull request comment: solid arrows
 * are proven, red ones missing (with the rule that reports them), dashed ones unknown (with the reason).
 * When it would not fit in a comment (COMMENT_LIMIT, less WORKFLOW_ROOM), the templates with missing arrows come first, each
 * with its missing arrows listed, and charts are left out from the end until it fits, the last line
 * saying how many and where the whole picture is.
 */
export function formatMermaid(pictures: ReturnType<typeof templatePictures>): string {
  const sections = pictures.map((entry) => {
    if ("error" in entry)
      return { missing: 0, summary: "", chart: `### ${markdownText(entry.file)}\n\nNot drawn: ${markdownText(entry.error)}\n` };
    const heading = `### ${markdownText(entry.file)}\n\n`;
    const missing = entry.picture.edges.filter((edge) => edge.status === "missing");
    const labels = new Map(entry.picture.nodes.map((node) => [node.id, node.label]));
    const list = missing
      .map((edge) => `- ${markdownText(`${labels.get(edge.from)} → ${labels.get(edge.to)}: ${edge.needs}`)} (✗ ${edge.rule})`)
      .join("\n");
    return {
      missing: missing.length,
      summary: missing.length > 0 ? `${heading}${list}\n` : "",
      chart: `${heading}\`\`\`mermaid\n${mermaidChart(entry.picture)}\n\`\`\`\n`,
    };
  });
  const whole = sections.map((section) => section.chart).join("\n");
  if (whole.length <= COMMENT_LIMIT - WORKFLOW_ROOM) return whole;
  // Too large for a comment: what is missing first, then as many charts as fit.
  const ordered = [...sections].sort((a, b) => b.missing - a.missing);
  const failing = ordered.filter((section) => section.summary).length;
  const parts = [`**${failing} of ${sections.length} templates have missing arrows.**\n`];
  const note = (charts: number, lists: number) =>
    `\n_${charts} of ${sections.length} charts${lists > 0 ? ` and ${lists} lists of missing arrows` : ""} left out: a comment holds at most ${COMMENT_LIMIT.toLocaleString("en-US")} characters. --format html or wiring-json has them all._\n`;
  const room = COMMENT_LIMIT - WORKFLOW_ROOM - note(sections.length, sections.length).length;
  let length = parts[0]!.length;
  const add = (text: string) => {
    if (length + text.length + 1 > room) return false;
    parts.push(text);
    length += text.length + 1;
    return true;
  };
  const listed = ordered.filter((section) => section.summary && add(section.summary)).length;
  const shown = ordered.filter((section) => add(section.chart)).length;
  return parts.join("\n") + note(sections.length - shown, failing - listed);
}

/**
 * `--format wiring-json`: the graph itself, with each node's position in its template, and with
 * `grants` given, each template's execution roles as `--format grants` reads them (needs, grants,
 * what is unused, the minimal policy).
 */
export function formatWiringJson(pictures: ReturnType<typeof templatePictures>, grants?: Map<string, TemplateGrants>): string {
  return JSON.stringify(
    pictures.map((entry) => {
      const read = grants?.get(entry.file);
      return read && "roles" in read ? { ...entry, roles: read.roles, otherFunctions: read.otherFunctions } : entry;
    }),
    null,
    2,
  );
}

const SHAPES: Record<string, [string, string]> = {
  function: ["[", "]"],
  role: ["([", "])"],
  source: ["[(", ")]"],
  invoker: ["{{", "}}"],
  destination: ["[/", "/]"],
};

export function mermaidChart(picture: WiringPicture): string {
  const ids = new Map(picture.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = ["flowchart LR"];
  for (const node of picture.nodes) {
    const [open, close] = SHAPES[node.kind]!;
    lines.push(`  ${ids.get(node.id)}${open}"${label(node.label)}"${close}`);
  }
  lines.push(...functionGroups(picture, ids));
  const shown = picture.edges.slice(0, MAX_EDGES);
  const red: number[] = [];
  shown.forEach((edge, index) => {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to) return;
    if (edge.status === "missing") red.push(index);
    const second = edge.status === "missing" ? [`✗ ${edge.rule}`] : edge.status === "unknown" ? [`? ${edge.reason}`] : [];
    lines.push(`  ${from} ${edge.status === "unknown" ? "-.->" : "-->"}|"${[edge.needs, ...second].map(label).join("<br>")}"| ${to}`);
  });
  if (red.length > 0) lines.push(`  linkStyle ${red.join(",")} stroke:#d1242f,color:#d1242f,stroke-width:2px`);
  if (picture.edges.length > shown.length) lines.push(`  %% ${picture.edges.length - shown.length} more edges left out`);
  return lines.join("\n");
}

/**
 * With several functions, each function and what only it is wired to are grouped in a subgraph, so that
 * a large template reads function by function; what several share (a shared role) stays outside.
 */
function functionGroups(picture: WiringPicture, ids: Map<string, string>): string[] {
  const functions = picture.nodes.filter((node) => node.kind === "function");
  if (functions.length < 2) return [];
  const owners = new Map<string, Set<string>>(picture.nodes.map((node) => [node.id, new Set(node.kind === "function" ? [node.id] : [])]));
  for (const edge of picture.edges) {
    if (edge.from.startsWith("function:")) owners.get(edge.to)?.add(edge.from);
    if (edge.to.startsWith("function:")) owners.get(edge.from)?.add(edge.to);
  }
  return functions.flatMap((fn, index) => {
    const members = picture.nodes
      .filter((node) => owners.get(node.id)?.size === 1 && owners.get(node.id)!.has(fn.id))
      .map((node) => ids.get(node.id)!);
    return [`  subgraph g${index} ["${label(fn.label)}"]`, ...members.map((member) => `    ${member}`), "  end"];
  });
}

/**
 * A label as Mermaid reads it inside quotes, cut to MAX_LABEL characters: line breaks and other controls
 * as visible escapes (a line break would end the chart's statement, and let a template add its own), and
 * every character Mermaid or Markdown gives a meaning there (`"`, `#`, `<`, `>`, backtick) as its entity.
 */
function label(text: string): string {
  const visible = visibleText(text);
  const cut = visible.length > MAX_LABEL ? `${visible.slice(0, MAX_LABEL - 1)}…` : visible;
  return cut.replace(/["#<>`]/gu, (char) => `#${char.charCodeAt(0)};`);
}

/**
 * Text from a linted file (a path, a parse error) as plain text in a Markdown line: controls made
 * visible, and each character that starts inline Markdown there (emphasis, code, links and autolinks,
 * HTML, entities, strikethrough, tables, a heading's closing `#`) escaped with a backslash, which
 * CommonMark allows before any ASCII punctuation; so are the `:` of `://`, the `.` of `www.` and `@`,
 * from which GitHub would make links of their own.
 */
export function markdownText(text: string): string {
  return visibleText(text)
    .replace(/[\\`*_[\]<>&~|!#@]|:(?=\/\/)/gu, "\\$&")
    .replace(/www\./giu, (found) => `${found.slice(0, 3)}\\.`);
}
