import { partsDisplay } from "../template/interpolation.js";
import type { Analysis } from "./analysis.js";
import type { Statement } from "./iam/policy.js";
import type { LambdaFunction } from "./wiring/functions.js";

/** What a function may do and who may make it run, each as one line of text that a change adds or removes. */
export interface FunctionAccess {
  function: string;
  /** What its execution role grants and denies: "dynamodb:GetItem on ${Orders.Arn}". */
  grants: string[];
  /** Who may invoke it by a resource-based permission: "sns.amazonaws.com from ${Topic}". */
  invokers: string[];
  /** What it reads through event source mappings: "an SQS event source mapping: ${Jobs.Arn}". */
  eventSources: string[];
  /** How anyone may reach it: a public URL, a permission for Principal "*". */
  exposure: string[];
}

/** Every function of a template with its access, for comparing two revisions of the template. */
export function accessSummary(analysis: Analysis): FunctionAccess[] {
  const { wiring, iam } = analysis;
  return analysis.functions.map((fn) => {
    const grants = new Set<string>();
    for (const candidate of fn.candidates)
      for (const statement of iam.roleOf(fn, candidate).permissions.statements)
        for (const line of statementLines(statement)) grants.add(line);
    const permissions = wiring.permissions.filter((permission) => isOf(permission.target, fn) && permission.effect === "Allow");
    const invokers = permissions
      .filter((permission) => permission.principal !== "*")
      .map(
        (permission) =>
          `${permission.principal ?? "(a principal that cannot be read)"} ${scope(permission.sourceArn, permission.sourceAccount)}`,
      );
    const exposure = [
      ...permissions
        .filter((permission) => permission.principal === "*")
        .map(
          (permission) =>
            `${permission.name} lets anyone (Principal "*") invoke it${permission.invokedViaFunctionUrl ? " through its URL" : ""}`,
        ),
      ...wiring.publicUrls.filter((url) => url.fn === fn).map((url) => `function URL ${url.name} (AuthType NONE)`),
    ];
    const eventSources = wiring.eventSourceMappings
      .filter((mapping) => mapping.fn === fn)
      .map((mapping) => `${mapping.facts.label}: ${mapping.source ? display(analysis, mapping.source) : "(a source that cannot be read)"}`);
    return {
      function: fn.logicalId,
      grants: [...grants].sort(),
      invokers: [...new Set(invokers)].sort(),
      eventSources: [...new Set(eventSources)].sort(),
      exposure: [...new Set(exposure)].sort(),
    };
  });
}

function isOf(target: { kind: string; fn?: LambdaFunction }, fn: LambdaFunction): boolean {
  return target.kind === "function" && target.fn === fn;
}

function scope(sourceArn: unknown, sourceAccount: unknown): string {
  if (sourceArn) return "from one source (SourceArn)";
  return sourceAccount ? "from one account (SourceAccount)" : "from any source";
}

function display(analysis: Analysis, expr: Parameters<Analysis["values"]["parts"]>[0]): string {
  const parts = analysis.values.parts(expr);
  return parts ? partsDisplay(parts) : "(a value that cannot be read)";
}

/** "grants s3:GetObject on arn:aws:s3:::docs/*", one per action and resource, with what makes it conditional. */
function statementLines(statement: Statement): string[] {
  const verb = statement.effect === "Allow" ? "" : "denies ";
  const texts = (list: Array<{ text: string } | { unknown: string }>) =>
    list.map((entry) => ("text" in entry ? entry.text : `(${entry.unknown})`));
  const actions = texts(statement.actions).map((action) => (statement.notAction ? `every action but ${action}` : action));
  const resources = texts(statement.resources).map((resource) => (statement.notResource ? `every resource but ${resource}` : resource));
  // Where the statement is written is not what it grants: a statement moved or renamed is no change.
  const condition = statement.uncertainty ? " (under a condition)" : "";
  return actions.flatMap((action) => resources.map((resource) => `${verb}${action} on ${resource}${condition}`));
}
