import path from "node:path";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { InputValue, SdkCall } from "../analyzers/checks/sdk-call-permissions.js";
import { actionsOf, isKnownCommand, isSdkPackage, sdkCallGaps } from "../analyzers/checks/sdk-call-permissions.js";
import { listNames } from "../analyzers/finding.js";
import type { LoadedTemplate } from "../handlers/template-cache.js";
import { templatesFor } from "../handlers/template-cache.js";
import { ruleDocsUrl } from "./create-rule.js";

type Options = [{ templates?: string[]; reportUnmatchedHandler?: boolean; reportUnmappedCommands?: boolean }];
type MessageIds = "notAllowed" | "denied" | "unmatchedHandler" | "unmappedCommand";

/** Properties of an SDK input that name the resource a call acts on. */
const RESOURCE_KEYS = new Set(["TableName", "IndexName", "Bucket", "Key", "QueueUrl", "TopicArn"]);

// A plain rule object: ESLint (9.15+) applies meta.defaultOptions itself, so no rule creator is loaded.
const rule: TSESLint.RuleModule<MessageIds, Options, { recommended: boolean; sources: string[] }> = {
  meta: {
    type: "problem",
    docs: {
      description: "Require the execution role of every function that runs this handler to allow its AWS SDK v3 calls",
      url: ruleDocsUrl("sdk-call-permissions"),
      recommended: true,
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
          templates: {
            type: "array",
            items: { type: "string" },
            description:
              "Templates that deploy this code, relative to the working directory (default: the nearest template.yaml, template.yml or template.json above the file)",
          },
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
    const imports = new Map<string, { packageName: string; name: string }>();
    const namespaces = new Map<string, string>();
    const aggregatedClients = new Map<string, string>();
    const environmentConstants = new Map<string, string>();
    const calls: Array<{ node: TSESTree.Node; call: SdkCall }> = [];
    const unmapped = new Set<string>();

    const settings = (context.settings as { "lambda-iam"?: { templates?: string[] } })["lambda-iam"];
    const configuredTemplates = options.templates ?? settings?.templates;

    /** A template's path as messages show it: relative to the working directory, or its name when outside it. */
    function displayPath(file: string): string {
      const relative = path.relative(context.cwd, file);
      return context.cwd === path.parse(context.cwd).root || relative.startsWith("..") ? path.basename(file) : relative;
    }

    function importedName(callee: TSESTree.Node): { packageName: string; name: string } | undefined {
      if (callee.type === "Identifier") return imports.get(callee.name);
      if (callee.type === "MemberExpression" && callee.object.type === "Identifier" && callee.property.type === "Identifier") {
        const packageName = namespaces.get(callee.object.name);
        return packageName ? { packageName, name: callee.property.name } : undefined;
      }
      return undefined;
    }

    function inputOf(argument: TSESTree.Node | undefined): Map<string, InputValue> {
      const input = new Map<string, InputValue>();
      if (argument?.type !== "ObjectExpression") return input;
      for (const property of argument.properties) {
        if (property.type !== "Property" || property.key.type !== "Identifier") continue;
        input.set(property.key.name, RESOURCE_KEYS.has(property.key.name) ? valueOf(property.value) : { kind: "unknown" });
      }
      return input;
    }

    function valueOf(node: TSESTree.Node): InputValue {
      if (node.type === "Literal" && typeof node.value === "string") return { kind: "literal", text: node.value };
      const environment = environmentName(node);
      if (environment) return { kind: "env", name: environment };
      if (node.type === "Identifier" && environmentConstants.has(node.name))
        return { kind: "env", name: environmentConstants.get(node.name)! };
      return { kind: "unknown" };
    }

    function record(node: TSESTree.Node, packageName: string, command: string, argument: TSESTree.Node | undefined) {
      if (!actionsOf({ packageName, command })) {
        if (options.reportUnmappedCommands && !isKnownCommand(packageName, command) && !unmapped.has(`${packageName}:${command}`)) {
          unmapped.add(`${packageName}:${command}`);
          context.report({ node, messageId: "unmappedCommand", data: { command, package: packageName } });
        }
        return;
      }
      calls.push({ node, call: { packageName, command, input: inputOf(argument) } });
    }

    return {
      ImportDeclaration(node) {
        const packageName = node.source.value;
        if (!isSdkPackage(packageName)) return;
        for (const specifier of node.specifiers) {
          if (specifier.type === "ImportSpecifier") {
            const name = specifier.imported.type === "Identifier" ? specifier.imported.name : specifier.imported.value;
            imports.set(specifier.local.name, { packageName, name });
          } else {
            namespaces.set(specifier.local.name, packageName);
          }
        }
      },
      VariableDeclarator(node) {
        const init = node.init;
        // const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3")
        if (
          init?.type === "CallExpression" &&
          init.callee.type === "Identifier" &&
          init.callee.name === "require" &&
          init.arguments[0]?.type === "Literal"
        ) {
          const packageName = String(init.arguments[0].value);
          if (!isSdkPackage(packageName)) return;
          if (node.id.type === "Identifier") namespaces.set(node.id.name, packageName);
          if (node.id.type === "ObjectPattern") {
            for (const property of node.id.properties) {
              if (property.type === "Property" && property.key.type === "Identifier" && property.value.type === "Identifier") {
                imports.set(property.value.name, { packageName, name: property.key.name });
              }
            }
          }
          return;
        }
        // const TABLE = process.env.TABLE_NAME, and const { TABLE_NAME } = process.env
        const environment = init ? environmentName(init) : undefined;
        if (environment && node.id.type === "Identifier") environmentConstants.set(node.id.name, environment);
        if (init && isProcessEnv(init) && node.id.type === "ObjectPattern") {
          for (const property of node.id.properties) {
            if (property.type === "Property" && property.key.type === "Identifier" && property.value.type === "Identifier") {
              environmentConstants.set(property.value.name, property.key.name);
            }
          }
        }
        // const s3 = new S3({}): an aggregated client, whose methods are commands.
        if (init?.type === "NewExpression" && node.id.type === "Identifier") {
          const imported = importedName(init.callee);
          if (imported && !imported.name.endsWith("Command") && !imported.name.endsWith("Client"))
            aggregatedClients.set(node.id.name, imported.packageName);
        }
      },
      NewExpression(node) {
        const imported = importedName(node.callee);
        if (!imported) return;
        if (imported.name.endsWith("Command"))
          record(node, imported.packageName, imported.name.slice(0, -"Command".length), node.arguments[0]);
        else if (imported.packageName === "@aws-sdk/lib-storage" && imported.name === "Upload") {
          const params =
            node.arguments[0]?.type === "ObjectExpression"
              ? node.arguments[0].properties.find((p) => p.type === "Property" && p.key.type === "Identifier" && p.key.name === "params")
              : undefined;
          record(node, imported.packageName, "Upload", params?.type === "Property" ? params.value : undefined);
        }
      },
      CallExpression(node) {
        const imported = importedName(node.callee);
        if (imported?.name.startsWith("paginate")) {
          record(node, imported.packageName, imported.name.slice("paginate".length), node.arguments[1]);
          return;
        }
        const callee = node.callee;
        if (callee.type === "MemberExpression" && callee.object.type === "Identifier" && callee.property.type === "Identifier") {
          const packageName = aggregatedClients.get(callee.object.name);
          const command = callee.property.name.charAt(0).toUpperCase() + callee.property.name.slice(1);
          if (packageName && isKnownCommand(packageName, command)) record(node, packageName, command, node.arguments[0]);
        }
      },
      "Program:exit"(program) {
        if (calls.length === 0) return;
        const templates = templatesFor(context.filename, configuredTemplates, context.cwd);
        const matches = templates.flatMap((template) =>
          template.analysis.wiring.functionsForSourceFile(template.file, context.filename).map((fn) => ({ template, fn })),
        );
        if (matches.length === 0) {
          if (options.reportUnmatchedHandler) {
            const names = templates.map((template) => displayPath(template.file)).join(", ") || "no template (none found above this file)";
            context.report({ node: program, loc: { line: 1, column: 0 }, messageId: "unmatchedHandler", data: { templates: names } });
          }
          return;
        }
        for (const { node, call } of calls) {
          for (const { template, fn } of matches) reportGaps(template, fn, node, call);
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

function isProcessEnv(node: TSESTree.Node): boolean {
  return (
    node.type === "MemberExpression" &&
    node.object.type === "Identifier" &&
    node.object.name === "process" &&
    node.property.type === "Identifier" &&
    node.property.name === "env"
  );
}

/** `process.env.NAME` or `process.env["NAME"]`. */
function environmentName(node: TSESTree.Node): string | undefined {
  if (node.type !== "MemberExpression" || !isProcessEnv(node.object)) return undefined;
  if (node.property.type === "Identifier" && !node.computed) return node.property.name;
  if (node.property.type === "Literal" && typeof node.property.value === "string") return node.property.value;
  return undefined;
}
