import path from "node:path";
import type { HandlerCode } from "../analyzers/sdk/handler-code.js";
import type { Workspace, WorkspaceTemplate } from "../analyzers/workspace.js";
import type { AccountMap } from "./accounts.js";
import { fileWorkspaces } from "./accounts.js";
import type { CodeFile } from "./code/code-file.js";
import { ModuleGraph } from "./code/module-graph.js";
import { functionsRunning, matchesRunning } from "./matches.js";
import type { LoadedTemplate, ProjectFiles } from "./project-files.js";

/**
 * A code file as the code checks see it: its SDK usage, the functions of the project's templates (or
 * of the `templates` setting) whose handlers reach each piece of it, and each template's workspace
 * (its account and the other templates, by the `accounts` setting and CDK manifests).
 */
export function handlerCode(
  code: Pick<CodeFile, "facts" | "usage">,
  filename: string,
  configured: string[] | undefined,
  accounts: AccountMap | undefined,
  files: ProjectFiles,
): HandlerCode {
  const graph = new ModuleGraph(files, { file: path.resolve(files.root, filename), facts: code.facts });
  const { templates, matches } = functionsRunning(filename, configured, files, graph);
  const shown = new Map<LoadedTemplate, WorkspaceTemplate>();
  const loaded = new Map<WorkspaceTemplate, LoadedTemplate>();
  const show = (template: LoadedTemplate): WorkspaceTemplate => {
    let view = shown.get(template);
    if (!view) {
      view = { file: files.display(template.file), analysis: template.analysis };
      shown.set(template, view);
      loaded.set(view, template);
    }
    return view;
  };
  const workspaces = new Map<WorkspaceTemplate, Workspace[]>();
  const workspacesOf = (template: WorkspaceTemplate): Workspace[] => {
    let placed = workspaces.get(template);
    if (!placed) {
      placed = fileWorkspaces(accounts, files, loaded.get(template)?.file ?? template.file);
      workspaces.set(template, placed);
    }
    return placed;
  };
  return {
    usage: code.usage,
    templates: templates.map((template) => files.display(template.file)),
    isRun: matches.length > 0,
    runnersAt: (offset) => matchesRunning(matches, code.facts.unitAt(offset)).map(({ template, fn }) => ({ template: show(template), fn })),
    workspacesOf,
    neighboursOf(template) {
      const inAccounts = workspacesOf(template).map((workspace) =>
        workspace.account === undefined ? undefined : workspace.templatesIn(workspace.account),
      );
      if (inAccounts.some((list) => list === undefined)) return templates.filter((other) => other.analysis !== template.analysis).map(show);
      return inAccounts.flat() as WorkspaceTemplate[];
    },
  };
}
