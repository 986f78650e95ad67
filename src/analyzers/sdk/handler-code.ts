import { constructPath } from "../../template/cdk.js";
import type { Subject } from "../finding.js";
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
  /** What a function's template sees of the repository: one workspace per account it deploys to (its account, other templates). */
  workspacesOf(template: WorkspaceTemplate): Workspace[];
  /**
   * The other templates that may deploy to the same account as this one (its account's, when the
   * settings or a CDK manifest say; else every other template of the project): their resource
   * policies may allow a call too.
   */
  neighboursOf(template: WorkspaceTemplate): WorkspaceTemplate[];
}

/** What a check of handler code proved, placed at the code it is about. */
export interface CodeFinding<MessageId extends string = string> {
  messageId: MessageId;
  data: Record<string, string>;
  range: CodeRange;
  /** The function and role it is about, for the outputs that draw the wiring. */
  subject?: Subject;
  /** The AWS CDK construct of the function it is about, when its template was synthesized: where the user acts. */
  construct?: string;
}

/** Findings about a function, naming its CDK construct when its template was synthesized. */
export function aboutFunction<MessageId extends string>(
  fn: LambdaFunction,
  findings: Array<CodeFinding<MessageId>>,
): Array<CodeFinding<MessageId>> {
  const construct = constructPath(fn.resource);
  return construct === undefined ? findings : findings.map((finding) => ({ ...finding, construct }));
}
