import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ESLint, Linter } from "eslint";
import type { Log, Notification, ReportingDescriptor, Result } from "sarif";
import { visibleText } from "../language/visible-text.js";
import type { RelatedLocation } from "./related.js";
import { positionKey } from "./related.js";

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
 * GitHub's security severity (0-10) by the rule's recommended severity: a wiring that cannot work, or one
 * wider than it must be.
 */
const SECURITY_SEVERITY: Record<string, string> = { error: "7.5", warn: "4.0" };

/**
 * SARIF 2.1.0 for code-scanning services (as GitHub renders it): one run, every rule of the plugin as a
 * reporting descriptor with its descriptions, help (text and Markdown, with its docs link), tags and
 * security severity; each finding as a result with a fingerprint that survives unrelated edits and its
 * related locations; a template that cannot be read as a result of its own, and problems without a
 * rule (unused directives) as tool execution notifications.
 */
export function formatSarif(results: ESLint.LintResult[], context: SarifContext): string {
  const srcRoot = pathToFileURL(context.cwd.endsWith(path.sep) ? context.cwd : context.cwd + path.sep).href;
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
    return {
      id,
      name: id.replace(/^lambda-iam\//u, ""),
      shortDescription: { text: description },
      fullDescription: { text: description },
      ...(url ? { helpUri: url } : {}),
      help: {
        text: url ? `${description}. See ${url}` : description,
        markdown: url ? `${description}. [Rule documentation](${url})` : description,
      },
      defaultConfiguration: { level: docs?.severity === "warn" ? "warning" : "error" },
      properties: {
        tags: ["security", ...(meta.type ? [meta.type] : [])],
        "security-severity": SECURITY_SEVERITY[docs?.severity ?? "error"] ?? "7.5",
      },
    };
  });
  const sarifResults: Result[] = [];
  const notifications: Notification[] = [];
  for (const result of results) {
    const relative = uriOf(context.cwd, result.filePath);
    const related = context.related?.(result, context.cwd);
    const constructs = context.constructs?.(result);
    // The same message twice in a file (a finding per Fn::If branch, say) is told apart by its order.
    const seen = new Map<string, number>();
    for (const message of result.messages) {
      const location = {
        physicalLocation: {
          artifactLocation: { uri: relative, uriBaseId: "%SRCROOT%" },
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
        sarifResults.push({
          ruleId,
          ruleIndex: ruleIds.indexOf(ruleId),
          level,
          message: { text },
          // On a synthesized template, the CDK construct the finding is on.
          locations: [construct ? { ...location, logicalLocations: [{ fullyQualifiedName: construct, kind: "resource" }] } : location],
          // Stable across edits elsewhere in the file: the rule, the file and what the message names, not its line.
          partialFingerprints: {
            "lambdaIam/v1": fingerprint(ruleId, relative, message.message, occurrence(seen, `${ruleId} ${message.message}`)),
          },
          ...(relatedHere.length > 0
            ? {
                relatedLocations: relatedHere.map((place, index) => ({
                  id: index,
                  physicalLocation: {
                    artifactLocation: place.file ? artifactOf(context.cwd, place.file) : { uri: relative, uriBaseId: "%SRCROOT%" },
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

function fingerprint(ruleId: string, file: string, message: string, occurrence: number): string {
  return createHash("sha256").update(`${ruleId}\u0000${file}\u0000${message}\u0000${occurrence}`).digest("hex").slice(0, 32);
}

function occurrence(seen: Map<string, number>, key: string): number {
  const count = seen.get(key) ?? 0;
  seen.set(key, count + 1);
  return count;
}

function region(message: Linter.LintMessage): { startLine: number; startColumn: number; endLine?: number; endColumn?: number } {
  const startLine = Math.max(1, message.line);
  const startColumn = Math.max(1, message.column);
  const end =
    message.endLine !== undefined && message.endColumn !== undefined ? { endLine: message.endLine, endColumn: message.endColumn } : {};
  return { startLine, startColumn, ...end };
}
