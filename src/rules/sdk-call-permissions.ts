import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { SdkCall } from "../analyzers/checks/sdk-call-permissions.js";
import { sdkCallGaps, sdkCallGapsAs } from "../analyzers/checks/sdk-call-permissions.js";
import type { AccountMap } from "../handlers/accounts.js";
import { assumedRole } from "../handlers/assumed-roles.js";
import type { Resource } from "../template/types.js";
import { listNames } from "../analyzers/finding.js";
import type { LoadedTemplate } from "../handlers/project-files.js";
import { ProjectFiles } from "../handlers/project-files.js";
import { TEMPLATES_OPTION, functionsRunning, matchesRunning } from "../handlers/matches.js";
import { sdkUsageReader } from "../handlers/sdk-usage.js";
import { visibleData } from "../language/visible-text.js";
import { NOT_READ_MESSAGES, reportRefusals, ruleDocsUrl } from "./create-rule.js";

type Options = [{ templates?: string[]; reportUnmatchedHandler?: boolean; reportUnmappedCommands?: boolean }];
type MessageIds = "notAllowed" | "denied" | "assumedNotAllowed" | "assumedDenied" | "unmatchedHandler" | "unmappedCommand" | "notRead";

// A plain rule object: ESLint (9.15+) applies meta.defaultOptions itself, so no rule creator is loaded.
const rule: TSESLint.RuleModule<MessageIds, Options, { recommended: boolean; severity: "error" | "warn"; sources: string[] }> = {
  meta: {
    type: "problem",
    docs: {
      description: "Require the execution role of every function that runs this handler to allow its AWS SDK v3 calls",
      url: ruleDocsUrl("sdk-call-permissions"),
      recommended: true,
      severity: "error",
      sources: [
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html",
      ],
    },
    messages: {
      notAllowed: "{{function}}'s role {{role}} does not allow {{action}} on {{resource}} ({{template}}:{{line}}); {{allowed}}",
      denied: "{{function}}'s role {{role}} explicitly denies {{action}} on {{resource}} in {{statement}} ({{template}}:{{line}})",
      assumedNotAllowed:
        "{{function}} calls {{action}} on {{resource}} as {{role}}, the role its code assumes ({{template}}:{{line}}), which does not allow it; {{allowed}}",
      assumedDenied:
        "{{function}} calls {{action}} on {{resource}} as {{role}}, the role its code assumes ({{template}}:{{line}}), which denies it in {{statement}}",
      unmatchedHandler: "No function in {{templates}} runs this file, so its AWS SDK calls cannot be checked",
      unmappedCommand: "{{command}} of {{package}} is not in the SDK-to-IAM data, so its permissions cannot be checked",
      ...NOT_READ_MESSAGES,
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
      context.report({ node, messageId: "unmappedCommand", data: visibleData({ command, package: packageName }) });
    });

    const settings = (context.settings as { "lambda-iam"?: { templates?: string[]; accounts?: AccountMap } })["lambda-iam"];
    const configuredTemplates = options.templates ?? settings?.templates;

    const files = new ProjectFiles(context.cwd);
    const displayPath = (file: string) => files.display(file);

    return {
      ...reader.listeners,
      "Program:exit"(program) {
        // Calls signed with other credentials are not the execution role's to allow; those of a role the
        // code assumes are that role's, when a template of the repository declares it.
        const found = reader.usage().calls;
        const calls = found.filter((call) => call.credentials === "execution-role");
        const assumed = found.filter((call) => call.assumption !== undefined);
        if (calls.length === 0 && assumed.length === 0) return;
        const { templates, matches } = functionsRunning(context.filename, configuredTemplates, files);
        reportRefusals(context, files.refusals);
        if (matches.length === 0) {
          if (options.reportUnmatchedHandler) {
            const names = templates.map((template) => displayPath(template.file)).join(", ") || "no template (none found above this file)";
            context.report({
              node: program,
              loc: { line: 1, column: 0 },
              messageId: "unmatchedHandler",
              data: visibleData({ templates: names }),
            });
          }
          return;
        }
        for (const { node, call, owner } of calls) {
          for (const { template, fn } of matchesRunning(matches, owner)) reportGaps(template, fn, node, call);
        }
        for (const { node, call, owner, assumption } of assumed) {
          for (const { template, fn } of matchesRunning(matches, owner)) {
            const role = assumedRole(template, fn, assumption!, settings?.accounts, files)?.declared;
            if (role) reportAssumedGaps(template, fn, node, call, role);
          }
        }
        reportRefusals(context, files.refusals);
      },
    };

    function reportAssumedGaps(
      template: LoadedTemplate,
      fn: (typeof template.analysis.functions)[number],
      node: TSESTree.Node,
      call: SdkCall,
      assumed: { template: LoadedTemplate; role: Resource },
    ) {
      const index = assumed.template.analysis.iam.roleIndex(assumed.role.logicalId);
      const roleTemplate = displayPath(assumed.template.file);
      const line = String(assumed.role.node.loc.start.line);
      const roleElsewhere = assumed.template !== template;
      for (const { action, resource, deniedBy, allowed } of sdkCallGapsAs(template.analysis, fn, call, index, { roleElsewhere })) {
        const [functionName, role] = [fn.logicalId, assumed.role.logicalId];
        if (deniedBy) {
          context.report({
            node,
            messageId: "assumedDenied",
            data: visibleData({ function: functionName, role, action, resource, template: roleTemplate, line, statement: deniedBy }),
          });
        } else {
          context.report({
            node,
            messageId: "assumedNotAllowed",
            data: visibleData({
              function: functionName,
              role,
              action,
              resource,
              template: roleTemplate,
              line,
              allowed: allowedText({ action, allowed }),
            }),
          });
        }
      }
    }

    function reportGaps(template: LoadedTemplate, fn: (typeof template.analysis.functions)[number], node: TSESTree.Node, call: SdkCall) {
      const where = { template: displayPath(template.file), line: String(fn.resource.node.loc.start.line) };
      for (const candidate of fn.candidates) {
        for (const gap of sdkCallGaps(template.analysis, fn, candidate, call)) {
          const { role, action, resource } = gap;
          if (gap.deniedBy) {
            context.report({
              node,
              messageId: "denied",
              data: visibleData({
                function: fn.logicalId,
                role,
                action,
                resource,
                template: where.template,
                line: where.line,
                statement: gap.deniedBy,
              }),
            });
          } else {
            const allowed = allowedText(gap);
            context.report({
              node,
              messageId: "notAllowed",
              data: visibleData({ function: fn.logicalId, role, action, resource, template: where.template, line: where.line, allowed }),
            });
          }
        }
      }
    }
  },
};

/** What a role allows of the service instead, for the message. */
function allowedText(gap: { action: string; allowed: string[] }): string {
  return gap.allowed.length > 0 ? `it allows ${listNames(gap.allowed)}` : `it allows no ${gap.action.split(":")[0]} action`;
}

export default rule;
