import type { SourceLocation } from "../language/ast.js";

/** Where a finding points: any syntax node (or a piece of one). */
export interface Located {
  range: [number, number];
  loc: SourceLocation;
}

/** What an analyzer proved, ready for a rule to report. */
export interface Finding<MessageId extends string = string> {
  messageId: MessageId;
  data: Record<string, string>;
  at: Located;
  /** Other places that explain the finding (the role, the other functions), for SARIF and editors. */
  related: Array<{ at: Located; message: string }>;
}
