import { Composer, Parser, YAMLMap, YAMLSeq, isAlias, isMap, isPair, isScalar, isSeq } from "yaml";
import type { CollectionTag, Document, ScalarTag, Node as YamlNode } from "yaml";
import type { CommentToken, DocumentNode, SourceLocation, ValueNode } from "./ast.js";
import { indentFlowContinuations } from "./flow-indentation.js";
import { LineIndex } from "./locations.js";
import { documentIsTemplate, textLooksLikeTemplate } from "./template-sniff.js";

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
}

export type ParseOutcome =
  | { ok: true; ast: DocumentNode; comments: CommentToken[] }
  | { ok: false; problem: ParseProblem };

/** CloudFormation's own limit is 1 MB; anything far beyond it is not a template and not worth parsing. */
export const MAX_TEXT_LENGTH = 50 * 1024 * 1024;
/** Nodes a document may expand to through aliases; a bigger expansion is an alias bomb. */
export const MAX_EXPANDED_NODES = 1_000_000;
/** Nesting beyond this is hostile: no real template comes close, and deep recursion would exhaust the stack. */
export const MAX_DEPTH = 1000;

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses a YAML or JSON CloudFormation template. Every short-form tag (`!Ref`, `!GetAtt`, cfn-include's
 * `!Include`, ...) is kept on its node. Problems are returned, never thrown.
 */
export function parseTemplate(rawText: string): ParseOutcome {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const lines = new LineIndex(text);
  const fail = (message: string, offset: number): ParseOutcome => ({
    ok: false,
    problem: { message, ...lines.position(offset) },
  });

  if (text.length > MAX_TEXT_LENGTH) {
    return fail(
      `File is ${Math.round(text.length / 1048576)} MB, over the ${MAX_TEXT_LENGTH / 1048576} MB this linter reads (CloudFormation itself accepts at most 1 MB)`,
      0,
    );
  }
  const nul = text.indexOf("\u0000");
  if (nul !== -1) return fail("File is binary (it contains a NUL byte), not a YAML or JSON template", nul);

  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text, (offset) => offset);
    // CloudFormation accepts flow collections indented less than YAML 1.2 allows; so do we.
    if (parsed.documents.length === 1 && parsed.documents[0]!.errors[0]?.code === "BAD_INDENT") {
      const reindented = indentFlowContinuations(text);
      const retried = reindented && parseYaml(reindented.text, reindented.toOriginal);
      if (retried && retried.documents.length === 1 && retried.documents[0]!.errors.length === 0) parsed = retried;
    }
  } catch (error) {
    return fail(`YAML parser failed: ${(error as Error).message}`, 0);
  }
  const { documents, parsedText, toOriginal } = parsed;
  const comments = collectComments(parsed.cst, (start, end) => ({ range: [toOriginal(start), toOriginal(end)], loc: lines.location(toOriginal(start), toOriginal(end)) }));
  const looksLikeTemplate = textLooksLikeTemplate(text);
  const silentNonTemplate: ParseOutcome = {
    ok: true,
    comments: [],
    ast: { type: "Document", body: null, isTemplate: false, range: [0, text.length], loc: lines.location(0, text.length) },
  };

  if (documents.length > 1) {
    if (!looksLikeTemplate) return silentNonTemplate;
    const second = documents[1]!;
    return fail(
      "File holds several YAML documents; a CloudFormation template must be a single document",
      toOriginal(second.range[0]),
    );
  }
  const document = documents[0];
  const error = document?.errors[0];
  if (error) {
    if (!looksLikeTemplate) return silentNonTemplate;
    const offset = toOriginal(error.pos[0]);
    return fail(describeYamlError(error.message), offset);
  }

  try {
    const converter = new Converter(parsedText, (start, end) => {
      const range: [number, number] = [toOriginal(start), toOriginal(end)];
      return { range, loc: lines.location(range[0], range[1]) };
    });
    const body = document?.contents ? converter.convert(document.contents, 0) : null;
    const ast: DocumentNode = {
      type: "Document",
      body,
      isTemplate: documentIsTemplate(body),
      range: [0, text.length],
      loc: lines.location(0, text.length),
    };
    return { ok: true, ast, comments: ast.isTemplate ? comments : [] };
  } catch (failure) {
    if (failure instanceof ParseFailure) {
      return looksLikeTemplate ? fail(failure.message, toOriginal(failure.offset)) : silentNonTemplate;
    }
    throw failure;
  }
}

function duplicateKeyMessage(key: string): string {
  return `Duplicate key "${key}": parsers disagree on which value wins (cfn-lint rejects it too); keep one`;
}

function describeYamlError(message: string): string {
  if (message.includes("Maximum call stack")) return "Template nests too deeply for the YAML parser";
  // The YAML library appends " at line L, column C" itself; ESLint shows the position separately.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/u, "");
}

interface ParsedYaml {
  cst: unknown[];
  documents: Document.Parsed[];
  /** The text the YAML library read: the file's, or the file's with flow continuations indented. */
  parsedText: string;
  toOriginal: (offset: number) => number;
}

/** CloudFormation's short-form tags, declared so that the YAML library resolves them without a warning each. */
const CLOUDFORMATION_TAGS = [
  "Ref", "GetAtt", "Sub", "Join", "If", "Select", "Split", "FindInMap", "ImportValue", "GetAZs", "Base64",
  "Cidr", "Condition", "Equals", "Not", "And", "Or", "Transform", "ToJsonString", "Length", "GetParam",
].flatMap((name): Array<ScalarTag | CollectionTag> => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: "seq", nodeClass: YAMLSeq, resolve: (seq) => seq },
  { tag: `!${name}`, collection: "map", nodeClass: YAMLMap, resolve: (map) => map },
]);

function parseYaml(parsedText: string, toOriginal: (offset: number) => number): ParsedYaml {
  const cst = Array.from(new Parser().parse(parsedText));
  // Duplicate keys are found by the converter with a set: the library's own check scans every earlier
  // key for each new one, which is quadratic in the size of a mapping such as Resources.
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false, strict: true, customTags: CLOUDFORMATION_TAGS });
  const documents = Array.from(composer.compose(cst, true, parsedText.length));
  return { cst, documents, parsedText, toOriginal };
}

type Locate = (start: number, end: number) => { range: [number, number]; loc: SourceLocation };

function collectComments(cst: unknown, locate: Locate): CommentToken[] {
  const comments: CommentToken[] = [];
  // CST tokens nest in arrays and objects; comments can sit in any of them.
  const stack: unknown[] = [cst];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (current && typeof current === "object") {
      const candidate = current as { type?: string; offset?: number; source?: string };
      if (candidate.type === "comment" && typeof candidate.offset === "number" && typeof candidate.source === "string") {
        comments.push({ type: "Comment", value: candidate.source.slice(1), ...locate(candidate.offset, candidate.offset + candidate.source.length) });
      } else {
        for (const value of Object.values(candidate)) {
          if (value && typeof value === "object") stack.push(value);
        }
      }
    }
  }
  return comments.sort((a, b) => a.range[0] - b.range[0]);
}

/** Converts the YAML library's nodes into ours, guarding against alias bombs and hostile nesting. */
class Converter {
  /** Anchors seen so far: an alias refers to the latest earlier anchor of its name. */
  readonly #anchors = new Map<string, ValueNode>();
  readonly #expandedSizes = new WeakMap<ValueNode, number>();
  #aliasExpansion = 0;

  /** `text` is what the YAML library parsed; `locate` turns its offsets into the file's ranges and positions. */
  constructor(
    readonly text: string,
    readonly locate: Locate,
  ) {}

  convert(node: YamlNode, depth: number): ValueNode {
    if (depth > MAX_DEPTH) {
      throw new ParseFailure(`Template nests deeper than ${MAX_DEPTH} levels`, node.range?.[0] ?? 0);
    }
    const converted = this.#convertNode(node, depth);
    if (node.anchor) this.#anchors.set(node.anchor, converted);
    return converted;
  }

  #convertNode(node: YamlNode, depth: number): ValueNode {
    const [valueStart, rawEnd] = node.range ?? [0, 0];
    // The non-specific tag `!` only makes a scalar a string; the YAML library has already done that.
    const tag = node.tag === "!" ? undefined : node.tag;
    const start = tag ? this.#tagStart(tag, valueStart) : valueStart;
    const located = (end: number) => ({ ...this.locate(start, this.#trimEnd(start, end)), ...(tag ? { tag } : {}) });

    if (isMap(node)) {
      const seen = new Set<string>();
      const pairs = node.items.map((pair) => {
        if (!isPair(pair)) throw new ParseFailure("Unexpected YAML mapping entry", valueStart);
        const key = this.convert(pair.key as YamlNode, depth + 1);
        if (key.tag?.startsWith("!") && !key.tag.startsWith("!!")) {
          // PyYAML, and so cfn-lint and CloudFormation, would make the key an unhashable mapping.
          throw new ParseFailure(`A mapping key cannot carry the ${key.tag} tag`, key.range[0]);
        }
        if (key.type === "Scalar") {
          const name = String(key.value);
          if (seen.has(name)) throw new ParseFailure(duplicateKeyMessage(name), key.range[0]);
          seen.add(name);
        }
        const value = pair.value
          ? this.convert(pair.value as YamlNode, depth + 1)
          : this.#emptyScalar((pair.key as YamlNode).range?.[1] ?? valueStart);
        const range: [number, number] = [key.range[0], Math.max(key.range[1], value.range[1])];
        const last = value.range[1] >= key.range[1] ? value : key;
        return { type: "Pair" as const, key, value, range, loc: { start: key.loc.start, end: last.loc.end } };
      });
      return { type: "Mapping", pairs, ...located(this.#contentEnd(node)) };
    }
    if (isSeq(node)) {
      const items = node.items.map((item) => this.convert(item as YamlNode, depth + 1));
      return { type: "Sequence", items, ...located(this.#contentEnd(node)) };
    }
    if (isAlias(node)) {
      const target = this.#anchors.get(node.source);
      if (!target) throw new ParseFailure(`YAML alias *${node.source} has no anchor before it`, valueStart);
      this.#aliasExpansion += this.#sizeOf(target);
      if (this.#aliasExpansion > MAX_EXPANDED_NODES) {
        throw new ParseFailure(
          `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString("en-US")} nodes (an alias bomb?); refusing to read further`,
          valueStart,
        );
      }
      return { type: "Alias", name: node.source, target, ...located(rawEnd) };
    }
    if (isScalar(node)) {
      const value = node.value;
      const quoted = node.type !== undefined && node.type !== "PLAIN";
      const scalarValue =
        value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? value
          : String(value);
      // A string's text is its value (folded, unescaped); a number, boolean or null keeps its text as
      // written, so `0123` or `1.10` reach CloudFormation unchanged. Offsets here are the parsed text's.
      const source =
        typeof scalarValue === "string" || quoted
          ? String(scalarValue ?? "")
          : this.text.slice(valueStart, Math.max(valueStart, this.#trimEnd(valueStart, rawEnd)));
      return { type: "Scalar", value: scalarValue, source, quoted, ...located(rawEnd) };
    }
    throw new ParseFailure("Unsupported YAML node", valueStart);
  }

  /** Moves an end offset back over trailing white space (a plain scalar's range can include a CR). */
  #trimEnd(start: number, end: number): number {
    let trimmed = end;
    while (trimmed > start && /\s/u.test(this.text[trimmed - 1]!)) trimmed--;
    return trimmed;
  }

  #emptyScalar(offset: number): ValueNode {
    return { type: "Scalar", value: null, source: "", quoted: false, ...this.locate(offset, offset) };
  }

  /** Where a node's content ends: a block collection's range runs on to the next line, its last entry's does not. */
  #contentEnd(node: YamlNode): number {
    let current: YamlNode | null | undefined = node;
    while ((isMap(current) || isSeq(current)) && !current.flow && current.items.length > 0) {
      const last: unknown = current.items[current.items.length - 1];
      current = (isPair(last) ? (last.value ?? last.key) : last) as YamlNode | null;
    }
    return current?.range?.[1] ?? node.range?.[1] ?? 0;
  }

  /** How many nodes a converted subtree stands for once its aliases are expanded (memoised). */
  #sizeOf(node: ValueNode): number {
    const known = this.#expandedSizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.type === "Mapping") for (const pair of node.pairs) size += this.#sizeOf(pair.key) + this.#sizeOf(pair.value);
    else if (node.type === "Sequence") for (const item of node.items) size += this.#sizeOf(item);
    else if (node.type === "Alias") size = this.#sizeOf(node.target);
    const capped = Math.min(size, MAX_EXPANDED_NODES + 1);
    this.#expandedSizes.set(node, capped);
    return capped;
  }

  /** A tagged node's range starts at its `!` (with only an anchor or white space between tag and value). */
  #tagStart(tag: string, valueStart: number): number {
    const written = tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice(18)}` : tag;
    const at = this.text.lastIndexOf(written, valueStart - 1);
    if (at === -1) return valueStart;
    const between = this.text.slice(at + written.length, valueStart);
    return /^(?:\s|&[^\s]+)*$/u.test(between) ? at : valueStart;
  }
}

