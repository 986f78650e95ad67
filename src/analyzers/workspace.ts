import type { Analysis } from "./analysis.js";

/**
 * The other templates of the repository, for checks that span accounts. ESLint lints one file at a
 * time: the rule gives the analyzer this view, read through a cache that re-reads a changed file.
 */
export interface Workspace {
  /** The account this template deploys to, when the accounts setting or a CDK assembly says. */
  readonly account: string | undefined;
  /**
   * The templates other than this one that deploy to an account, each named as messages show it;
   * undefined when one of that account's templates cannot be read, so that what it holds is unknown.
   */
  templatesIn(account: string): WorkspaceTemplate[] | undefined;
  /** The other template deployed as the stack of that name in an account, when exactly one is. */
  stack(account: string, stackName: string): WorkspaceTemplate | undefined;
}

export interface WorkspaceTemplate {
  /** The path relative to the working directory. */
  file: string;
  analysis: Analysis;
}

/** No other template known, no account: every cross-account question stays unknown. */
export const NO_WORKSPACE: Workspace = { account: undefined, templatesIn: () => [], stack: () => undefined };
