import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ESLint, Linter } from "eslint";
import type { Log, Notification, ReportingDescriptor, Result } from "sarif";
import { visibleText } from "../language/visible-text.js";
import type { RelatedLocation } from "./related.js";
import { positionKey } from "./related.js";
import { lineHashes } from "./line-hash.js";

interface SarifContext {
  cwd: string;
  toolName: string;
  version: string;
  informationUri: string;
  /** Each rule's meta: its docs (description, url, severity) and type. */
  rulesMeta: Record<string, { docs?: object | undefined; type?: string | undefined }>;
  /** The related locations of a result's findings, by position key (the role, the source, the permission). */
  related?: (result: ESLint.LintResult, root: string) => Map<string, RelatedLocation[]>;
  /** The CDK construct of a result's findings on a synthesized template, by position key. */
  constructs?: (result: ESLint.LintResult) => Map<string, string>;
}

/** The pseudo-rule of a template that cannot be read: a result, so that code scanning shows it where it is. */
const PARSE_ERROR = "lambda-iam/parse-error";

/**
 * What each rule finds, for code scanning: an exposure (more callers or principals than intended: a
 * security problem, with GitHub's security severity, 7.0-8.9 being "high") or a failure (a wiring that
 * does not work: a deployment or invocation that fails, which is a bug, not a vulnerability, so it is
 * tagged "correctness" and has no security severity). Every rule proves what it reports: precision "high".
 */
export const RULE_FINDS: Record<string, { finds: "exposure"; securitySeverity: string } | { finds: "failure" }> = {
  "invoke-permission-scope": { finds: "exposure", securitySeverity: "8.0" },
  "cross-account-trust-scope": { finds: "exposure", securitySeverity: "8.0" },
  "no-shared-execution-role": { finds: "exposure", securitySeverity: "5.0" },
  "cdk-no-shared-role": { finds: "exposure", securitySeverity: "5.0" },
  "least-privilege": { finds: "exposure", securitySeverity: "4.0" },
  "require-invoke-permission": { finds: "failure" },
  "execution-role-trust": { finds: "failure" },
  "function-config-permissions": { finds: "failure" },
  "event-source-permissions": { finds: "failure" },
  "require-policy-dependency": { finds: "failure" },
  "no-ignored-sam-policies": { finds: "failure" },
  "sdk-call-permissions": { finds: "failure" },
  "cross-account-access": { finds: "failure" },
  "cdk-imported-role-grants": { finds: "failure" },
  "cdk-imported-function-permissions": { finds: "failure" },
  "parse-error": { finds: "failure" },
};

/** The rule's documentation as shipped in the package (docs/rules/<name>.md), for GitHub's rule help. */
function ruleDoc(name: string): string | undefined {
  const file = new URL(`../../docs/rules/${name}.md`, import.meta.url);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/** The top of the git repository the directory is in (where `.git` is), or the directory itself. */
function repositoryRoot(directory: string): string {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, ".git"))) return current;
    if (path.dirname(current) === current) return path.resolve(directory);
  }
}

/**
 * SARIF 2.1.0 for code-scanning services (as GitHub renders it): one run, every rule of the plugin as a
 * reporting descriptor with its descriptions, help (text and Markdown, with its docs link), tags and
 * security severity; each finding as a result with a fingerprint that survives unrelated edits and its
 * related locations; a template that cannot be read as a result of its own, and problems without a
 * rule (unused directives) as tool execution notifications.
 */
export function formatSarif(results: ESLint.LintResult[], context: SarifContext): string {
  // Paths are relative to the repository's top, as code scanning resolves them.
  const root = repositoryRoot(context.cwd);
  const srcRoot = pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href;
  const rulesMeta: SarifContext["rulesMeta"] = {
    ...context.rulesMeta,
    [PARSE_ERROR]: {
      docs: { description: "The template cannot be read (a YAML or JSON syntax error, a binary or oversized file)", severity: "error" },
      type: "problem",
    },
  };
  const ruleIds = Object.keys(rulesMeta).sort();
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const meta = rulesMeta[id]!;
    const docs = meta.docs as { description?: string; url?: string; severity?: string } | undefined;
    const description = docs?.description ?? id;
    const url = docs?.url;
    const name = id.replace(/^lambda-iam\//u, "");
    const finds = RULE_FINDS[name] ?? { finds: "failure" };
    const doc = ruleDoc(name);
    return {
      id,
      name,
      shortDescription: { text: description },
      fullDescription: { text: description },
      ...(url ? { helpUri: url } : {}),
      help: {
        text: url ? `${description}. See ${url}` : description,
        markdown: doc ?? (url ? `${description}. [Rule documentation](${url})` : description),
      },
      defaultConfiguration: { level: docs?.severity === "warn" ? "warning" : "error" },
      properties: {
        tags:
          finds.finds === "exposure" ? ["security", ...(meta.type ? [meta.type] : [])] : ["correctness", ...(meta.type ? [meta.type] : [])],
        precision: "high",
        ...(finds.finds === "exposure" ? { "security-severity": finds.securitySeverity } : {}),
      },
    };
  });
  const sarifResults: Result[] = [];
  const notifications: Notification[] = [];
  for (const result of results) {
    const artifact = artifactOf(root, result.filePath);
    const related = context.related?.(result, context.cwd);
    const constructs = context.constructs?.(result);
    const hashes = primaryLocationLineHashes(result);
    for (const message of result.messages) {
      const location = {
        physicalLocation: {
          artifactLocation: artifact,
          region: region(message),
        },
      };
      const level = message.severity === 2 ? "error" : "warning";
      const ruleId = message.fatal && !message.ruleId ? PARSE_ERROR : message.ruleId;
      const text = sarifText(message.message);
      if (message.fatal) notifications.push({ level, message: { text }, locations: [location] });
      if (ruleId && ruleIds.includes(ruleId)) {
        const relatedHere = related?.get(positionKey(ruleId, message.line, message.column)) ?? [];
        const construct = constructs?.get(positionKey(ruleId, message.line, message.column));
        const hash = hashes.get(Math.max(1, message.line));
        // GitHub shows a related location only where the message links to it: `[text](id)`.
        const links = relatedHere.map((place, index) => `[${sarifText(place.message)}](${index})`).join(", ");
        sarifResults.push({
          ruleId,
          ruleIndex: ruleIds.indexOf(ruleId),
          level,
          message: { text: links ? `${text} (see ${links})` : text },
          // On a synthesized template, the CDK construct the finding is on.
          locations: [construct ? { ...location, logicalLocations: [{ fullyQualifiedName: construct, kind: "resource" }] } : location],
          // The one fingerprint code scanning uses, computed as its upload-sarif step would.
          ...(hash ? { partialFingerprints: { primaryLocationLineHash: hash } } : {}),
          ...(relatedHere.length > 0
            ? {
                relatedLocations: relatedHere.map((place, index) => ({
                  id: index,
                  physicalLocation: {
                    artifactLocation: place.file ? artifactOf(root, place.file) : artifact,
                    region: { startLine: place.line, startColumn: place.column, endLine: place.endLine, endColumn: place.endColumn },
                  },
                  message: { text: sarifText(place.message) },
                })),
              }
            : {}),
        });
      } else if (!message.fatal) {
        notifications.push({ level, message: { text }, locations: [location] });
      }
    }
  }
  const log: Log = {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: {
          driver: { name: context.toolName, version: context.version, informationUri: context.informationUri, rules },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: srcRoot } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

/**
 * A message as SARIF plain text: controls made visible, and square brackets escaped (SARIF 3.11.6), so
 * that a name such as `[text](1)` from a template stays text instead of becoming an embedded link.
 */
function sarifText(message: string): string {
  return visibleText(message).replace(/[[\]]/gu, "\\$&");
}

/** A file's URI relative to the source root. */
function uriOf(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).map(encodeURIComponent).join("/");
}

/** A file's location: relative to the source root when inside it, else its absolute file URI. */
function artifactOf(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative)
    ? { uri: pathToFileURL(file).href }
    : { uri: uriOf(cwd, file), uriBaseId: "%SRCROOT%" };
}

/** The line hashes of a linted file's result lines; none for a file that cannot be read. */
function primaryLocationLineHashes(result: ESLint.LintResult): Map<number, string> {
  const lines = new Set(result.messages.map((message) => Math.max(1, message.line)));
  if (lines.size === 0) return new Map();
  // upload-sarif hashes the file as it is on disk, read as UTF-8.
  let text: string | undefined;
  try {
    text = readFileSync(result.filePath, "utf8");
  } catch {
    text = result.source;
  }
  return text === undefined ? new Map() : lineHashes(text, lines);
}

function region(message: Linter.LintMessage): { startLine: number; startColumn: number; endLine?: number; endColumn?: number } {
  const startLine = Math.max(1, message.line);
  const startColumn = Math.max(1, message.column);
  const end =
    message.endLine !== undefined && message.endColumn !== undefined ? { endLine: message.endLine, endColumn: message.endColumn } : {};
  return { startLine, startColumn, ...end };
}
