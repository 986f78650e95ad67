import type { SourceLocation, ValueNode } from "../language/ast.js";

/**
 * Syntax nodes for JSON that is not in the file (an AWS managed policy, a SAM policy template), placed
 * at the node that brought it in, so that the template model reads it like any template value and
 * findings point at the reference.
 */
export function syntheticNode(value: unknown, at: { range: [number, number]; loc: SourceLocation }): ValueNode {
  const base = { range: at.range, loc: at.loc };
  if (Array.isArray(value)) return { type: "Sequence", items: value.map((item) => syntheticNode(item, at)), ...base };
  if (value !== null && typeof value === "object") {
    return {
      type: "Mapping",
      pairs: Object.entries(value).map(([key, item]) => ({
        type: "Pair" as const,
        key: syntheticNode(key, at),
        value: syntheticNode(item, at),
        ...base,
      })),
      ...base,
    };
  }
  const scalar = value === undefined ? null : (value as string | number | boolean | null);
  return { type: "Scalar", value: scalar, source: scalar === null ? "" : String(scalar), quoted: typeof scalar === "string", ...base };
}
