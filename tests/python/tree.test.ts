import { describe, expect, it } from "vitest";
import { parsePython } from "../../src/python/tree.js";

describe("the Python parser (tree-sitter-python)", () => {
  it.each([
    [
      "match statements",
      "match command:\n    case {'a': x}:\n        pass\n    case [1, *rest]:\n        pass\n    case _:\n        pass\n",
    ],
    ["type parameters (3.12)", "def first[T](items: list[T]) -> T:\n    return items[0]\n"],
    ["type aliases (3.12)", "type Point = tuple[float, float]\n"],
    ["except* (3.11)", "try:\n    pass\nexcept* ValueError as error:\n    pass\n"],
    ["nested quotes in f-strings (3.12)", 'x = f"{"nested"}"\ny = f"{a["k"]}"\n'],
    ["a bare yield before a dedent", "def generate():\n    while True:\n        yield\n"],
    ["async with and await", "async def handler():\n    async with lock as held:\n        await held\n"],
  ])("reads %s", (_, text) => {
    expect(parsePython(text).ok).toBe(true);
  });

  it("gives nodes their ranges in the text's UTF-16 code units, comments included", () => {
    const text = 'name = "é😀"  # eslint-disable-line\nboto3.client("s3")\n';
    const parsed = parsePython(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const call = parsed.root.children.filter((child) => child.type === "expression_statement")[1]!.children[0]!;
    expect([call.type, text.slice(...call.range)]).toEqual(["call", 'boto3.client("s3")']);
    expect(parsed.comments.map((comment) => comment.text)).toEqual(["# eslint-disable-line"]);
    expect(call.fields.function?.fields.attribute?.text).toBe("client");
  });

  it.each([
    ["an unclosed parameter list", "def handler(event:\n    pass\n", 17, 'Python syntax error: unexpected ":"'],
    ["a statement cut short", "x = \n", 3, "Python syntax error: unexpected end of input"],
    ["a stray token mid-file", 'import boto3\n\nclient = boto3.client("s3") )\n', 42, 'Python syntax error: unexpected ")"'],
  ])("locates the first syntax error of %s", (_, text, offset, message) => {
    expect(parsePython(text)).toEqual({ ok: false, offset, message });
  });

  it("reads deeply nested data without exhausting the stack", () => {
    const depth = 5000;
    const parsed = parsePython(`x = ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
    expect(parsed.ok).toBe(true);
  });
});
