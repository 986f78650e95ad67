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

/** What an analyzer proved, ready for a rule to report. */
export interface Finding<MessageId extends string = string> {
  messageId: MessageId;
  data: Record<string, string>;
  at: Located;
  /** Other places that explain the finding (the role, the other functions), for SARIF and editors. */
  related: Array<{ at: Located; message: string }>;
  suggestions?: Suggestion[];
}
