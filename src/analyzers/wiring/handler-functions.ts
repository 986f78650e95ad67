import path from "node:path";
import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { LambdaFunction } from "./functions.js";

const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/**
 * Functions by the code file (without extension) that runs them: the handler's module under `CodeUri`
 * (SAM, `Globals` included) or a local `Code` path, or an esbuild entry point
 * (`Metadata.BuildProperties.EntryPoints`). Paths are compared without their extension, so
 * `Handler: app.handler` matches `app.ts` as well as the `app.js` it compiles to.
 */
export function codeIndex(functions: LambdaFunction[], templateFile: string): Map<string, LambdaFunction[]> {
  const byFile = new Map<string, LambdaFunction[]>();
  const templateDirectory = path.dirname(templateFile);
  for (const fn of functions) {
    for (const file of new Set(codeFiles(fn, templateDirectory).map(withoutExtension))) {
      byFile.set(file, [...(byFile.get(file) ?? []), fn]);
    }
  }
  return byFile;
}

function codeFiles(fn: LambdaFunction, templateDirectory: string): string[] {
  const properties = fn.resource.properties;
  const codeDirectory =
    literalText(entryOf(properties, "CodeUri")) ?? localCode(entryOf(properties, "Code")) ?? cdkAsset(fn.resource.metadata);
  if (codeDirectory === undefined || /^s3:\/\//u.test(codeDirectory)) return [];
  const base = path.resolve(templateDirectory, codeDirectory);
  const files: string[] = [];
  const handler = literalText(entryOf(properties, "Handler"));
  if (handler && handler.includes(".")) files.push(path.join(base, handler.slice(0, handler.lastIndexOf("."))));
  const entryPoints = entryOf(entryOf(fn.resource.metadata, "BuildProperties"), "EntryPoints");
  if (entryPoints?.kind === "list") {
    for (const entry of entryPoints.items) {
      const text = literalText(entry);
      if (text) files.push(path.join(base, text));
    }
  }
  return files;
}

/**
 * The directory the AWS CDK staged a function's code in (`cdk.out/asset.<hash>`), from the metadata
 * it writes on the function: `aws:asset:path` for the property `aws:asset:property: Code`.
 */
function cdkAsset(metadata: Expr | undefined): string | undefined {
  if (literalText(entryOf(metadata, "aws:asset:property")) !== "Code") return undefined;
  return literalText(entryOf(metadata, "aws:asset:path"));
}

/** `Code: ./src` (a local path that `aws cloudformation package` uploads). */
function localCode(code: Expr | undefined): string | undefined {
  const text = literalText(code);
  return text !== undefined && !text.startsWith("s3://") ? text : undefined;
}

export function withoutExtension(file: string): string {
  const extension = path.extname(file);
  return SOURCE_EXTENSIONS.includes(extension) ? file.slice(0, -extension.length) : file;
}
