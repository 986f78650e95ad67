import type { LambdaFunction } from "../wiring/functions.js";
import type { Workspace, WorkspaceTemplate } from "../workspace.js";
import type { CodeRange, SdkUsage } from "./calls.js";

/** A function of a template that runs a piece of handler code. */
export interface Runner {
  template: WorkspaceTemplate;
  fn: LambdaFunction;
}

/**
 * A handler file as the code checks see it, whatever its language: its SDK usage, and which functions
 * of the project run each piece of it (found by the handlers layer, which reads the files).
 */
export interface HandlerCode {
  usage: SdkUsage;
  /** The templates searched for the functions that run the file, as messages name them. */
  templates: string[];
  /** Whether any function runs the file at all. */
  isRun: boolean;
  /** The functions whose handlers reach the code at an offset. */
  runnersAt(offset: number): Runner[];
  /** What a function's template sees of the repository (its account, other templates). */
  workspaceOf(template: WorkspaceTemplate): Workspace;
}

/** What a check of handler code proved, placed at the code it is about. */
export interface CodeFinding<MessageId extends string = string> {
  messageId: MessageId;
  data: Record<string, string>;
  range: CodeRange;
}
