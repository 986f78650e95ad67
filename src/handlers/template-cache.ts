import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Analysis } from "../analyzers/analysis.js";
import { parseTemplate } from "../language/parse.js";

/** A template found for a handler file, analysed. */
export interface LoadedTemplate {
  file: string;
  analysis: Analysis;
}

const TEMPLATE_NAMES = ["template.yaml", "template.yml", "template.json"];

interface CacheEntry {
  mtimeMs: number;
  size: number;
  template: LoadedTemplate | undefined;
}

/**
 * Parsed templates by path, re-read when the file changes on disk (modification time or size), so an
 * editor or a long-running ESLint sees template edits. This is the one place where the handler rule
 * reads files.
 */
const cache = new Map<string, CacheEntry>();

export function loadTemplate(file: string): LoadedTemplate | undefined {
  let stats;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch {
    stats = undefined;
  }
  if (!stats?.isFile()) {
    cache.delete(file);
    return undefined;
  }
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.template;
  let template: LoadedTemplate | undefined;
  try {
    const outcome = parseTemplate(readFileSync(file, "utf8"));
    template = outcome.ok && outcome.ast.isTemplate ? { file, analysis: new Analysis(outcome.ast) } : undefined;
  } catch {
    template = undefined;
  }
  cache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, template });
  return template;
}

/**
 * The templates that may deploy a source file: those named in settings (relative to the working
 * directory), or else the nearest `template.yaml|yml|json` walking up from the file's directory.
 */
export function templatesFor(sourceFile: string, configured: string[] | undefined, cwd: string): LoadedTemplate[] {
  if (configured && configured.length > 0) {
    return configured.map((file) => loadTemplate(path.resolve(cwd, file))).filter((t): t is LoadedTemplate => t !== undefined);
  }
  let directory = path.dirname(path.resolve(cwd, sourceFile));
  for (;;) {
    // A CDK asset (cdk.out/asset.<hash>/) is run by functions of the assembly's synthesized templates.
    if (path.basename(directory).startsWith("asset.")) {
      const synthesized = synthesizedTemplates(path.dirname(directory));
      if (synthesized.length > 0) return synthesized;
    }
    for (const name of TEMPLATE_NAMES) {
      const template = loadTemplate(path.join(directory, name));
      if (template) return [template];
    }
    const parent = path.dirname(directory);
    if (parent === directory) return [];
    directory = parent;
  }
}

/** The synthesized templates of a CDK cloud assembly directory (`*.template.json`). */
export function synthesizedTemplates(assembly: string): LoadedTemplate[] {
  let names: string[];
  try {
    names = readdirSync(assembly);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".template.json"))
    .sort()
    .map((name) => loadTemplate(path.join(assembly, name)))
    .filter((template): template is LoadedTemplate => template !== undefined);
}
