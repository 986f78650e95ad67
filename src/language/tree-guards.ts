import type { PairNode, ValueNode } from "./ast.js";
import type { NodeMaker } from "./lazy-location.js";

/** Nodes a document may expand to through aliases; a bigger expansion is an alias bomb. */
export const MAX_EXPANDED_NODES = 1_000_000;
/** Nesting beyond this is hostile: no real template comes close, and deep recursion would exhaust the stack. */
export const MAX_DEPTH = 1000;
/** YAML 1.2 puts the ":" of an implicit key "at most 1024 Unicode characters beyond the start of the key"; PyYAML enforces it. */
const MAX_IMPLICIT_KEY = 1024;

/** A located reason to refuse a file, thrown while a tree is built and turned into a parse problem. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * What both tree builders enforce the same way: nesting depth, anchors and the alias-bomb limit, duplicate
 * keys and keys that carry a CloudFormation tag.
 */
export class TreeGuards {
  /** Anchors seen so far: an alias refers to the latest earlier anchor of its name. */
  readonly #anchors = new Map<string, ValueNode>();
  readonly #expandedSizes = new WeakMap<ValueNode, number>();
  #aliasExpansion = 0;

  checkDepth(depth: number, offset: number): void {
    if (depth > MAX_DEPTH) throw new ParseFailure(`Template nests deeper than ${MAX_DEPTH} levels`, offset);
  }

  anchor(name: string, node: ValueNode): void {
    this.#anchors.set(name, node);
  }

  /** The node an alias stands for, counted against the expansion limit. */
  alias(name: string, offset: number): ValueNode {
    const target = this.#anchors.get(name);
    if (!target) throw new ParseFailure(`YAML alias *${name} has no anchor before it`, offset);
    this.#aliasExpansion += this.#sizeOf(target);
    if (this.#aliasExpansion > MAX_EXPANDED_NODES) {
      throw new ParseFailure(
        `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString("en-US")} nodes (an alias bomb?); refusing to read further`,
        offset,
      );
    }
    return target;
  }

  /** Checks a mapping's key: no CloudFormation tag, and no name twice (found with a set, not quadratically). */
  checkKey(key: ValueNode, seen: Set<string>): void {
    if (key.tag?.startsWith("!") && !key.tag.startsWith("!!")) {
      // PyYAML, and so cfn-lint and CloudFormation, would make the key an unhashable mapping.
      throw new ParseFailure(`A mapping key cannot carry the ${key.tag} tag`, key.range[0]);
    }
    if (key.type !== "Scalar") return;
    const name = String(key.value);
    if (seen.has(name)) {
      throw new ParseFailure(
        `Duplicate key "${name}": parsers disagree on which value wins (cfn-lint rejects it too); keep one`,
        key.range[0],
      );
    }
    seen.add(name);
  }

  #json: boolean | undefined;

  /**
   * Refuses an implicit mapping key (`key: value`, not `? key`) longer than YAML allows, which PyYAML,
   * and so cfn-lint, refuse too. A JSON file (it starts with `{`) is read as JSON, which has no such limit.
   */
  checkKeyLength(text: string, start: number, end: number): void {
    if (end - start <= MAX_IMPLICIT_KEY || [...text.slice(start, end)].length <= MAX_IMPLICIT_KEY) return;
    this.#json ??= text.trimStart().startsWith("{");
    if (this.#json || /\?\s*$/u.test(text.slice(Math.max(0, start - 80), start))) return;
    throw new ParseFailure(
      `A YAML key longer than ${MAX_IMPLICIT_KEY} characters: YAML 1.2 allows at most ${MAX_IMPLICIT_KEY} before the ":" of an implicit key, and PyYAML (so cfn-lint) refuses it; shorten it, or write it as an explicit key ("? key")`,
      start,
    );
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
}

/** A mapping entry spanning its key and its value (an empty value can sit before the key's end). */
export function pairNode(node: NodeMaker, key: ValueNode, value: ValueNode): PairNode {
  return node<PairNode>({ type: "Pair", key, value, range: [key.range[0], Math.max(key.range[1], value.range[1])] });
}
