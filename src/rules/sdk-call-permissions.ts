import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { SdkCall } from "../analyzers/checks/sdk-call-permissions.js";
import { sdkCallGaps } from "../analyzers/checks/sdk-call-permissions.js";
import { listNames } from "../analyzers/finding.js";
import type { LoadedTemplate } from "../handlers/template-cache.js";
import { TEMPLATES_OPTION, displayPath as displayName, functionsRunning, matchesRunning } from "../handlers/matches.js";
import { sdkUsageReader } from "../handlers/sdk-usage.js";
import { ruleDocsUrl } from "./create-rule.js";

type Options = [{ templates?: string[]; reportUnmatchedHandler?: boolean; reportUnmappedCommands?: boolean }];
type MessageIds = "notAllowed" | "denied" | "unmatchedHandler" | "unmappedCommand";

// A plain rule object: ESLint (9.15+) applies meta.defaultOptions itself, so no rule creator is loaded.
const rule: TSESLint.RuleModule<MessageIds, Options, { recommended: boolean; severity: "error" | "warn"; sources: string[] }> = {
  meta: {
    type: "problem",
    docs: {
      description: "Require the execution role of every function that runs this handler to allow its AWS SDK v3 calls",
      url: ruleDocsUrl("sdk-call-permissions"),
      recommended: true,
      severity: "error",
      sources: ["https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"],
    },
    messages: {
      notAllowed: "{{function}}'s role {{role}} does not allow {{action}} on {{resource}} ({{template}}:{{line}}); {{allowed}}",
      denied: "{{function}}'s role {{role}} explicitly denies {{action}} on {{resource}} in {{statement}} ({{template}}:{{line}})",
      unmatchedHandler: "No function in {{templates}} runs this file, so its AWS SDK calls cannot be checked",
      unmappedCommand: "{{command}} of {{package}} is not in the SDK-to-IAM data, so its permissions cannot be checked",
    },
    schema: [
      {
        type: "object",
        properties: {
          templates: TEMPLATES_OPTION,
          reportUnmatchedHandler: { type: "boolean", description: "Report a file with SDK calls that no function of the template runs" },
          reportUnmappedCommands: {
            type: "boolean",
            description: "Report, once per command, SDK commands whose IAM actions are not known",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ reportUnmatchedHandler: false, reportUnmappedCommands: false }],
  },
  create(context) {
    const [options] = context.options;
    const unmapped = new Set<string>();
    const reader = sdkUsageReader((node, packageName, command) => {
      if (!options.reportUnmappedCommands || unmapped.has(`${packageName}:${command}`)) return;
      unmapped.add(`${packageName}:${command}`);
      context.report({ node, messageId: "unmappedCommand", data: { command, package: packageName } });
    });

    const settings = (context.settings as { "lambda-iam"?: { templates?: string[] } })["lambda-iam"];
    const configuredTemplates = options.templates ?? settings?.templates;

    const displayPath = (file: string) => displayName(context.cwd, file);

    return {
      ...reader.listeners,
      "Program:exit"(program) {
        // Calls signed with other credentials (an assumed role's) are not the execution role's to allow.
        const calls = reader.usage().calls.filter((found) => found.credentials === "execution-role");
        if (calls.length === 0) return;
        const { templates, matches } = functionsRunning(context.filename, configuredTemplates, context.cwd);
        if (matches.length === 0) {
          if (options.reportUnmatchedHandler) {
            const names = templates.map((template) => displayPath(template.file)).join(", ") || "no template (none found above this file)";
            context.report({ node: program, loc: { line: 1, column: 0 }, messageId: "unmatchedHandler", data: { templates: names } });
          }
          return;
        }
        for (const { node, call, owner } of calls) {
          for (const { template, fn } of matchesRunning(matches, owner)) reportGaps(template, fn, node, call);
        }
      },
    };

    function reportGaps(template: LoadedTemplate, fn: (typeof template.analysis.functions)[number], node: TSESTree.Node, call: SdkCall) {
      const where = { template: displayPath(template.file), line: String(fn.resource.node.loc.start.line) };
      for (const candidate of fn.candidates) {
        for (const gap of sdkCallGaps(template.analysis, fn, candidate, call)) {
          const { role, action, resource } = gap;
          if (gap.deniedBy) {
            context.report({
              node,
              messageId: "denied",
              data: { function: fn.logicalId, role, action, resource, template: where.template, line: where.line, statement: gap.deniedBy },
            });
          } else {
            const service = gap.action.split(":")[0];
            const allowed = gap.allowed.length > 0 ? `it allows ${listNames(gap.allowed)}` : `it allows no ${service} action`;
            context.report({
              node,
              messageId: "notAllowed",
              data: { function: fn.logicalId, role, action, resource, template: where.template, line: where.line, allowed },
            });
          }
        }
      }
    }
  },
};

export default rule;
