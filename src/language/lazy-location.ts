import type { PairNode, SourceLocation, ValueNode } from "./ast.js";
import type { LineIndex } from "./locations.js";

type Unlocated<T> = T extends unknown ? Omit<T, "loc"> : never;

/** Makes the syntax tree's nodes of one file. */
export type NodeMaker = <T extends ValueNode | PairNode>(fields: Unlocated<T>) => T;

/**
 * Nodes whose `loc` is computed from `range` when it is read (a getter on their prototype): a large
 * template has millions of nodes, positions are 28% of their memory, and only reported nodes need them.
 */
export function lazyLocation(lines: LineIndex): NodeMaker {
  const prototype = Object.defineProperty({}, "loc", {
    get(this: { range: [number, number] }): SourceLocation {
      return lines.location(this.range[0], this.range[1]);
    },
  });
  return <T extends ValueNode | PairNode>(fields: Unlocated<T>) =>
    Object.assign(Object.create(prototype) as object, fields) as unknown as T;
}
