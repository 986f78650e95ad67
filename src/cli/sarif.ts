import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ESLint, Linter } from "eslint";
import type { Log, Notification, ReportingDescriptor, Result } from "sarif";
import type { RelatedLocation } from "./related.js";
import { positionKey } from "./related.js";

interface SarifContext {
  cwd: string;
  toolName: string;
  version: string;
  informationUri: string;
  rulesMeta: Record<string, { docs?: { description?: string; url?: string } | undefined; type?: string | undefined }>;
  /** The related locations of a result's findings, by position key (the role, the source, the permission). */
  related?: (result: ESLint.LintResult) => Map<string, RelatedLocation[]>;
}

/**
 * SARIF 2.1.0 for code-scanning services: one run, every rule of the plugin as a reporting descriptor
 * with its help URI, each finding as a result, and problems without a rule (parse errors, unused
 * directives) as tool execution notifications.
 */
export function formatSarif(results: ESLint.LintResult[], context: SarifContext): string {
  const srcRoot = pathToFileURL(context.cwd.endsWith(path.sep) ? context.cwd : context.cwd + path.sep).href;
  const ruleIds = Object.keys(context.rulesMeta).sort();
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const meta = context.rulesMeta[id]!;
    return {
      id,
      shortDescription: { text: meta.docs?.description ?? id },
      ...(meta.docs?.url ? { helpUri: meta.docs.url } : {}),
      properties: { tags: meta.type ? [meta.type] : [] },
    };
  });
  const sarifResults: Result[] = [];
  const notifications: Notification[] = [];
  for (const result of results) {
    const relative = path.relative(context.cwd, result.filePath).split(path.sep).map(encodeURIComponent).join("/");
    const related = context.related?.(result);
    for (const message of result.messages) {
      const location = {
        physicalLocation: {
          artifactLocation: { uri: relative, uriBaseId: "%SRCROOT%" },
          region: region(message),
        },
      };
      const level = message.severity === 2 ? "error" : "warning";
      if (message.ruleId && ruleIds.includes(message.ruleId)) {
        const relatedHere = related?.get(positionKey(message.ruleId, message.line, message.column)) ?? [];
        sarifResults.push({
          ruleId: message.ruleId,
          ruleIndex: ruleIds.indexOf(message.ruleId),
          level,
          message: { text: message.message },
          locations: [location],
          ...(relatedHere.length > 0
            ? {
                relatedLocations: relatedHere.map((place, index) => ({
                  id: index,
                  physicalLocation: {
                    artifactLocation: { uri: relative, uriBaseId: "%SRCROOT%" },
                    region: { startLine: place.line, startColumn: place.column, endLine: place.endLine, endColumn: place.endColumn },
                  },
                  message: { text: place.message },
                })),
              }
            : {}),
        });
      } else {
        notifications.push({ level, message: { text: message.message }, locations: [location] });
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

function region(message: Linter.LintMessage): { startLine: number; startColumn: number; endLine?: number; endColumn?: number } {
  const startLine = Math.max(1, message.line);
  const startColumn = Math.max(1, message.column);
  const end =
    message.endLine !== undefined && message.endColumn !== undefined ? { endLine: message.endLine, endColumn: message.endColumn } : {};
  return { startLine, startColumn, ...end };
}
