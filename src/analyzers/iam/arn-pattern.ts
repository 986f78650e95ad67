import type { Part } from "../../template/interpolation.js";

/**
 * A resource ARN or an ARN pattern as a token list: literal characters, the wildcards of IAM patterns,
 * and symbols (values known only at deploy time). Two equal symbols are the same value.
 */
export type Token = string | SymbolToken | Wildcard;

interface SymbolToken {
  symbol: string;
  /** True for values that never contain `:` (pseudo parameters, resource names inside an ARN). */
  colonFree: boolean;
}

interface Wildcard {
  wildcard: "*" | "?";
}

export type Tri = "yes" | "no" | "maybe";

/** Pseudo parameters inside ARNs never contain `:`. */
const COLON_FREE_SYMBOL = /^\{(?:Ref:AWS::(?:Partition|Region|AccountId|URLSuffix|StackName)|Name:[^}]+|Attribute:[^}]+|Segment:[^}]+)\}$/u;

/**
 * A value that fills one segment of an ARN and holds neither `:` nor `/` (an API stage name, a path
 * parameter's value), unlike a generated name free to be any such text, the template's own included.
 */
const SEGMENT = /^\{Segment:[^}]+\}$/u;

/**
 * Tokens of a value or pattern. In a pattern (`isPattern`), `*` and `?` in literal text are IAM
 * wildcards; in a value they are ordinary characters.
 */
export function tokenize(parts: Part[], isPattern: boolean): Token[] {
  const tokens: Token[] = [];
  for (const part of parts) {
    if ("symbol" in part) {
      tokens.push({ symbol: part.symbol, colonFree: COLON_FREE_SYMBOL.test(part.symbol) });
      continue;
    }
    for (const char of part.text) {
      tokens.push(isPattern && (char === "*" || char === "?") ? { wildcard: char } : char);
    }
  }
  return tokens;
}

/** Whether a pattern has a wildcard in its literal text (so it matches more than one value). */
export function hasWildcard(pattern: Compiled): boolean {
  return pattern.tokens.some(isWildcard);
}

function isWildcard(token: Token): token is Wildcard {
  return typeof token === "object" && "wildcard" in token;
}

function isSymbol(token: Token): token is SymbolToken {
  return typeof token === "object" && "symbol" in token;
}

/** A pattern or value ready for matching: its tokens, and its plain text when it has no symbol. */
export interface Compiled {
  tokens: Token[];
  /** For a pattern without symbols, its wildcard matcher; for such a value, its text. */
  literal: WildcardPattern | string | undefined;
}

export function compilePattern(parts: Part[]): Compiled {
  const hasSymbol = parts.some((part) => "symbol" in part);
  const text = hasSymbol ? undefined : parts.map((part) => ("text" in part ? part.text : "")).join("");
  return { tokens: tokenize(parts, true), literal: text === undefined ? undefined : new WildcardPattern(text, false) };
}

export function compileValue(parts: Part[]): Compiled {
  if (parts.some((part) => "symbol" in part)) return { tokens: tokenize(parts, false), literal: undefined };
  return new LiteralValue(
    parts.length === 1 ? (parts[0] as { text: string }).text : parts.map((part) => (part as { text: string }).text).join(""),
  );
}

/** A value without symbols: matched as text, tokenized only if a symbolic pattern needs it. */
class LiteralValue implements Compiled {
  #tokens: Token[] | undefined;

  constructor(readonly literal: string) {}

  get tokens(): Token[] {
    this.#tokens ??= tokenize([{ text: this.literal }], false);
    return this.#tokens;
  }
}

const MAX_MATCH_CELLS = 4_000_000;

/**
 * Whether an IAM pattern covers a value: "yes" in every deployment, "no" in none, "maybe" when it
 * depends on values known only at deploy time.
 */
export function matchPattern(pattern: Compiled, value: Compiled): Tri {
  if (pattern.literal instanceof WildcardPattern && typeof value.literal === "string") {
    return pattern.literal.test(value.literal) ? "yes" : "no";
  }
  const tokens = pattern.tokens;
  if (tokens.length === 1 && isWildcard(tokens[0]!) && tokens[0].wildcard === "*") return "yes";
  // Past this many cells the symbolic matchers would take seconds: far beyond IAM's policy size limits.
  if ((tokens.length + 1) * (value.tokens.length + 1) > MAX_MATCH_CELLS) return "maybe";
  if (provablyMatches(tokens, value.tokens)) return "yes";
  return possiblyMatches(tokens, value.tokens) ? "maybe" : "no";
}

/** Classic wildcard matching where a symbol only matches the same symbol. */
function provablyMatches(pattern: Token[], value: Token[]): boolean {
  let reachable = new Uint8Array(value.length + 1);
  reachable[0] = 1;
  for (const token of pattern) {
    const next = new Uint8Array(value.length + 1);
    if (isWildcard(token) && token.wildcard === "*") {
      let seen = 0;
      for (let j = 0; j <= value.length; j++) {
        seen |= reachable[j]!;
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < value.length; j++) {
        if (!reachable[j]) continue;
        const candidate = value[j]!;
        const matches = isWildcard(token)
          ? typeof candidate === "string"
          : isSymbol(token)
            ? isSymbol(candidate) && candidate.symbol === token.symbol
            : candidate === token;
        if (matches) next[j + 1] = 1;
      }
    }
    reachable = next;
  }
  return reachable[value.length] === 1;
}

/**
 * A name CloudFormation generates for a resource that sets none (`{Name:Queue}`, an API's ID): unique to
 * that resource, never empty, and free of `:` and `/` (generated names are `stack-LogicalId-SUFFIX`).
 */
const GENERATED_NAME = /^\{Name:[^}]+\}$/u;

/** The first character of a generated name, matched one token at a time so that the name is never empty. */
interface NameHead {
  head: string;
}

type Cell = Token | NameHead;

function isHead(cell: Cell | undefined): cell is NameHead {
  return typeof cell === "object" && "head" in cell;
}

/** The generated name a cell belongs to (its head, or its flexible rest), if any. */
function generatedName(cell: Cell | undefined): string | undefined {
  if (isHead(cell)) return cell.head;
  return cell !== undefined && isSymbol(cell) && GENERATED_NAME.test(cell.symbol) ? cell.symbol : undefined;
}

/**
 * Matching where a symbol may stand for any text (without `:` when colon-free): false proves that no
 * deployment can make the pattern cover the value. A symbol found on both sides is the same value in
 * the same place of the ARN (`table/${Table}` against `table/${Table}/stream/${Label}`), so it only
 * matches itself there; this reading assumes ARNs never repeat a name's text around it. Two distinct
 * resources of one template never share a generated name, so one such name never covers another; nor
 * does a segment of the ARN (between `:` and `/`) written as plain text, which the template's author
 * cannot know: CloudFormation's generated names hold the stack name, the logical ID and a random suffix
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html). A segment
 * with a wildcard or a deploy-time value (`${AWS::StackName}-*`) still may.
 */
function possiblyMatches(patternTokens: Token[], valueTokens: Token[]): boolean {
  const patternSymbols = new Set(patternTokens.filter(isSymbol).map((token) => token.symbol));
  const shared = new Set(
    valueTokens.filter((token) => isSymbol(token) && patternSymbols.has(token.symbol)).map((token) => (token as SymbolToken).symbol),
  );
  // A generated name not on both sides: one character that must be there, then any more.
  const cells = (tokens: Token[]): Cell[] =>
    tokens.flatMap((token): Cell[] =>
      isSymbol(token) && !shared.has(token.symbol) && GENERATED_NAME.test(token.symbol) ? [{ head: token.symbol }, token] : [token],
    );
  const pattern = cells(patternTokens);
  const value = cells(valueTokens);
  const patternPlain = plainTextCells(pattern);
  const valuePlain = plainTextCells(value);
  const flexible = (cell: Cell | undefined): cell is SymbolToken =>
    cell !== undefined && !isHead(cell) && isSymbol(cell) && !shared.has(cell.symbol);
  const rows = pattern.length + 1;
  const columns = value.length + 1;
  const reachable = new Uint8Array(rows * columns);
  reachable[0] = 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      if (!reachable[i * columns + j]) continue;
      const p = pattern[i];
      const v = value[j];
      const mark = (di: number, dj: number) => {
        reachable[(i + di) * columns + j + dj] = 1;
      };
      // A flexible token may stand for nothing, or absorb one token of the other side and stay.
      if (p !== undefined && ((isWildcard(p as Token) && (p as Wildcard).wildcard === "*") || flexible(p))) {
        mark(1, 0);
        if (v !== undefined && absorbs(p as Token, v, valuePlain[j]!)) mark(0, 1);
      }
      if (flexible(v)) {
        mark(0, 1);
        if (p !== undefined && absorbs(v, p, patternPlain[i]!)) mark(1, 0);
      }
      if (p !== undefined && v !== undefined && !flexible(v) && !flexible(p) && single(p, v, patternPlain[i]!, valuePlain[j]!)) mark(1, 1);
    }
  }
  return reachable[rows * columns - 1] === 1;
}

/**
 * For each cell, whether it is a character of an ARN segment (between `:` and `/`) written all in plain
 * text, without a wildcard or a symbol: a generated name never takes in such characters.
 */
function plainTextCells(cells: Cell[]): boolean[] {
  const plain = new Array<boolean>(cells.length).fill(false);
  let start = 0;
  for (let end = 0; end <= cells.length; end++) {
    const cell = cells[end];
    if (end < cells.length && cell !== ":" && cell !== "/") continue;
    if (cells.slice(start, end).every((inner) => typeof inner === "string")) plain.fill(true, start, end);
    start = end + 1;
  }
  return plain;
}

/** Whether two cells that stand for one character each (or a shared symbol) can be equal. */
function single(p: Cell, v: Cell, patternPlain: boolean, valuePlain: boolean): boolean {
  if (isHead(p) || isHead(v)) {
    const other = isHead(p) ? v : p;
    if (isHead(other)) return other.head === (isHead(p) ? p.head : (v as NameHead).head);
    if (isWildcard(other)) return other.wildcard === "?";
    const otherPlain = isHead(p) ? valuePlain : patternPlain;
    return typeof other === "string" && other !== ":" && other !== "/" && !otherPlain;
  }
  if (isSymbol(p) || isSymbol(v)) return isSymbol(p) && isSymbol(v) && p.symbol === v.symbol;
  return isWildcard(p) ? p.wildcard === "?" : p === v;
}

/** Whether a flexible token (a `*` or a symbol) can take in one cell of the other side (`otherPlain`: see plainTextCells). */
function absorbs(flexible: Token, other: Cell, otherPlain: boolean): boolean {
  const name = generatedName(flexible);
  if (name !== undefined) {
    const otherName = generatedName(other);
    if (otherName !== undefined && otherName !== name) return false;
    if (other === ":" || other === "/" || otherPlain) return false;
  }
  if (isSymbol(flexible) && flexible.colonFree && other === ":") return false;
  if (isSymbol(flexible) && SEGMENT.test(flexible.symbol) && other === "/") return false;
  return true;
}

/** Case-insensitive action matching with `*` and `?`, as IAM does. */
export function actionMatcher(pattern: string): WildcardPattern {
  return new WildcardPattern(pattern, true);
}

/**
 * An IAM wildcard pattern (`*` any run, `?` one character). Matched by walking pattern and value once,
 * going back only to the latest `*`: at most pattern x value steps, where a regular expression with
 * many `*` backtracks exponentially on a value it does not match.
 */
export class WildcardPattern {
  readonly #pattern: string;
  readonly #ignoreCase: boolean;
  /** The common shapes, answered without the general walk: no wildcard at all, or one `*` at the end. */
  readonly #shape: "exact" | "prefix" | "general";

  constructor(pattern: string, ignoreCase: boolean) {
    const collapsed = pattern.replace(/\*+/gu, "*");
    this.#pattern = ignoreCase ? collapsed.toLowerCase() : collapsed;
    this.#ignoreCase = ignoreCase;
    const wildcards = collapsed.replace(/[^*?]/gu, "");
    this.#shape = wildcards === "" ? "exact" : wildcards === "*" && collapsed.endsWith("*") ? "prefix" : "general";
  }

  test(input: string): boolean {
    const pattern = this.#pattern;
    if (this.#shape === "exact") return pattern.length === input.length && this.#startsWith(input, pattern.length);
    if (this.#shape === "prefix") return input.length >= pattern.length - 1 && this.#startsWith(input, pattern.length - 1);
    let p = 0;
    let v = 0;
    let star = -1;
    let resume = 0;
    while (v < input.length) {
      const char = pattern.charCodeAt(p);
      if (char === QUESTION_MARK || (p < pattern.length && char !== STAR && char === this.#codeAt(input, v))) {
        p++;
        v++;
      } else if (char === STAR) {
        star = p++;
        resume = v;
      } else if (star !== -1) {
        // Let the latest `*` take one more character and try again from there.
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (pattern.charCodeAt(p) === STAR) p++;
    return p === pattern.length;
  }

  /** Whether the input's first `length` characters equal the pattern's. */
  #startsWith(input: string, length: number): boolean {
    for (let i = 0; i < length; i++) if (this.#pattern.charCodeAt(i) !== this.#codeAt(input, i)) return false;
    return true;
  }

  /** A character of the input, lower-cased when the pattern ignores case (ASCII by arithmetic, others by Unicode). */
  #codeAt(input: string, index: number): number {
    const code = input.charCodeAt(index);
    if (!this.#ignoreCase) return code;
    if (code >= 65 && code <= 90) return code + 32;
    return code < 128 ? code : input[index]!.toLowerCase().charCodeAt(0);
  }
}

const STAR = 42;
const QUESTION_MARK = 63;
