import path from "node:path";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import { entryOf, literalText } from "../template/expr.js";
import type { LoadedTemplate } from "./template-cache.js";
import { cdkAssetCopies } from "./cdk-assets.js";
import { synthesizedTemplates, templatesFor } from "./template-cache.js";

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
  cwd: string,
): { templates: LoadedTemplate[]; matches: HandlerMatch[] } {
  const templates = templatesFor(sourceFile, configured, cwd);
  const matches = templates.flatMap((template) =>
    template.analysis.wiring.functionsForSourceFile(template.file, sourceFile).map((fn) => ({ template, fn })),
  );
  if (matches.length > 0 || configured?.length) return { templates, matches };
  // The source of a CDK asset: run by the functions that run its copy in cdk.out.
  const staged = cdkAssetCopies(sourceFile);
  if (!staged || staged.copies.length === 0) return { templates, matches };
  const synthesized = synthesizedTemplates(staged.assembly);
  return {
    templates: synthesized,
    matches: synthesized.flatMap((template) =>
      staged.copies.flatMap((copy) => template.analysis.wiring.functionsForSourceFile(template.file, copy).map((fn) => ({ template, fn }))),
    ),
  };
}

/** A template's path as messages show it: relative to the working directory, or its name when outside it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return cwd === path.parse(cwd).root || relative.startsWith("..") ? path.basename(file) : relative;
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
