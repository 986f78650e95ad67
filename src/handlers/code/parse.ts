import { createRequire } from "node:module";
import path from "node:path";
import type { ScopeManager } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/types";
import { deepestNesting } from "./deepest-nesting.js";

/** A JavaScript or TypeScript file read: its tree (TS-ESTree, with `range` and `loc`), its scopes and comments. */
export interface ParsedCode {
  program: TSESTree.Program;
  scopeManager: ScopeManager;
  visitorKeys: Record<string, readonly string[]>;
}

const load = createRequire(import.meta.url);
let loaded: { oxc: typeof import("oxc-parser"); scopes: typeof import("@typescript-eslint/scope-manager") } | undefined;

/** The parser and the scope manager, loaded at the first parse: a run that lints only templates never loads them (≈100 ms). */
function codeParsers() {
  return (loaded ??= { oxc: load("oxc-parser"), scopes: load("@typescript-eslint/scope-manager") });
}

/** The visitor keys of every node oxc writes (TS-ESTree's, and its own few). */
export function codeVisitorKeys(): Record<string, readonly string[]> {
  return codeParsers().oxc.visitorKeys;
}

/** A file that cannot be parsed, where ESLint reads a parser's failure: `lineNumber` and a 1-based `column`. */
export class CodeParseError extends Error {
  constructor(
    message: string,
    readonly index: number,
    readonly lineNumber: number,
    readonly column: number,
  ) {
    super(message);
  }
}

type SourceType = "module" | "script" | "commonjs";

/** Nesting beyond this is hostile (no handler comes close), and parsing it natively could exhaust the stack. */
const MAX_CODE_NESTING = 1000;

/** How a file's modules work: from ESLint's setting when given, else from its extension (`.cjs` CommonJS, `.mjs`/`.mts` modules). */
function sourceTypeOf(filename: string, given: unknown): SourceType {
  if (given === "module" || given === "script" || given === "commonjs") return given;
  const extension = path.extname(filename);
  if (extension === ".cjs" || extension === ".cts") return "commonjs";
  return "module";
}

/** The language oxc reads a file as: TypeScript for `.ts`, `.mts`, `.cts` (and `.tsx`), JavaScript with JSX otherwise. */
function langOf(filename: string): "ts" | "tsx" | "js" | "jsx" {
  const extension = path.extname(filename);
  if (extension === ".tsx") return "tsx";
  if (extension === ".ts" || extension === ".mts" || extension === ".cts") return "ts";
  return "jsx";
}

/**
 * Parses JavaScript or TypeScript without the `typescript` package (oxc), and analyses its scopes
 * (typescript-eslint's scope manager, which needs no TypeScript either). Throws a located
 * `CodeParseError` for code that does not parse, or nests too deeply to parse.
 */
export function parseCode(text: string, filename: string, sourceType?: unknown): ParsedCode {
  const kind = sourceTypeOf(filename, sourceType);
  // oxc recurses natively: code nested some ten thousand deep crashes the process instead of failing.
  const nesting = deepestNesting(text);
  if (nesting.depth > MAX_CODE_NESTING) {
    throw new CodeParseError(
      `the code nests ${nesting.depth} levels deep here, more than the ${MAX_CODE_NESTING} this linter reads`,
      nesting.offset,
      ...lineAndColumn(text, nesting.offset),
    );
  }
  let result: ReturnType<typeof import("oxc-parser").parseSync>;
  try {
    // `unambiguous` would read an ES module without imports as a script; ESLint's setting (or the extension) decides instead.
    // The TS-ESTree shape (its optional fields present) for JavaScript too, as the scope manager reads it.
    result = codeParsers().oxc.parseSync(filename, text, {
      lang: langOf(filename),
      astType: "ts",
      sourceType: kind === "commonjs" ? "script" : kind,
      range: true,
    });
  } catch (error) {
    throw failureAt(text, error);
  }
  const [first] = result.errors;
  if (first) {
    const at = first.labels[0]?.start ?? 0;
    throw new CodeParseError(first.message, at, ...lineAndColumn(text, at));
  }
  const program = result.program as unknown as TSESTree.Program & { tokens: unknown[]; comments: unknown[] };
  const lines = lineStarts(text);
  try {
    locate(program, lines);
  } catch (error) {
    throw failureAt(text, error);
  }
  program.range = [0, text.length];
  program.loc = { start: { line: 1, column: 0 }, end: position(lines, text.length) };
  // Comments carry ESLint's inline directives; no rule of ours reads tokens.
  program.comments = result.comments.map(
    (comment): TSESTree.Comment =>
      ({
        type: comment.type,
        value: comment.value,
        range: [comment.start, comment.end],
        loc: { start: position(lines, comment.start), end: position(lines, comment.end) },
      }) as TSESTree.Comment,
  );
  program.tokens = [];
  let scopeManager: ScopeManager;
  try {
    scopeManager = codeParsers().scopes.analyze(program, {
      sourceType: kind === "commonjs" ? "script" : kind,
      globalReturn: kind === "commonjs",
      childVisitorKeys: codeVisitorKeys(),
    });
  } catch (error) {
    throw failureAt(text, error);
  }
  return { program, scopeManager, visitorKeys: codeVisitorKeys() };
}

/** A failure with no place of its own (the stack ran out in a deep nesting): placed where the code nests deepest. */
export function failureAt(text: string, error: unknown): CodeParseError {
  if (!(error instanceof RangeError)) return new CodeParseError(String((error as Error)?.message ?? error), 0, 1, 1);
  const { offset, depth } = deepestNesting(text);
  return new CodeParseError(
    `the parser ran out of stack (${error.message}): the code nests ${depth} levels deep here`,
    offset,
    ...lineAndColumn(text, offset),
  );
}

/** Offsets where each line starts (after \n, \r\n, \r, U+2028 and U+2029, as ESLint counts lines). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10 || char === 0x2028 || char === 0x2029 || (char === 13 && text.charCodeAt(index + 1) !== 10)) starts.push(index + 1);
  }
  return starts;
}

/** A 1-based line and 0-based column, as ESTree places nodes. */
function position(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! };
}

function lineAndColumn(text: string, offset: number): [number, number] {
  const { line, column } = position(lineStarts(text), offset);
  return [line, column + 1];
}

/** Gives every node its `loc` from its `range`, iteratively (a deep tree would exhaust the stack by recursion). */
function locate(root: TSESTree.Node, lines: number[]): void {
  const pending: unknown[] = [root];
  const visitorKeys = codeVisitorKeys();
  while (pending.length > 0) {
    const node = pending.pop() as (TSESTree.Node & { start?: number; end?: number }) | null | undefined;
    if (!node || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    const [start, end] = node.range;
    node.loc = { start: position(lines, start), end: position(lines, end) };
    for (const key of visitorKeys[node.type] ?? []) pending.push((node as unknown as Record<string, unknown>)[key]);
  }
}
