import path from "node:path";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import type { LoadedTemplate } from "./template-cache.js";
import { templatesFor } from "./template-cache.js";

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
  return { templates, matches };
}

/** A template's path as messages show it: relative to the working directory, or its name when outside it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return cwd === path.parse(cwd).root || relative.startsWith("..") ? path.basename(file) : relative;
}
