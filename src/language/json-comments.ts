/**
 * The offset of the first `//` or `/*` comment in a JSON-shaped text (one that starts with `{`), or -1.
 * JSON has no comments: CloudFormation cannot read such a template, and cfn-lint refuses it (E0000),
 * though a YAML 1.2 reader may take the comment for part of a key. Only a comment where a JSON member
 * could start counts (at the start of a line, or after `{`, `[` or `,`): a YAML flow document may hold
 * `//` in a plain or single-quoted scalar (`https://...`), which is no comment.
 */
export function jsonCommentOffset(text: string): number {
  const start = text.search(/\S/u);
  if (start === -1 || text[start] !== "{") return -1;
  let inString = false;
  let previous = "\n";
  for (let index = start; index < text.length; index++) {
    const char = text[index]!;
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "/" && (text[index + 1] === "/" || text[index + 1] === "*") && "\n{[,".includes(previous)) {
      return index;
    }
    if (char !== " " && char !== "\t" && char !== "\r") previous = char;
  }
  return -1;
}
