/**
 * Where a piece of code nests deepest: the offset of the opening bracket (`(`, `[` or `{`) that first
 * reaches the greatest depth, with that depth. Strings and comments are skipped; a regular expression
 * literal is not told from a division, so the place is where the nesting is, not a proof of it. For
 * locating a parse that ran out of stack, which says nowhere itself.
 */
export function deepestNesting(code: string): { offset: number; depth: number } {
  let depth = 0;
  let deepest = { offset: 0, depth: 0 };
  for (let index = 0; index < code.length; index++) {
    const char = code[index]!;
    if (char === "/" && code[index + 1] === "/") {
      index = lineEnd(code, index);
    } else if (char === "/" && code[index + 1] === "*") {
      const end = code.indexOf("*/", index + 2);
      index = end === -1 ? code.length : end + 1;
    } else if (char === '"' || char === "'" || char === "`") {
      index = stringEnd(code, index, char);
    } else if (char === "(" || char === "[" || char === "{") {
      depth++;
      if (depth > deepest.depth) deepest = { offset: index, depth };
    } else if (char === ")" || char === "]" || char === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

function lineEnd(code: string, from: number): number {
  const end = code.indexOf("\n", from);
  return end === -1 ? code.length : end;
}

/** The index of a string's closing quote (a template literal's `${...}` is read as part of it). */
function stringEnd(code: string, from: number, quote: string): number {
  for (let index = from + 1; index < code.length; index++) {
    if (code[index] === "\\") index++;
    else if (code[index] === quote) return index;
    else if (quote !== "`" && code[index] === "\n") return index;
  }
  return code.length;
}
