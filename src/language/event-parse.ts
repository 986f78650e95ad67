import { createRequire } from "node:module";
import type * as JsYaml from "js-yaml";
import type { AliasNode, CommentToken, MappingNode, ScalarNode, ScalarValue, SequenceNode, ValueNode } from "./ast.js";
import type { NodeMaker } from "./lazy-location.js";
import { lazyLocation } from "./lazy-location.js";
import type { LineIndex } from "./locations.js";
import { trimmedEnd } from "./locations.js";
import { MAX_DEPTH, ParseFailure, TreeGuards, pairNode } from "./tree-guards.js";

// js-yaml's CommonJS build: its ES module build runs 2-3x slower in Node 20.
const jsYaml = createRequire(import.meta.url)("js-yaml") as typeof JsYaml;
const { EVENT_ALIAS, EVENT_DOCUMENT, EVENT_MAPPING, EVENT_POP, EVENT_SCALAR, EVENT_SEQUENCE, SCALAR_STYLE_PLAIN } = jsYaml;
const { COLLECTION_STYLE_FLOW, SCALAR_STYLE_DOUBLE_QUOTED, SCALAR_STYLE_SINGLE_QUOTED } = jsYaml;

type Event = JsYaml.Event;

const RELEASED: Event = { type: EVENT_POP };
type ScalarEvent = JsYaml.ScalarEvent;

/** The fast path cannot read this file with certainty; the `yaml` library reads it instead. */
class NotCertain extends Error {}

export interface EventTree {
  body: ValueNode | null;
  comments: CommentToken[];
}

/**
 * Builds our tree from js-yaml's event stream, which is an order of magnitude cheaper than the `yaml`
 * library's documents. It gives offsets for scalars, tags, anchors and collection starts; collection ends
 * and comments are recovered from the text. Whatever it cannot place with certainty (a parse error, several
 * documents, directives, YAML's own `!!` tags, an empty node without a key before it) returns undefined,
 * and the caller parses with the `yaml` library. Guard violations throw `ParseFailure` as there.
 */
export function buildFromEvents(text: string, lines: LineIndex): EventTree | undefined {
  let events: Event[];
  try {
    events = jsYaml.parseEvents(text, { maxDepth: MAX_DEPTH + 1 });
  } catch {
    return undefined;
  }
  try {
    return new EventReader(text, lines, events).read();
  } catch (error) {
    // A located refusal (alias bomb, depth, duplicate key) is final; anything else the fast path did not
    // foresee is read by the yaml library instead of ending the lint.
    if (error instanceof ParseFailure) throw error;
    return undefined;
  }
}

class EventReader {
  readonly #guards = new TreeGuards();
  #index = 0;
  /** Offsets of everything that is not comment-able text: scalars, tags, anchors, aliases (start, end pairs). */
  readonly #covered: number[] = [];

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
    /** Consumed as they are read: each is replaced once read. */
    readonly events: Event[],
  ) {
    this.#make = lazyLocation(lines);
  }

  read(): EventTree {
    const documents = this.events.filter((event) => event.type === EVENT_DOCUMENT);
    if (documents.length !== 1 || documents[0]!.directives.length > 0) throw new NotCertain("not one document without directives");
    this.#index = 1;
    const body = this.events[this.#index]!.type === EVENT_POP ? null : this.#node(0, undefined);
    return { body, comments: this.#comments() };
  }

  readonly #make: NodeMaker;

  /** Reads the node at the current event; `emptyAt` places an empty scalar (a mapping value's key end). */
  #node(depth: number, emptyAt: number | undefined): ValueNode {
    const event = this.events[this.#index]!;
    // Read events are let go at once: a large file's events would otherwise stay alive beside its tree.
    this.events[this.#index++] = RELEASED;
    if (event.type === EVENT_ALIAS) {
      this.#cover(event.anchorStart - 1, event.anchorEnd);
      const name = this.text.slice(event.anchorStart, event.anchorEnd);
      const target = this.#guards.alias(name, event.anchorStart - 1);
      return this.#make<AliasNode>({ type: "Alias", name, target, range: [event.anchorStart - 1, event.anchorEnd] });
    }
    if (event.type !== EVENT_SCALAR && event.type !== EVENT_SEQUENCE && event.type !== EVENT_MAPPING)
      throw new NotCertain("unexpected event");
    const tag = event.tagStart >= 0 ? this.text.slice(event.tagStart, event.tagEnd) : undefined;
    // Only CloudFormation-style local tags: YAML's own (`!!int`, `!<...>`, `!`) change how values resolve.
    if (tag !== undefined && !/^![A-Za-z0-9][^!<\s]*$/u.test(tag)) throw new NotCertain(`the ${tag} tag`);
    this.#guards.checkDepth(depth, event.tagStart >= 0 ? event.tagStart : event.type === EVENT_SCALAR ? event.valueStart : event.start);
    // Tag and anchor in the order they are written (`&a !Ref x` or `!Ref &a x`), so spans stay in text order.
    const anchorFirst = event.anchorStart >= 0 && (event.tagStart < 0 || event.anchorStart < event.tagStart);
    if (anchorFirst) this.#cover(event.anchorStart - 1, event.anchorEnd);
    if (event.tagStart >= 0) this.#cover(event.tagStart, event.tagEnd);
    if (event.anchorStart >= 0 && !anchorFirst) this.#cover(event.anchorStart - 1, event.anchorEnd);

    let node: ValueNode;
    if (event.type === EVENT_SCALAR) node = this.#scalar(event, tag, emptyAt);
    else {
      const start = event.tagStart >= 0 ? event.tagStart : event.start;
      // A single `key: value` pair in a flow sequence is a flow mapping without braces.
      const flow = event.style === COLLECTION_STYLE_FLOW && (event.type === EVENT_SEQUENCE || this.text[event.start] === "{");
      if (event.type === EVENT_MAPPING) {
        const seen = new Set<string>();
        const pairs = [];
        while (this.events[this.#index]!.type !== EVENT_POP) {
          const key = this.#node(depth + 1, undefined);
          this.#guards.checkKey(key, seen);
          this.#guards.checkKeyLength(this.text, key.range[0], key.range[1]);
          pairs.push(pairNode(this.#make, key, this.#node(depth + 1, key.range[1])));
        }
        this.#index++;
        const end = flow
          ? this.#flowEnd(pairs.at(-1)?.range[1] ?? event.start + 1, "}")
          : trimmedEnd(this.text, start, pairs.at(-1)!.range[1]);
        node = this.#make<MappingNode>({ type: "Mapping", pairs, range: [start, end], ...(tag ? { tag } : {}) });
      } else {
        const items = [];
        while (this.events[this.#index]!.type !== EVENT_POP) items.push(this.#node(depth + 1, undefined));
        this.#index++;
        if (!flow && items.length === 0) throw new NotCertain("an empty block sequence");
        const end = flow
          ? this.#flowEnd(items.at(-1)?.range[1] ?? event.start + 1, "]")
          : trimmedEnd(this.text, start, items.at(-1)!.range[1]);
        node = this.#make<SequenceNode>({ type: "Sequence", items, range: [start, end], ...(tag ? { tag } : {}) });
      }
    }
    if (event.anchorStart >= 0) this.#guards.anchor(this.text.slice(event.anchorStart, event.anchorEnd), node);
    return node;
  }

  #scalar(event: ScalarEvent, tag: string | undefined, emptyAt: number | undefined): ValueNode {
    if (event.valueStart < 0 && tag !== undefined && event.anchorStart < 0) {
      // `!GetAZs` alone: an empty string that spans its tag.
      return this.#make<ScalarNode>({ type: "Scalar", value: "", source: "", quoted: false, range: [event.tagStart, event.tagEnd], tag });
    }
    if (event.valueStart < 0) {
      if (emptyAt === undefined || tag !== undefined || event.anchorStart >= 0)
        throw new NotCertain("an empty node that is not a mapping value");
      // Where the `yaml` library places an empty value: after the key's `:` and the blanks that follow it.
      let at = this.#skipBlanks(emptyAt);
      if (this.text[at] === ":") at = this.#skipBlanks(at + 1);
      else at = emptyAt;
      return this.#make<ScalarNode>({ type: "Scalar", value: null, source: "", quoted: false, range: [at, at] });
    }
    const string = jsYaml.getScalarValue(this.text, event);
    let start = event.valueStart;
    let end = event.valueEnd;
    const quoted = event.style !== SCALAR_STYLE_PLAIN;
    if (event.style === SCALAR_STYLE_DOUBLE_QUOTED || event.style === SCALAR_STYLE_SINGLE_QUOTED) {
      start--;
      end++;
    } else if (quoted) {
      start = this.#blockHeaderStart(event.valueStart);
      end = trimmedEnd(this.text, start, end);
    }
    this.#cover(quoted ? event.valueStart : start, quoted ? event.valueEnd : end);
    const value = quoted || tag !== undefined ? string : resolvePlain(string);
    // As in the other path: a string's text is its value; other scalars keep their text as written.
    const source = typeof value === "string" ? value : this.text.slice(event.valueStart, event.valueEnd);
    if (event.tagStart >= 0) start = event.tagStart;
    return this.#make<ScalarNode>({ type: "Scalar", value, source, quoted, range: [start, end], ...(tag ? { tag } : {}) });
  }

  /** A block scalar's range starts at its `|` or `>`, the last word of the line before its content. */
  #blockHeaderStart(contentStart: number): number {
    if (this.text[contentStart - 1] !== "\n") throw new NotCertain("a block scalar's content start");
    const lineEnd = contentStart - 1 - (this.text[contentStart - 2] === "\r" ? 1 : 0);
    const lineStart = this.text.lastIndexOf("\n", lineEnd - 1) + 1;
    const header = /(?:^|\s)([|>][-+0-9]*)\s*(?:#.*)?$/u.exec(this.text.slice(lineStart, lineEnd));
    if (!header) throw new NotCertain("a block scalar's header");
    return lineStart + header.index + header[0].indexOf(header[1]!);
  }

  /** The offset after the bracket that closes a flow collection, scanning from its last entry. */
  #flowEnd(from: number, bracket: "]" | "}"): number {
    for (let i = from; i < this.text.length; i++) {
      const char = this.text[i]!;
      if (char === bracket) return i + 1;
      if (char === "#") i = this.#lineEnd(i);
      else if (char !== "," && char !== ":" && !/\s/u.test(char)) throw new NotCertain("text before a closing bracket");
    }
    throw new NotCertain("an unclosed flow collection");
  }

  #skipBlanks(offset: number): number {
    let at = offset;
    while (this.text[at] === " " || this.text[at] === "\t") at++;
    return at;
  }

  #lineEnd(offset: number): number {
    const newline = this.text.indexOf("\n", offset);
    return newline === -1 ? this.text.length : newline;
  }

  #cover(start: number, end: number): void {
    this.#covered.push(start, end);
  }

  /** Comments are the `#` runs in the text that no scalar, tag, anchor or alias covers. */
  #comments(): CommentToken[] {
    const covered = this.#inTextOrder();
    const comments: CommentToken[] = [];
    let position = 0;
    const scanTo = (limit: number) => {
      for (; position < limit; position++) {
        if (this.text[position] !== "#" || (position > 0 && !/\s/u.test(this.text[position - 1]!))) continue;
        let end = this.#lineEnd(position);
        if (this.text[end - 1] === "\r") end--;
        comments.push({
          type: "Comment",
          value: this.text.slice(position + 1, end),
          range: [position, end],
          loc: this.lines.location(position, end),
        });
        position = end;
      }
    };
    for (let i = 0; i < covered.length; i += 2) {
      scanTo(covered[i]!);
      position = Math.max(position, covered[i + 1]!);
    }
    scanTo(this.text.length);
    return comments;
  }

  /** The covered spans (start, end pairs) by start: events come in text order, but a tag can follow its anchor. */
  #inTextOrder(): number[] {
    const covered = this.#covered;
    let sorted = true;
    for (let i = 2; i < covered.length && sorted; i += 2) sorted = covered[i]! >= covered[i - 2]!;
    if (sorted) return covered;
    const spans: Array<[number, number]> = [];
    for (let i = 0; i < covered.length; i += 2) spans.push([covered[i]!, covered[i + 1]!]);
    return spans.sort((a, b) => a[0] - b[0]).flat();
  }
}

const NON_STRING_START = /^[~nNtTfF0-9+\-.]/u;

/** YAML 1.2's core schema, as the `yaml` library resolves plain scalars. */
function resolvePlain(text: string): ScalarValue {
  // Most plain scalars are names and ARNs; only these first characters can start a null, boolean or number.
  if (text !== "" && !NON_STRING_START.test(text)) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/u.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/u.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/u.test(text)) return false;
  if (/^[-+]?[0-9]+$/u.test(text)) return parseInt(text, 10);
  if (/^0o[0-7]+$/u.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/u.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/u.test(text)) return parseFloat(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/u.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/u.test(text)) return NaN;
  return text;
}
