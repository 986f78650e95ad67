import { describe, expect, it } from "vitest";
import { lineHashes } from "../../src/cli/line-hash.js";

/** Every line's hash, in line order. */
function hashes(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/u).length;
  const found = lineHashes(text, new Set(Array.from({ length: lines }, (_, i) => i + 1)));
  return [...found].sort(([a], [b]) => a - b).map(([, hash]) => hash);
}

// Expected values: github/codeql-action's own tests of upload-sarif's fingerprints (src/fingerprints.test.ts).
describe("primaryLocationLineHash, as GitHub's upload-sarif computes it", () => {
  it.each([
    ["an empty file", "", ["c129715d7a2bc9a3:1"]],
    [
      "spaces, tabs and line feeds",
      " a\nb\n  \t\tc\n d",
      ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ],
    [
      "empty lines",
      " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
      ["8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1"],
    ],
  ])("%s", (_name, text, expected) => {
    expect(hashes(text)).toEqual(expected);
  });

  it("reads CRLF like LF and skips spaces anywhere on a line", () => {
    expect(hashes(" a l p h a \r\n\tbeta\r\nalpha\r\n")).toEqual(hashes("alpha\nbeta\nalpha\n"));
  });

  it("computes only as far as the lines asked for need, with the same values", () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i % 7}`).join("\n");
    expect(lineHashes(text, new Set([3])).get(3)).toBe(hashes(text)[2]);
  });
});
