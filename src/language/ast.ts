/**
 * The syntax tree that rules see. It is independent of the YAML library: every node has a `type`, a
 * `range` (offsets into the text, starting at a tag's `!` when the node is tagged) and a `loc` (1-based
 * lines and columns).
 */

export interface Position {
  line: number;
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

interface BaseNode {
  range: [number, number];
  loc: SourceLocation;
  /** The YAML tag as written, e.g. `!GetAtt`, or undefined when untagged. */
  tag?: string;
}

export interface MappingNode extends BaseNode {
  type: "Mapping";
  pairs: PairNode[];
}

export interface PairNode extends BaseNode {
  type: "Pair";
  key: ValueNode;
  value: ValueNode;
}

export interface SequenceNode extends BaseNode {
  type: "Sequence";
  items: ValueNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode extends BaseNode {
  type: "Scalar";
  value: ScalarValue;
  /** The scalar's text as written (without quotes), so `0123` keeps its leading zero. */
  source: string;
  quoted: boolean;
}

/** A YAML alias (`*name`). Traversal treats it as a leaf; the template model follows `target`. */
export interface AliasNode extends BaseNode {
  type: "Alias";
  name: string;
  target: ValueNode;
}

export type ValueNode = MappingNode | SequenceNode | ScalarNode | AliasNode;

export interface DocumentNode extends BaseNode {
  type: "Document";
  body: ValueNode | null;
  /** False for YAML/JSON that is not a CloudFormation or SAM template: such files get no findings. */
  isTemplate: boolean;
}

export type AnyNode = DocumentNode | PairNode | ValueNode;

export interface CommentToken {
  type: "Comment";
  /** The text after `#`. */
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

export const visitorKeys: Record<AnyNode["type"], string[]> = {
  Document: ["body"],
  Mapping: ["pairs"],
  Pair: ["key", "value"],
  Sequence: ["items"],
  Scalar: [],
  Alias: [],
};

/** Follows aliases to the node they stand for. */
export function resolveAlias(node: ValueNode): Exclude<ValueNode, AliasNode> {
  let current = node;
  while (current.type === "Alias") current = current.target;
  return current;
}

/**
 * A mapping's entries with YAML merge keys applied (`<<: *base`, or `<<: [*a, *b]`), as `sam deploy` and
 * `aws cloudformation package` read them: keys written in the mapping win over merged ones, and an earlier
 * merged mapping wins over a later one.
 */
export function mergedPairs(mapping: MappingNode): PairNode[] {
  if (!mapping.pairs.some(isMergeKey)) return mapping.pairs;
  const own = mapping.pairs.filter((pair) => !isMergeKey(pair));
  const seen = new Set(own.map((pair) => pairKey(pair)));
  const merged = [...own];
  for (const pair of mapping.pairs.filter(isMergeKey)) {
    const value = resolveAlias(pair.value);
    const sources = value.type === "Sequence" ? value.items.map(resolveAlias) : [value];
    for (const source of sources) {
      if (source.type !== "Mapping") continue;
      for (const entry of mergedPairs(source)) {
        const key = pairKey(entry);
        if (seen.has(key)) continue;
        seen.add(key);
        merged.push(entry);
      }
    }
  }
  return merged;
}

function isMergeKey(pair: PairNode): boolean {
  const key = resolveAlias(pair.key);
  return key.type === "Scalar" && !key.quoted && !key.tag && key.source === "<<";
}

function pairKey(pair: PairNode): string | undefined {
  const key = resolveAlias(pair.key);
  return key.type === "Scalar" ? key.source : undefined;
}
