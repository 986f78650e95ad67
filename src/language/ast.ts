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
