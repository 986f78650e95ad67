/**
 * Every `--format` by name, with what `--help` says of it: `--format` is checked against these names and
 * `--help` lists them from here, without loading what writes them (ESLint, the plugin), so that `--help`
 * starts fast. formats.ts writes each (its table must have exactly these names).
 */
export const FORMAT_SUMMARIES = {
  stylish: "ESLint's text, one line per finding (default)",
  json: "ESLint's JSON results",
  sarif: "SARIF 2.1.0, for GitHub code scanning",
  mermaid: "a Mermaid flowchart of each template's wiring (red: missing, dashed: unknown)",
  "wiring-json": "that graph as JSON",
  html: "one page with the graphs and the findings beside them",
  grants: "per execution role: what its functions need and why, what it grants, what is unused, the minimal policy",
} as const;

export type FormatName = keyof typeof FORMAT_SUMMARIES;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMAT_SUMMARIES, name);
}

/** The `--format` lines of `--help`. */
export function formatsHelp(indent: string): string {
  return Object.entries(FORMAT_SUMMARIES)
    .map(([name, summary]) => `${indent}${name.padEnd(12)} ${summary}`)
    .join("\n");
}
