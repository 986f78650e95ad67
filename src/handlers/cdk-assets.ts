import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

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
 */
export function cdkAssetCopies(sourceFile: string): { assembly: string; copies: string[] } | undefined {
  const project = cdkProject(path.dirname(sourceFile));
  if (!project) return undefined;
  const assembly = path.join(project, outputOf(project));
  let assets: string[];
  let source: Buffer;
  try {
    assets = readdirSync(assembly).filter((name) => name.startsWith("asset."));
    if (statSync(sourceFile).size > MAX_COMPARED_BYTES) return undefined;
    source = readFileSync(sourceFile);
  } catch {
    return undefined;
  }
  // The asset holds the file at some tail of its path within the project: index.mjs, worker/index.mjs, ...
  const parts = path.relative(project, sourceFile).split(path.sep);
  const copies: string[] = [];
  for (const asset of assets) {
    for (let start = parts.length - 1; start >= 0; start--) {
      const copy = path.join(assembly, asset, ...parts.slice(start));
      if (sameBytes(copy, source)) copies.push(copy);
    }
    const bundle = BUNDLES.map((name) => path.join(assembly, asset, name)).find((file) => bundles(file, sourceFile));
    if (bundle) copies.push(bundle);
  }
  return { assembly, copies };
}

function cdkProject(directory: string): string | undefined {
  for (let current = directory; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, "cdk.json"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function outputOf(project: string): string {
  try {
    const output = (JSON.parse(readFileSync(path.join(project, "cdk.json"), "utf8")) as { output?: unknown }).output;
    return typeof output === "string" ? output : "cdk.out";
  } catch {
    return "cdk.out";
  }
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats?.isFile() === true && stats.size === bytes.length && readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** Whether a bundle holds esbuild's `// <path>` line for a module whose path the source file's ends with. */
function bundles(bundle: string, sourceFile: string): boolean {
  let text: string;
  try {
    const stats = statSync(bundle, { throwIfNoEntry: false });
    if (!stats?.isFile() || stats.size > MAX_COMPARED_BYTES) return false;
    text = readFileSync(bundle, "utf8");
  } catch {
    return false;
  }
  const source = sourceFile.split(path.sep).join("/");
  for (const [, module] of text.matchAll(/^\/\/ ((?!\.\.\/)[\w@.\-/]+\.[cm]?[jt]sx?)$/gmu)) {
    if (source.endsWith(`/${module}`)) return true;
  }
  return false;
}
