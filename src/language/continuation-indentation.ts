/**
 * YAML 1.2 wants the lines of a flow collection (`[...]`, `{...}`) and of a multi-line quoted scalar
 * indented deeper than the block that holds them. PyYAML (which cfn-lint uses) accepts them less
 * indented, and real templates rely on that:
 *
 *     Resource: [
 *     !Sub "arn:...",
 *     ]
 *     Description: "a long text
 *     that goes on"
 *
 * When a template fails to parse for that reason only, this module indents such continuation lines just
 * enough (a quoted scalar folds a line's leading spaces away, so its value is unchanged), and maps
 * offsets in the indented text back to the original.
 */

export interface Reindented {
  text: string;
  toOriginal(offset: number): number;
}

interface Insertion {
  /** Offset in the original text (a line start). */
  at: number;
  count: number;
}

/** Block scalar header at the end of a line: `key: |`, `- >-`, `key: |2+ # comment`. */
const BLOCK_SCALAR_HEADER = /(?:^|[:\s-])\s*[|>][-+0-9]*\s*(?:#.*)?$/u;

export function indentContinuations(text: string): Reindented | undefined {
  const insertions: Insertion[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let depth = 0;
  let quote: string | undefined;
  /** Column of the first key or item on the line where the outermost flow collection opened. */
  let ownerColumn = 0;
  /** While reading a block scalar: lines indented deeper than this belong to it. */
  let blockScalarIndent: number | undefined;

  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === "" || line.trimStart().startsWith("#");
    if (blockScalarIndent !== undefined) {
      if (blank || indent > blockScalarIndent) {
        offset += line.length + 1;
        continue;
      }
      blockScalarIndent = undefined;
    }
    const continues = quote !== undefined ? line.trim() !== "" : depth > 0 && !blank;
    if (continues && indent <= ownerColumn) {
      insertions.push({ at: offset, count: ownerColumn + 1 - indent });
    }
    if (depth === 0 && quote === undefined) ownerColumn = contentColumn(line);

    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      if (quote !== undefined) {
        if (quote === '"' && char === "\\") i++;
        else if (char === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else quote = undefined;
        }
        continue;
      }
      if (char === "#" && (i === 0 || /\s/u.test(line[i - 1]!))) break;
      const startsToken = depth > 0 ? /[\s[{,:]/u.test(line[i - 1] ?? " ") : opensValue(line, i);
      if ((char === '"' || char === "'") && startsToken) quote = char;
      else if ((char === "[" || char === "{") && startsToken) depth++;
      else if ((char === "]" || char === "}") && depth > 0) depth--;
    }
    if (depth === 0 && quote === undefined && BLOCK_SCALAR_HEADER.test(line)) blockScalarIndent = indent;
    offset += line.length + 1;
  }

  if (insertions.length === 0) return undefined;
  let indented = "";
  let last = 0;
  for (const { at, count } of insertions) {
    indented += text.slice(last, at) + " ".repeat(count);
    last = at;
  }
  indented += text.slice(last);
  return { text: indented, toOriginal: (position) => toOriginal(insertions, position) };
}

/** Where keys or items start on a line: after its indentation and any `- ` sequence markers. */
function contentColumn(line: string): number {
  return /^[\s-]*/u.exec(line)![0].replace(/-\s*$/u, (marker) => " ".repeat(marker.length)).length;
}

/**
 * Whether a character in block context starts a value (so a `[`, `{` or quote there opens a flow
 * collection or a quoted scalar rather than sitting inside a plain scalar): at the start of the line
 * or after `: `, `- `, `? `, a tag or an anchor.
 */
function opensValue(line: string, index: number): boolean {
  const before = line.slice(0, index).trimEnd();
  if (before === "" || /(?:^|\s)-$/u.test(before) || /(?:^|\s)\?$/u.test(before)) return true;
  if (before.endsWith(":") && index > before.length) return true;
  return /(?:^|\s)[!&][^\s]*$/u.test(before) && index > before.length;
}

function toOriginal(insertions: Insertion[], position: number): number {
  let shift = 0;
  for (const { at, count } of insertions) {
    const insertedAt = at + shift;
    if (position < insertedAt) break;
    if (position < insertedAt + count) return at;
    shift += count;
  }
  return position - shift;
}
