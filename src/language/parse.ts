import { createRequire } from "node:module";
import { jsonCommentOffset } from "./json-comments.js";
import type * as YamlLibrary from "yaml";
import type { CollectionTag, Document, ScalarTag, Node as YamlNode } from "yaml";
import type { AliasNode, CommentToken, DocumentNode, MappingNode, ScalarNode, SequenceNode, SourceLocation, ValueNode } from "./ast.js";
import type { NodeMaker } from "./lazy-location.js";
import { lazyLocation } from "./lazy-location.js";
import { asciiOfMisread, misreadEncoding } from "./encoding.js";
import { buildFromEvents } from "./event-parse.js";
import { indentContinuations } from "./continuation-indentation.js";
import { LineIndex, trimmedEnd } from "./locations.js";
import { documentIsTemplate, textLooksLikeTemplate } from "./template-sniff.js";
import { ParseFailure, TreeGuards, pairNode } from "./tree-guards.js";

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
}

export type ParseOutcome = { ok: true; ast: DocumentNode; comments: CommentToken[] } | { ok: false; problem: ParseProblem };

/** CloudFormation's own limit is 1 MB; anything far beyond it is not a template and not worth parsing. */
const MAX_TEXT_LENGTH = 50 * 1024 * 1024;
export { MAX_EXPANDED_NODES } from "./tree-guards.js";
/**
 * Parses a YAML or JSON CloudFormation template. Every short-form tag (`!Ref`, `!GetAtt`, cfn-include's
 * `!Include`, ...) is kept on its node. Problems are returned, never thrown.
 *
 * Files are read from js-yaml's event stream when it can place every node with certainty, and by the
 * `yaml` library otherwise (`fastPath: false` forces that, for the test that holds the two paths equal).
 */
export function parseTemplate(rawText: string, { fastPath = true }: { fastPath?: boolean } = {}): ParseOutcome {
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
  const silentNonTemplate: ParseOutcome = {
    ok: true,
    comments: [],
    ast: { type: "Document", body: null, isTemplate: false, range: [0, text.length], loc: lines.location(0, text.length) },
  };
  const misread = misreadEncoding(text);
  if (misread) {
    // ESLint reads files as UTF-8; the CLI decodes such a file itself and lints it.
    if (!textLooksLikeTemplate(asciiOfMisread(text, misread))) return silentNonTemplate;
    return fail(
      `File is ${misread} (it starts with a byte order mark) and was read as UTF-8; CloudFormation reads templates as UTF-8 only: save it as UTF-8`,
      0,
    );
  }
  const nul = text.indexOf("\u0000");
  if (nul !== -1) return fail("File is binary (it contains a NUL byte), not a YAML or JSON template", nul);

  const looksLikeTemplate = textLooksLikeTemplate(text);
  const comment = looksLikeTemplate ? jsonCommentOffset(text) : -1;
  if (comment !== -1)
    return fail("JSON has no comments: CloudFormation cannot read this template (cfn-lint refuses it too); remove the comment", comment);
  const refuse = (failure: unknown, toOriginal = (offset: number) => offset): ParseOutcome => {
    if (!(failure instanceof ParseFailure)) throw failure;
    return looksLikeTemplate ? fail(failure.message, toOriginal(failure.offset)) : silentNonTemplate;
  };
  const outcome = (body: ValueNode | null, comments: CommentToken[]): ParseOutcome => {
    const ast: DocumentNode = {
      type: "Document",
      body,
      isTemplate: documentIsTemplate(body),
      range: [0, text.length],
      loc: lines.location(0, text.length),
    };
    return { ok: true, ast, comments: ast.isTemplate ? comments : [] };
  };

  if (fastPath) {
    try {
      const tree = buildFromEvents(text, lines);
      if (tree) return outcome(tree.body, tree.comments);
    } catch (failure) {
      return refuse(failure);
    }
  }

  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text, (offset) => offset);
    // CloudFormation accepts flow collections and quoted scalars indented less than YAML 1.2 allows; so do we.
    const firstError = parsed.documents.length === 1 ? parsed.documents[0]!.errors[0]?.code : undefined;
    if (firstError === "BAD_INDENT" || firstError === "MISSING_CHAR") {
      const reindented = indentContinuations(text);
      const retried = reindented && parseYaml(reindented.text, reindented.toOriginal);
      if (retried && retried.documents.length === 1 && retried.documents[0]!.errors.length === 0) parsed = retried;
    }
  } catch (error) {
    return fail(`YAML parser failed: ${(error as Error).message}`, 0);
  }
  const { documents, parsedText, toOriginal } = parsed;
  const comments = collectComments(parsed.cst, (start, end) => ({
    range: [toOriginal(start), toOriginal(end)],
    loc: lines.location(toOriginal(start), toOriginal(end)),
  }));

  if (documents.length > 1) {
    if (!looksLikeTemplate) return silentNonTemplate;
    const second = documents[1]!;
    return fail("File holds several YAML documents; a CloudFormation template must be a single document", toOriginal(second.range[0]));
  }
  const document = documents[0];
  const error = document?.errors[0];
  if (error) {
    if (!looksLikeTemplate) return silentNonTemplate;
    const offset = toOriginal(error.pos[0]);
    return fail(describeYamlError(error.message), offset);
  }

  try {
    const converter = new Converter(parsedText, toOriginal, lazyLocation(lines));
    return outcome(document?.contents ? converter.convert(document.contents, 0) : null, comments);
  } catch (failure) {
    return refuse(failure, toOriginal);
  }
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

/**
 * The `yaml` library reads what the fast path cannot; it is loaded on the first such file, so that
 * starting the linter (a pre-commit hook, one template) does not pay for it.
 */
let yamlLibrary: typeof YamlLibrary | undefined;
function yaml(): typeof YamlLibrary {
  yamlLibrary ??= createRequire(import.meta.url)("yaml") as typeof YamlLibrary;
  return yamlLibrary;
}

/** CloudFormation's short-form tags, declared so that the YAML library resolves them without a warning each. */
let cloudFormationTags: Array<ScalarTag | CollectionTag> | undefined;
function declaredTags(): Array<ScalarTag | CollectionTag> {
  const { YAMLMap, YAMLSeq } = yaml();
  cloudFormationTags ??= [
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "If",
    "Select",
    "Split",
    "FindInMap",
    "ImportValue",
    "GetAZs",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "Not",
    "And",
    "Or",
    "Transform",
    "ToJsonString",
    "Length",
    "GetParam",
    "GetStackOutput",
  ].flatMap((name): Array<ScalarTag | CollectionTag> => [
    { tag: `!${name}`, resolve: (value: string) => value },
    { tag: `!${name}`, collection: "seq", nodeClass: YAMLSeq, resolve: (seq) => seq },
    { tag: `!${name}`, collection: "map", nodeClass: YAMLMap, resolve: (map) => map },
  ]);
  return cloudFormationTags;
}

function parseYaml(parsedText: string, toOriginal: (offset: number) => number): ParsedYaml {
  const cst = Array.from(new (yaml().Parser)().parse(parsedText));
  // Duplicate keys are found by the converter with a set: the library's own check scans every earlier
  // key for each new one, which is quadratic in the size of a mapping such as Resources.
  const composer = new (yaml().Composer)({ uniqueKeys: false, prettyErrors: false, strict: true, customTags: declaredTags() });
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
        comments.push({
          type: "Comment",
          value: candidate.source.slice(1),
          ...locate(candidate.offset, candidate.offset + candidate.source.length),
        });
      } else {
        for (const value of Object.values(candidate)) {
          if (value && typeof value === "object") stack.push(value);
        }
      }
    }
  }
  return comments.sort((a, b) => a.range[0] - b.range[0]);
}

const YAML_TAG_PREFIX = "tag:yaml.org,2002:";
/** How far before a value its tag (with an anchor and white space between) is looked for. */
const TAG_SEARCH_WINDOW = 1024;
/** YAML's own tags whose values are plain mappings, sequences and scalars. */
const PLAIN_YAML_TAGS = new Set(["str", "int", "float", "bool", "null", "seq", "map"]);

/** Converts the YAML library's nodes into ours, guarding against alias bombs and hostile nesting. */
class Converter {
  readonly #guards = new TreeGuards();

  /** `text` is what the YAML library parsed; `toOriginal` turns its offsets into the file's. */
  constructor(
    readonly text: string,
    readonly toOriginal: (offset: number) => number,
    readonly make: NodeMaker,
  ) {}

  #range(start: number, end: number): [number, number] {
    return [this.toOriginal(start), this.toOriginal(end)];
  }

  convert(node: YamlNode, depth: number): ValueNode {
    this.#guards.checkDepth(depth, node.range?.[0] ?? 0);
    const converted = this.#convertNode(node, depth);
    if (node.anchor) this.#guards.anchor(node.anchor, converted);
    return converted;
  }

  #convertNode(node: YamlNode, depth: number): ValueNode {
    const [valueStart, rawEnd] = node.range ?? [0, 0];
    // The non-specific tag `!` only makes a scalar a string; the YAML library has already done that.
    const tag = node.tag === "!" ? undefined : node.tag;
    const start = tag ? this.#tagStart(tag, valueStart) : valueStart;
    if (tag?.startsWith(YAML_TAG_PREFIX) && !PLAIN_YAML_TAGS.has(tag.slice(YAML_TAG_PREFIX.length))) {
      // !!omap, !!pairs, !!set, !!binary, !!timestamp: values that no CloudFormation property takes as written.
      throw new ParseFailure(
        `This linter does not read YAML's !!${tag.slice(YAML_TAG_PREFIX.length)} tag; write a plain mapping, sequence or string`,
        start,
      );
    }
    const located = (end: number) => ({ range: this.#range(start, trimmedEnd(this.text, start, end)), ...(tag ? { tag } : {}) });

    if (yaml().isMap(node)) {
      const seen = new Set<string>();
      const pairs = node.items.map((pair) => {
        if (!yaml().isPair(pair)) throw new ParseFailure("Unexpected YAML mapping entry", valueStart);
        const key = this.convert(pair.key as YamlNode, depth + 1);
        this.#guards.checkKey(key, seen);
        const [keyStart, keyEnd] = (pair.key as YamlNode).range ?? [0, 0];
        this.#guards.checkKeyLength(this.text, keyStart, keyEnd);
        const value = pair.value
          ? this.convert(pair.value as YamlNode, depth + 1)
          : this.#emptyScalar((pair.key as YamlNode).range?.[1] ?? valueStart);
        return pairNode(this.make, key, value);
      });
      return this.make<MappingNode>({ type: "Mapping", pairs, ...located(this.#contentEnd(node)) });
    }
    if (yaml().isSeq(node)) {
      const items = node.items.map((item) => this.convert(item as YamlNode, depth + 1));
      return this.make<SequenceNode>({ type: "Sequence", items, ...located(this.#contentEnd(node)) });
    }
    if (yaml().isAlias(node)) {
      const target = this.#guards.alias(node.source, valueStart);
      return this.make<AliasNode>({ type: "Alias", name: node.source, target, ...located(rawEnd) });
    }
    if (yaml().isScalar(node)) {
      const value = node.value;
      const quoted = node.type !== undefined && node.type !== "PLAIN";
      const scalarValue =
        value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : String(value);
      // A string's text is its value (folded, unescaped); a number, boolean or null keeps its text as
      // written, so `0123` or `1.10` reach CloudFormation unchanged. Offsets here are the parsed text's.
      const source =
        typeof scalarValue === "string" || quoted
          ? String(scalarValue ?? "")
          : this.text.slice(valueStart, Math.max(valueStart, trimmedEnd(this.text, valueStart, rawEnd)));
      return this.make<ScalarNode>({ type: "Scalar", value: scalarValue, source, quoted, ...located(rawEnd) });
    }
    throw new ParseFailure("Unsupported YAML node", valueStart);
  }

  #emptyScalar(offset: number): ValueNode {
    return this.make<ScalarNode>({ type: "Scalar", value: null, source: "", quoted: false, range: this.#range(offset, offset) });
  }

  /** Where a node's content ends: a block collection's range runs on to the next line, its last entry's does not. */
  #contentEnd(node: YamlNode): number {
    let current: YamlNode | null | undefined = node;
    while ((yaml().isMap(current) || yaml().isSeq(current)) && !current.flow && current.items.length > 0) {
      const last: unknown = current.items[current.items.length - 1];
      current = (yaml().isPair(last) ? (last.value ?? last.key) : last) as YamlNode | null;
    }
    return current?.range?.[1] ?? node.range?.[1] ?? 0;
  }

  /** A tagged node's range starts at its `!` (with only an anchor or white space between tag and value). */
  #tagStart(tag: string, valueStart: number): number {
    const spellings = tag.startsWith(YAML_TAG_PREFIX) ? [`!!${tag.slice(YAML_TAG_PREFIX.length)}`, `!<${tag}>`] : [tag, `!<${tag}>`];
    for (const written of spellings) {
      // Only the text just before the value can hold its tag: searching further back costs the whole file per node.
      const from = Math.max(0, valueStart - written.length - TAG_SEARCH_WINDOW);
      const found = this.text.slice(from, valueStart).lastIndexOf(written);
      if (found === -1) continue;
      const at = from + found;
      if (/^(?:\s|&[^\s]+)*$/u.test(this.text.slice(at + written.length, valueStart))) return at;
    }
    return valueStart;
  }
}
