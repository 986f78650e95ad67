import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Files larger than this are not compared with asset copies (a handler source is far smaller). */
const MAX_COMPARED_BYTES = 5 * 1024 * 1024;

/**
 * The copies the AWS CDK staged of a source file: `lambda.Code.fromAsset("src/worker")` copies the
 * directory into `cdk.out/asset.<hash>/` as it is, so `src/worker/index.mjs` is the asset's `index.mjs`
 * when the two hold the same bytes. Found from the CDK project (the nearest directory above the file
 * with a `cdk.json`, whose `output` names the assembly, `cdk.out` by default). A bundled asset
 * (`NodejsFunction`) is no copy, and is not found.
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
