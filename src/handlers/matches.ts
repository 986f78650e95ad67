import path from "node:path";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import { isWithin } from "../files/contained.js";
import { entryOf, literalText } from "../template/expr.js";
import { cdkAssetCopies } from "./cdk-assets.js";
import type { LoadedTemplate, ProjectFiles } from "./project-files.js";

/** The handler rules' `templates` option, in their schemas. */
export const TEMPLATES_OPTION = {
  type: "array" as const,
  items: { type: "string" as const },
  description:
    "Templates that deploy this code, relative to the working directory (default: the nearest template.yaml, template.yml or template.json above the file)",
};

/** A function of a template that runs a handler file. */
export interface HandlerMatch {
  template: LoadedTemplate;
  fn: LambdaFunction;
}

/** The templates that may deploy a source file, and their functions that run it. */
export function functionsRunning(
  sourceFile: string,
  configured: string[] | undefined,
  files: ProjectFiles,
): { templates: LoadedTemplate[]; matches: HandlerMatch[] } {
  const templates = templatesFor(sourceFile, configured, files);
  const matches = templates.flatMap((template) =>
    template.analysis.wiring.functionsForSourceFile(template.file, sourceFile).map((fn) => ({ template, fn })),
  );
  if (matches.length > 0 || configured?.length) return { templates, matches };
  // The source of a CDK asset: run by the functions that run its copy in cdk.out.
  const staged = cdkAssetCopies(sourceFile, files);
  if (!staged || staged.copies.length === 0) return { templates, matches };
  const synthesized = synthesizedTemplates(staged.assembly, files);
  return {
    templates: synthesized,
    matches: synthesized.flatMap((template) =>
      staged.copies.flatMap((copy) => template.analysis.wiring.functionsForSourceFile(template.file, copy).map((fn) => ({ template, fn }))),
    ),
  };
}

const TEMPLATE_NAMES = ["template.yaml", "template.yml", "template.json"];

/**
 * The templates that may deploy a source file: those named in settings (relative to the working
 * directory), or else the nearest `template.yaml|yml|json` walking up from the file's directory, no
 * higher than the linted root.
 */
function templatesFor(sourceFile: string, configured: string[] | undefined, files: ProjectFiles): LoadedTemplate[] {
  if (configured && configured.length > 0) {
    return configured
      .map((file) => files.template(path.resolve(files.root, file), 'the "templates" setting'))
      .filter((t): t is LoadedTemplate => t !== undefined);
  }
  const root = path.resolve(files.root);
  let directory = path.dirname(path.resolve(files.root, sourceFile));
  while (isWithin(root, directory)) {
    // A CDK asset (cdk.out/asset.<hash>/) is run by functions of the assembly's synthesized templates.
    if (path.basename(directory).startsWith("asset.")) {
      const synthesized = synthesizedTemplates(path.dirname(directory), files);
      if (synthesized.length > 0) return synthesized;
    }
    for (const name of TEMPLATE_NAMES) {
      const template = files.template(path.join(directory, name), "the search for the template above this file");
      if (template) return [template];
    }
    if (directory === root || path.dirname(directory) === directory) break;
    directory = path.dirname(directory);
  }
  return [];
}

/** The synthesized templates of a CDK cloud assembly directory (`*.template.json`). */
export function synthesizedTemplates(assembly: string, files: ProjectFiles): LoadedTemplate[] {
  const from = `the CDK assembly ${files.display(assembly)}`;
  return (files.entries(assembly, from) ?? [])
    .filter((name) => name.endsWith(".template.json"))
    .sort()
    .map((name) => files.template(path.join(assembly, name), from))
    .filter((template): template is LoadedTemplate => template !== undefined);
}

/** The module export a function runs: `report` of `Handler: index.report`. */
function handlerExport(fn: LambdaFunction): string | undefined {
  const handler = literalText(entryOf(fn.resource.properties, "Handler"));
  return handler?.includes(".") ? handler.slice(handler.lastIndexOf(".") + 1) : undefined;
}

/**
 * The functions that run a piece of code written in a top-level function (`owner`): those whose
 * handler is that function, when some are; else every function that runs the file, when they all run
 * one export (the code is theirs, whichever helper it is in); else none, since which of several
 * handlers reaches it is not known.
 */
export function matchesRunning(matches: HandlerMatch[], owner: string | undefined): HandlerMatch[] {
  const exports = matches.map((match) => handlerExport(match.fn));
  const owners = matches.filter((_match, index) => owner !== undefined && exports[index] === owner);
  if (owners.length > 0) return owners;
  return new Set(exports).size === 1 ? matches : [];
}
