import path from "node:path";
import type { Expr } from "../../template/expr.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { LambdaFunction } from "./functions.js";

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py"];

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
    for (const file of new Set(codeEntries(fn, templateDirectory).map((entry) => entry.file))) {
      byFile.set(file, [...(byFile.get(file) ?? []), fn]);
    }
  }
  return byFile;
}

/** A file a function runs (its path without extension), and the export its `Handler` names, when it names one. */
export interface CodeEntry {
  file: string;
  handler: string | undefined;
}

/**
 * The code files a function runs: its handler's module, and esbuild's entry points (which the handler's
 * export is in, under the bundle's name). A SAM function without `CodeUri` (or `InlineCode`) is built
 * from the template's own directory, as `sam build` does.
 */
export function codeEntries(fn: LambdaFunction, templateDirectory: string): CodeEntry[] {
  const properties = fn.resource.properties;
  const codeDirectory =
    literalText(entryOf(properties, "CodeUri")) ??
    localCode(entryOf(properties, "Code")) ??
    cdkAsset(fn.resource.metadata) ??
    samDefaultCode(fn);
  if (codeDirectory === undefined || /^s3:\/\//u.test(codeDirectory)) return [];
  // `CodeUri: src/function.py`: the package holds that one file, at its root.
  const codePath = path.resolve(templateDirectory, codeDirectory);
  const base = SOURCE_EXTENSIONS.includes(path.extname(codePath)) ? path.dirname(codePath) : codePath;
  const handler = literalText(entryOf(properties, "Handler"));
  const exported = handler?.includes(".") ? handler.slice(handler.lastIndexOf(".") + 1) : undefined;
  const entries: CodeEntry[] = [];
  if (handler && handler.includes(".")) {
    const module = handler.slice(0, handler.lastIndexOf("."));
    // Python's handler names a module by its dotted path (`orders.api.app.handler`); Node's by a file path.
    const python = literalText(entryOf(properties, "Runtime"))?.startsWith("python");
    entries.push({ file: python ? path.join(base, ...module.split(".")) : path.join(base, module), handler: exported });
  }
  const entryPoints = entryOf(entryOf(fn.resource.metadata, "BuildProperties"), "EntryPoints");
  if (entryPoints?.kind === "list") {
    for (const entry of entryPoints.items) {
      const text = literalText(entry);
      if (text) entries.push({ file: withoutExtension(path.join(base, text)), handler: exported });
    }
  }
  return entries.map((entry) => ({ ...entry, file: withoutExtension(entry.file) }));
}

/** A SAM function with neither `CodeUri` nor `InlineCode` (nor an image): its code is the template's directory. */
function samDefaultCode(fn: LambdaFunction): string | undefined {
  const properties = fn.resource.properties;
  if (fn.resource.type !== "AWS::Serverless::Function" || entryOf(properties, "InlineCode") || entryOf(properties, "ImageUri"))
    return undefined;
  if (literalText(entryOf(properties, "PackageType")) === "Image" || fn.resource.propertiesUnknown) return undefined;
  return entryOf(properties, "CodeUri") === undefined ? "." : undefined;
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
