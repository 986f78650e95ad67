import { YAMLMap, YAMLSeq, parseDocument } from "yaml";
import type { CollectionTag, ScalarTag } from "yaml";
import type { ValueNode } from "../../src/language/ast.js";
import { resolveAlias } from "../../src/language/ast.js";
import { keyText } from "../../src/template/expr.js";

/**
 * Plain values for comparing parsers: mappings as objects, sequences as arrays, a tagged node as
 * `{"!Tag": value}`, and every scalar as the text the template model reads.
 */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** Our tree as the template model reads it: strings by their text, other scalars by their value. */
export function plainOfTree(node: ValueNode): Plain {
  return toPlain(node, (scalar) => (typeof scalar.value === "string" ? scalar.source : scalar.value));
}

/** Our tree with every scalar as its text (`0123`, `True`, `~` as written), as a loader without types reads it. */
export function textOfTree(node: ValueNode): Plain {
  return toPlain(node, (scalar) => scalar.source);
}

function toPlain(root: ValueNode, scalarOf: (node: Extract<ValueNode, { type: "Scalar" }>) => Plain): Plain {
  const convert = (input: ValueNode): Plain => {
    const node = input.type === "Alias" ? input.target : input;
    let value: Plain;
    if (node.type === "Mapping") {
      const object: Record<string, Plain> = {};
      for (const pair of node.pairs) object[keyOf(pair.key)] = convert(pair.value);
      value = object;
    } else if (node.type === "Sequence") value = node.items.map(convert);
    else if (node.type === "Scalar") value = scalarOf(node);
    else value = convert(node.target);
    return isLocalTag(node.tag) ? { [node.tag]: value } : value;
  };
  return convert(root);
}

function isLocalTag(tag: string | undefined): tag is string {
  return tag !== undefined && tag.startsWith("!") && !tag.startsWith("!!");
}

/** A key as the model reads it; a key that is a collection as the reference names it (JavaScript's `String`). */
function keyOf(key: ValueNode): string {
  return keyText(key) ?? (resolveAlias(key).type === "Scalar" ? "" : String({}));
}

/** Every local tag (`!Name`) written in a text, so that a reference loader can declare them all. */
function localTagsIn(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/(?<![^\s[{,:-])!([A-Za-z][\w:.-]*)/gu), (match) => `!${match[1]}`))];
}

/**
 * The `yaml` library's own `toJS`, with every local tag of the text declared so that tagged nodes come out
 * as `{"!Tag": value}`. Undefined when the library reports an error (the file is not YAML it accepts).
 */
export function referenceValue(text: string): { value: Plain } | undefined {
  const customTags = localTagsIn(text).flatMap((tag): Array<ScalarTag | CollectionTag> => [
    { tag, resolve: (value: string) => ({ [tag]: value }) as unknown as string },
    { tag, collection: "seq", nodeClass: taggedCollection(YAMLSeq, tag), resolve: (seq) => seq },
    { tag, collection: "map", nodeClass: taggedCollection(YAMLMap, tag), resolve: (map) => map },
  ]);
  const document = parseDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    customTags,
    prettyErrors: false,
  });
  if (document.errors.length > 0) return undefined;
  return { value: document.toJS({ maxAliasCount: -1 }) as Plain };
}

/** A collection class whose `toJS` wraps its value in `{"!Tag": value}`. */
function taggedCollection(base: typeof YAMLMap | typeof YAMLSeq, tag: string): CollectionTag["nodeClass"] {
  const Base = base as typeof YAMLSeq;
  const Tagged = class extends Base {
    override toJSON(key?: unknown, context?: Parameters<YAMLSeq["toJSON"]>[1]): unknown[] {
      // The library types a sequence's JSON as an array; the wrapper is what the comparison wants.
      return { [tag]: super.toJSON(key, context) } as unknown as unknown[];
    }
  };
  return Tagged as unknown as CollectionTag["nodeClass"];
}

/** The first path at which two plain values differ, or undefined when they are equal. */
export function firstDifference(ours: Plain, theirs: Plain, path = "$"): string | undefined {
  if (Array.isArray(ours) || Array.isArray(theirs)) {
    if (!Array.isArray(ours) || !Array.isArray(theirs)) return `${path}: ${describe(ours)} vs ${describe(theirs)}`;
    if (ours.length !== theirs.length) return `${path}: ${ours.length} items vs ${theirs.length}`;
    for (let i = 0; i < ours.length; i++) {
      const difference = firstDifference(ours[i]!, theirs[i]!, `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isObject(ours) || isObject(theirs)) {
    if (!isObject(ours) || !isObject(theirs)) return `${path}: ${describe(ours)} vs ${describe(theirs)}`;
    const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
    for (const key of keys) {
      if (!(key in ours)) return `${path}.${key}: missing in ours`;
      if (!(key in theirs)) return `${path}.${key}: missing in the reference`;
      const difference = firstDifference(ours[key]!, theirs[key]!, `${path}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  return Object.is(ours, theirs) || ours === theirs ? undefined : `${path}: ${describe(ours)} vs ${describe(theirs)}`;
}

function isObject(value: Plain): value is { [key: string]: Plain } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: Plain): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
