import type { SourceLocation } from "../language/ast.js";

/** Where a finding points: any syntax node (or a piece of one). */
export interface Located {
  range: [number, number];
  loc: SourceLocation;
}

/** A replacement of a range of the file's text. */
export interface TextEdit {
  range: [number, number];
  text: string;
}

/** Edits a user may apply together to fix a finding (an ESLint suggestion), with its description's message and data. */
export interface Suggestion {
  messageId: string;
  data: Record<string, string>;
  /** Non-overlapping edits, applied as one. */
  edits: TextEdit[];
}

/**
 * What a finding is about, by logical ID (or, for a feature, its label in the model): outputs that
 * place findings on the wiring (the picture) key on it, never on the message or its data.
 */
export type Subject =
  /** The trust of the functions' execution role. */
  | { kind: "trust"; functions: string[] }
  /** What a function's configuration needs of its role (logs, VPC, tracing, a dead-letter queue, a destination). */
  | { kind: "feature"; function: string; feature: string }
  | { kind: "mapping"; mapping: string }
  | { kind: "invoker"; invoker: string }
  | { kind: "url"; url: string }
  /**
   * What a function's code needs of a role that signs its calls (its execution role, or one it assumes):
   * the function by its template's file and logical ID, the role by its key in the picture.
   */
  | { kind: "call"; template: string; function: string; role: { key: string; label: string }; needs: string };

/** What an analyzer proved, ready for a rule to report. */
export interface Finding<MessageId extends string = string> {
  messageId: MessageId;
  data: Record<string, string>;
  /** What it is about, for the outputs that draw the wiring; unset where no edge of the wiring is its subject. */
  subject?: Subject;
  at: Located;
  /** Other places that explain the finding (the role, the other functions), for SARIF and editors. */
  related: Array<{ at: Located; message: string }>;
  suggestions?: Suggestion[];
}

/** Names listed in a message before the rest are counted: "A, B, C, D, E and 9 more". */
const LISTED_NAMES = 5;

/** "A", "A and B", "A, B and C", "A, B, C, D, E and 9 more". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  if (names.length > LISTED_NAMES + 1) {
    return `${names.slice(0, LISTED_NAMES).join(", ")} and ${names.length - LISTED_NAMES} more`;
  }
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
