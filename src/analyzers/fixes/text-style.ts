/**
 * How a file writes what a fix inserts, read once per file: a fix is built for every finding, and
 * scanning the whole text for each of them is quadratic in a template with many findings.
 */
export interface TextStyle {
  text: string;
  newline: "\r\n" | "\n";
  /** The file starts with `{`: JSON, or YAML written as one flow mapping. */
  startsWithBrace: boolean;
  /** JSON proper: it starts with `{` and no line starts with a YAML comment or tag. */
  json: boolean;
}

export function textStyleOf(text: string): TextStyle {
  const startsWithBrace = /^\s*\{/u.test(text);
  return { text, newline: text.includes("\r\n") ? "\r\n" : "\n", startsWithBrace, json: startsWithBrace && !/^\s*[#!]/mu.test(text) };
}
