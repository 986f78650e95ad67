import type { ValueNode } from "../language/ast.js";
import type { Expr } from "./expr.js";
import { entryOf, literalText } from "./expr.js";
import type { Resource } from "./types.js";

/** One entry of a SAM function's `Events`. */
export interface SamEvent {
  /** The event's key under `Events`. */
  name: string;
  /** Where the event is written: findings about what SAM generates for it point there. */
  key: ValueNode;
  /** Its literal `Type` (`SQS`, `S3`, `Schedule`, ...), undefined when not a plain string. */
  type: string | undefined;
  properties: Expr | undefined;
  node: ValueNode;
}

/**
 * The events of a SAM function, the one walk of `Events` that the wiring and the generated role share.
 * `readable` is false when `Events` is there but is not a plain mapping (an include, say): what SAM
 * generates for it is then unknown.
 */
export function samEvents(resource: Resource): { events: SamEvent[]; readable: boolean } {
  if (resource.type !== "AWS::Serverless::Function") return { events: [], readable: true };
  const events = entryOf(resource.properties, "Events");
  if (!events) return { events: [], readable: true };
  if (events.kind !== "object") return { events: [], readable: false };
  return {
    events: [...events.entries].map(([name, { key, value }]) => ({
      name,
      key,
      type: literalText(entryOf(value, "Type")),
      properties: entryOf(value, "Properties"),
      node: value.node,
    })),
    readable: true,
  };
}
