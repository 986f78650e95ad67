import path from "node:path";
import { isWithin } from "../files/contained.js";
import { jsonValueAt } from "../language/json-location.js";
import type { ProjectFiles } from "./project-files.js";
import { projectCodeFiles, projectRoot } from "./project-index.js";

/** Files larger than this are not compared with asset copies (a handler source is far smaller). */
const MAX_COMPARED_BYTES = 5 * 1024 * 1024;

/** The files a bundled asset is named after (`NodejsFunction` writes `index.js` or `index.mjs`). */
const BUNDLES = ["index.js", "index.mjs", "index.cjs"];

/**
 * The staged files of the AWS CDK that run a source file, found from the CDK project (the nearest
 * directory above the file with a `cdk.json`, whose `output` names the assembly, `cdk.out` by default):
 * - a copy: `lambda.Code.fromAsset("src/worker")` copies the directory into `cdk.out/asset.<hash>/` as it
 *   is, so `src/worker/index.mjs` is the asset's `index.mjs` when the two hold the same bytes;
 * - a bundle: esbuild (`NodejsFunction`) marks each module it bundles with a `// src/audit.ts` line,
 *   the module's path from where it ran, so a bundle with such a line for this file runs it. A minified
 *   bundle has none, and is not found.
 * Only files inside the linted root are read.
 */
export function cdkAssetCopies(file: string, files: ProjectFiles): { assembly: string; copies: string[]; bundles: string[] } | undefined {
  const sourceFile = path.resolve(files.root, file);
  const project = cdkProject(path.dirname(sourceFile), files);
  if (!project) return undefined;
  const { assembly, from: named } = assemblyOf(project, files);
  const assets = files.entries(assembly, named)?.filter((name) => name.startsWith("asset."));
  const source = assets && files.bytes(sourceFile, "the linted file");
  if (!assets || !source || source.length > MAX_COMPARED_BYTES) return undefined;
  // The asset holds the file at some tail of its path within the project: index.mjs, worker/index.mjs, ...
  const parts = path.relative(project, sourceFile).split(path.sep);
  const copies: string[] = [];
  const bundled: string[] = [];
  for (const asset of assets) {
    const from = `the CDK asset ${files.display(path.join(assembly, asset))}`;
    for (let start = parts.length - 1; start >= 0; start--) {
      const copy = path.join(assembly, asset, ...parts.slice(start));
      if (files.bytes(copy, from)?.equals(source)) copies.push(copy);
    }
    const bundle = BUNDLES.map((name) => path.join(assembly, asset, name)).find((file) => bundles(files.text(file, from), sourceFile));
    if (bundle) bundled.push(bundle);
  }
  return { assembly, copies: [...copies, ...bundled], bundles: bundled };
}

/** The nearest directory with a `cdk.json` at or above `directory` (absolute), no higher than the linted root. */
function cdkProject(directory: string, files: ProjectFiles): string | undefined {
  const root = path.resolve(files.root);
  for (let current = directory; isWithin(root, current); current = path.dirname(current)) {
    if (files.existsInside(path.join(current, "cdk.json"))) return current;
    if (current === root || path.dirname(current) === current) return undefined;
  }
  return undefined;
}

/** The assembly directory `cdk.json` names (`output`, `cdk.out` by default), and what names it. */
function assemblyOf(project: string, files: ProjectFiles): { assembly: string; from: string } {
  const file = path.join(project, "cdk.json");
  const text = files.text(file, "the CDK project above this file");
  const output = text === undefined ? undefined : jsonValueAt(text, ["output"]);
  if (typeof output?.value !== "string") return { assembly: path.join(project, "cdk.out"), from: `the CDK project ${files.display(file)}` };
  return { assembly: path.resolve(project, output.value), from: `${files.display(file)}:${output.line}:${output.column}` };
}

/** Whether a bundle holds esbuild's `// <path>` line for a module whose path the source file's ends with. */
function bundles(text: string | undefined, sourceFile: string): boolean {
  if (text === undefined || text.length > MAX_COMPARED_BYTES) return false;
  const source = sourceFile.split(path.sep).join("/");
  for (const [, module] of text.matchAll(/^\/\/ ((?!\.\.\/)[\w@.\-/]+\.[cm]?[jt]sx?)$/gmu)) {
    if (source.endsWith(`/${module}`)) return true;
  }
  return false;
}

/**
 * For a file CDK staged in an asset (`cdk.out/asset.<hash>/...`): the file of the project that the code
 * at an offset of it comes from, if the project has it: the whole file when it is a byte copy of a file
 * outside the assembly; in an esbuild bundle, the module whose `// path` line starts the code there.
 * Undefined for a file that is not staged.
 */
export function stagedSources(file: string, text: string, files: ProjectFiles): ((offset: number) => string | undefined) | undefined {
  const absolute = path.resolve(files.root, file);
  const root = path.resolve(files.root);
  let asset: string | undefined;
  for (
    let directory = path.dirname(absolute);
    isWithin(root, directory) && directory !== path.dirname(directory);
    directory = path.dirname(directory)
  ) {
    if (path.basename(directory).startsWith("asset.") && files.existsInside(path.join(path.dirname(directory), "manifest.json"))) {
      asset = directory;
      break;
    }
  }
  if (!asset) return undefined;
  const assembly = path.dirname(asset);
  const project = projectRoot(files, assembly);
  const outside = (candidate: string) => !isWithin(assembly, candidate);
  const bytes = Buffer.from(text, "utf8");
  const copy = projectCodeFiles(project, path.basename(absolute)).find(
    (candidate) => outside(candidate) && files.bytes(candidate, "the project's code")?.equals(bytes) === true,
  );
  if (copy) return () => copy;
  // esbuild's `// src/audit.ts` lines, each starting the module it names, by its path from where esbuild
  // ran (the project, or the directory above it with the lock file): a file of the project ending so.
  const sourceOf = (module: string) =>
    projectCodeFiles(project, path.basename(module)).find(
      (candidate) => outside(candidate) && candidate.split(path.sep).join("/").endsWith(`/${module}`),
    );
  const modules = [...text.matchAll(/^\/\/ ((?!\.\.\/)[\w@.\-/]+\.[cm]?[jt]sx?)$/gmu)].map((match) => ({
    at: match.index,
    source: sourceOf(match[1]!),
  }));
  return (offset) => {
    let source: string | undefined;
    for (const module of modules) {
      if (module.at > offset) break;
      source = module.source;
    }
    return source;
  };
}
