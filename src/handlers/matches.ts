import path from "node:path";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import type { CodeEntry } from "../analyzers/wiring/handler-functions.js";
import { codeEntries, withoutExtension } from "../analyzers/wiring/handler-functions.js";
import { isWithin } from "../files/contained.js";
import { cdkAssetCopies } from "./cdk-assets.js";
import type { ModuleGraph } from "./code/module-graph.js";
import { MODULE_LEVEL } from "./code/module-facts.js";
import type { LoadedTemplate, ProjectFiles } from "./project-files.js";
import { projectRoot, projectTemplates } from "./project-index.js";

/** The handler rules' `templates` option, in their schemas. */
export const TEMPLATES_OPTION = {
  type: "array" as const,
  items: { type: "string" as const },
  description: "Templates that deploy this code, relative to the working directory (default: every template of the project below it)",
};

/**
 * A function of a template that runs a code file, and which of the file's units (top-level
 * declarations) its handler reaches: "all" when which ones cannot be told.
 */
export interface HandlerMatch {
  template: LoadedTemplate;
  fn: LambdaFunction;
  reached: Set<string> | "all";
  /** The handlers it runs (entry file and export): functions that run the same ones run the same code. */
  via: string;
}

/**
 * The functions that run a code file: those whose handler module is the file, or imports it (directly or
 * through other local modules); those whose CDK asset holds a copy of it, or a bundle of it. Searched in
 * the templates the settings name, else in every template of the project.
 */
export function functionsRunning(
  sourceFile: string,
  configured: string[] | undefined,
  files: ProjectFiles,
  graph: ModuleGraph,
): { templates: LoadedTemplate[]; matches: HandlerMatch[] } {
  const file = path.resolve(files.root, sourceFile);
  const templates =
    configured && configured.length > 0
      ? configured
          .map((name) => files.template(path.resolve(files.root, name), 'the "templates" setting'))
          .filter((template): template is LoadedTemplate => template !== undefined)
      : projectTemplates(files, projectRoot(files, file));
  const matches = runnersIn(templates, withoutExtension(file), graph);
  if (matches.length > 0 || configured?.length) return { templates, matches };
  // The source of a CDK asset: run by the functions that run its copy in cdk.out.
  const staged = cdkAssetCopies(file, files);
  if (!staged || staged.copies.length === 0) return { templates, matches };
  const copies = new Set(staged.copies.map(withoutExtension));
  const bundles = new Set(staged.bundles.map(withoutExtension));
  const inAssembly = templates.filter((template) => isWithin(staged.assembly, template.file));
  return {
    templates,
    // A bundle inlines its modules: which of their units a handler reaches is not told apart there (nor parsed for).
    matches: inAssembly.flatMap((template) =>
      [...copies].flatMap((copy) => (bundles.has(copy) ? bundleRunners(template, copy) : runnersIn([template], copy, graph))),
    ),
  };
}

/** The functions of a template whose handler module is a bundle: all of it is theirs. */
function bundleRunners(template: LoadedTemplate, bundle: string): HandlerMatch[] {
  return functionEntries(template).flatMap(({ fn, entries }) => {
    const handlers = entries.filter((entry) => entry.file === bundle).map((entry) => `${entry.file}#${entry.handler ?? ""}`);
    return handlers.length > 0 ? [{ template, fn, reached: "all" as const, via: handlers.join(" ") }] : [];
  });
}

/** Each function of a template with the code files it runs, once per template read. */
const entriesByTemplate = new WeakMap<LoadedTemplate, Array<{ fn: LambdaFunction; entries: CodeEntry[] }>>();

function functionEntries(template: LoadedTemplate): Array<{ fn: LambdaFunction; entries: CodeEntry[] }> {
  let entries = entriesByTemplate.get(template);
  if (!entries) {
    const directory = path.dirname(template.file);
    entries = template.analysis.functions.map((fn) => ({ fn, entries: codeEntries(fn, directory) }));
    entriesByTemplate.set(template, entries);
  }
  return entries;
}

/** The functions of these templates whose handlers reach a module (its path without extension). */
function runnersIn(templates: LoadedTemplate[], module: string, graph: ModuleGraph): HandlerMatch[] {
  return templates.flatMap((template) =>
    functionEntries(template).flatMap(({ fn, entries }) => {
      const reached: Array<Set<string> | "all"> = [];
      const via: string[] = [];
      for (const entry of entries) {
        const code = graph.codeFile(entry.file);
        const reach = code && graph.reachOf(code, entry.handler, module);
        if (!reach) continue;
        reached.push(reach);
        via.push(`${code}#${entry.handler ?? ""}`);
      }
      if (reached.length === 0) return [];
      const all = reached.includes("all");
      const units = all ? ("all" as const) : new Set(reached.flatMap((unit) => [...(unit as Set<string>)]));
      return [{ template, fn, reached: units, via: via.join(" ") }];
    }),
  );
}

/**
 * The functions that run a piece of code written in a unit of the file (`unit`, "" for top-level code):
 * those whose handler reaches that unit. Where a function's reach in the file cannot be told apart
 * ("all"), it counts only when every function that runs the file runs it through the same handlers:
 * then the code is theirs, whichever unit it is in.
 */
export function matchesRunning(matches: HandlerMatch[], unit: string): HandlerMatch[] {
  const sameHandlers = new Set(matches.map((match) => match.via)).size === 1;
  return matches.filter((match) => (match.reached === "all" ? sameHandlers : unit === MODULE_LEVEL || match.reached.has(unit)));
}
