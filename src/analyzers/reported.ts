/**
 * What a rule knew when it reported a finding and ESLint's message cannot carry: the places the finding
 * is about (the role, the source, the permission) and, on a synthesized template, the construct. The CLI
 * collects them during its own lint, so that SARIF shows them as computed with the user's options and
 * accounts; elsewhere (an editor's long-lived ESLint) nothing is kept.
 */
import type { Subject } from "./finding.js";

export interface ReportedExtras {
  /** `file`: another file than the finding's (one cfn-include includes), as an absolute path. */
  related: Array<{ file?: string; line: number; column: number; endLine: number; endColumn: number; message: string }>;
  /** The construct path of the resource the finding is on (`OrdersStack/Worker`), on a synthesized template. */
  construct?: string;
  /** That resource's `aws:cdk:path` metadata, which CDK's creation stacks are keyed by. */
  cdkPath?: string;
  /** What findings at this place are about, for the picture (handler code's: the function and the role that signs). */
  subjects?: Subject[];
}

/** By file, then by the message's position key (its rule, line and column). */
export type ReportedByFile = Map<string, Map<string, ReportedExtras>>;

let collector: ReportedByFile | undefined;

/** Starts collecting (the CLI, before it lints in this thread) and returns where the extras go. */
export function collectReported(): ReportedByFile {
  collector = new Map();
  return collector;
}

export function stopCollecting(): void {
  collector = undefined;
}

/** The key a finding and the ESLint message it became share: its rule and where it starts. */
export function positionKey(ruleId: string, line: number, column: number): string {
  return `${ruleId}:${line}:${column}`;
}

export function recordReported(file: string, key: string, extras: ReportedExtras): void {
  if (!collector) return;
  let byKey = collector.get(file);
  if (!byKey) collector.set(file, (byKey = new Map()));
  const known = byKey.get(key);
  byKey.set(
    key,
    known
      ? { ...known, related: [...known.related, ...extras.related], subjects: [...(known.subjects ?? []), ...(extras.subjects ?? [])] }
      : extras,
  );
}
