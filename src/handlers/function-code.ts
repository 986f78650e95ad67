import { builtinModules } from "node:module";
import path from "node:path";
import type { SdkUsage } from "../analyzers/sdk/calls.js";
import type { FunctionCall, FunctionCode, FunctionCodeReader } from "../analyzers/sdk/function-code.js";
import { codeEntries } from "../analyzers/wiring/handler-functions.js";
import type { LambdaFunction } from "../analyzers/wiring/functions.js";
import { entryOf, listItems, literalText } from "../template/expr.js";
import { LineIndex } from "../language/locations.js";
import { pythonCodeOf } from "../python/code-file.js";
import { parsePython } from "../python/tree.js";
import { ModuleGraph } from "./code/module-graph.js";
import { DYNAMIC_IMPORT } from "./code/module-imports.js";
import { parseCode } from "./code/parse.js";
import { readSdkUsage } from "./code/sdk-reader.js";
import { isSdkPackage } from "./code/sdk-v3.js";
import type { ProjectFiles } from "./project-files.js";
import PYTHON_STDLIB from "../data/python-stdlib.json" with { type: "json" };

/** Python's own modules, and boto3's: imports that run no code of a package the reader does not read. */
const PYTHON_KNOWN = new Set([...PYTHON_STDLIB.modules, "boto3", "botocore"]);
const NODE_BUILTINS = new Set(builtinModules);

/**
 * Imports through which code may call AWS with the function's credentials without an SDK call the
 * reader sees: other programs it runs (they inherit the role's credentials), botocore's own signing and
 * sessions, and packages that sign requests themselves.
 */
const CREDENTIAL_USES: ReadonlyMap<string, string> = new Map([
  ["child_process", "runs other programs, which get its role's credentials"],
  ["py:subprocess", "runs other programs, which get its role's credentials"],
  ["worker_threads", "runs code in worker threads, which is not read"],
  ["vm", "runs code it is given at run time, which is not read"],
  ["py:botocore.auth", "signs requests with botocore itself"],
  ["py:botocore.awsrequest", "signs requests with botocore itself"],
  ["py:botocore.credentials", "reads credentials with botocore itself"],
  ["py:botocore.session", "makes botocore sessions, whose clients the reader does not read"],
  ["aws4", "signs AWS requests itself (aws4)"],
  ["aws4fetch", "signs AWS requests itself (aws4fetch)"],
  ["@smithy/signature-v4", "signs AWS requests itself (@smithy/signature-v4)"],
  ["@aws-sdk/signature-v4", "signs AWS requests itself (@aws-sdk/signature-v4)"],
]);

/**
 * Code that reads the function's credentials (the variables Lambda sets, a session's `get_credentials`),
 * to sign requests or hand them on: what that does with them is not read. Found in the text, comments
 * included: a false match only makes the needs unknown.
 */
const CREDENTIAL_READ =
  /\b(?:AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|get_credentials|get_frozen_credentials)\b|\bfrom\s+botocore\s+import\b[^\n]*\b(?:auth|awsrequest|credentials|session)\b/u;
/** Packages followed through their dependencies at most this many: beyond, the code is not known whole. */
const MAX_PACKAGES = 500;

class Partial extends Error {}

/**
 * Reads the code of a template's functions whole, or says why it cannot: every module a handler
 * reaches is read and parsed, every import is a local module, a runtime built-in, an AWS SDK client the
 * reader reads, or an installed package that depends on no AWS SDK; every SDK call is signed by the
 * execution role and has known IAM actions. Layers, images, inline code and CDK assets are not read.
 */
export function functionCodeReader(files: ProjectFiles, templateFile: string): FunctionCodeReader {
  const graph = new ModuleGraph(files);
  const usages = new Map<string, { usage: SdkUsage; lines: LineIndex; text: string }>();
  const packages = new Map<string, string | undefined>();

  const usageOf = (file: string) => {
    let read = usages.get(file);
    if (!read) {
      const text = files.text(file, "a handler's module");
      if (text === undefined) throw new Partial(`${files.display(file)} cannot be read`);
      let usage: SdkUsage;
      if (file.endsWith(".py")) {
        const parsed = parsePython(text);
        if (!parsed.ok) throw new Partial(`${files.display(file)} is not valid Python`);
        usage = pythonCodeOf(parsed.root).usage;
      } else usage = readSdkUsage(parseCode(text, file));
      read = { usage, lines: new LineIndex(text), text };
      usages.set(file, read);
    }
    return read;
  };

  /** Why an installed package is not known to make no AWS call (undefined when it is known), following its dependencies. */
  const packageProblem = (from: string, name: string, seen = new Set<string>()): string | undefined => {
    const manifest = files.packageManifest(from, name);
    if (!manifest) return `it imports ${name}, which is not installed in the project`;
    if (seen.has(manifest)) return undefined;
    seen.add(manifest);
    if (seen.size > MAX_PACKAGES) return `its packages depend on more than ${MAX_PACKAGES} others`;
    const cached = packages.get(manifest);
    if (packages.has(manifest)) return cached;
    let problem: string | undefined;
    const text = files.text(manifest, () => `an import of ${name}`);
    const json = text === undefined ? undefined : (JSON.parse(text) as Record<string, Record<string, string> | undefined>);
    if (!json) problem = `${files.display(manifest)} cannot be read`;
    else {
      // A peer dependency is one the package uses from the project's installation (dynamodb-toolbox's AWS SDK).
      const dependencies = [
        ...Object.keys(json.dependencies ?? {}),
        ...Object.keys(json.optionalDependencies ?? {}),
        ...Object.keys(json.peerDependencies ?? {}),
      ];
      const sdk = dependencies.find((dependency) => dependency === "aws-sdk" || dependency.startsWith("@aws-sdk/"));
      problem = sdk
        ? `it imports ${name}, which depends on an AWS SDK (${sdk}) and is not read`
        : dependencies.map((dependency) => packageProblem(manifest, dependency, seen)).find(Boolean);
    }
    packages.set(manifest, problem);
    return problem;
  };

  /** Why an import of a module is not known to make no AWS call, when it is not. */
  const importProblem = (file: string, specifier: string): string | undefined => {
    if (specifier === DYNAMIC_IMPORT) return `${files.display(file)} imports a module named at run time`;
    const use = CREDENTIAL_USES.get(specifier.replace(/^node:/u, "")) ?? CREDENTIAL_USES.get(packageName(specifier));
    if (use) return `${files.display(file)} ${use}`;
    if (graph.resolve(file, specifier)) return undefined;
    if (file.endsWith(".py")) {
      if (!specifier.startsWith("py:")) return `${files.display(file)} imports ${specifier}, which is not found`;
      const top = specifier.slice(3).split(".")[0]!;
      return PYTHON_KNOWN.has(top) ? undefined : `${files.display(file)} imports ${top}, a package whose code is not read`;
    }
    if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#"))
      return `${files.display(file)} imports ${specifier}, which is not found`;
    const name = packageName(specifier);
    if (specifier.startsWith("node:") || NODE_BUILTINS.has(name)) return undefined;
    if (isSdkPackage(name)) return undefined;
    const problem = packageProblem(file, name);
    return problem && `${files.display(file)}: ${problem}`;
  };

  const read = (fn: LambdaFunction): FunctionCode => {
    const properties = fn.resource.properties;
    const runtime = literalText(entryOf(properties, "Runtime"));
    if (literalText(entryOf(properties, "PackageType")) === "Image") return partial("its code is a container image");
    if (listItems(entryOf(properties, "Layers")).length > 0) return partial("it has layers, whose code is not read");
    if (entryOf(properties, "InlineCode") ?? entryOf(entryOf(properties, "Code"), "ZipFile")) return partial("its code is inline");
    if (entryOf(fn.resource.metadata, "aws:asset:path")) return partial("its code is a CDK asset");
    if (!runtime || !/^(?:nodejs|python)/u.test(runtime)) return partial(`its runtime (${runtime ?? "not given"}) is not read`);
    const entries = codeEntries(fn, path.dirname(templateFile));
    if (entries.length === 0) return partial("its handler's code is not in the project");
    const calls: FunctionCall[] = [];
    try {
      for (const entry of entries) {
        const entryFile = graph.codeFile(entry.file);
        if (!entryFile) throw new Partial(`its handler's file ${files.display(entry.file)}.* is not found`);
        const reach = graph.handlerReach(entryFile, entry.handler);
        if (!reach) throw new Partial("its handler loads more modules than this linter follows");
        for (const [module, units] of reach) {
          const file = graph.codeFile(module);
          const facts = file && graph.facts(file);
          if (!file || !facts) throw new Partial(`${files.display(module)} cannot be read or parsed`);
          const reached = (unit: string) => units === "all" || units.has(unit);
          for (const specifier of facts.imports) {
            const problem = importProblem(file, specifier);
            if (problem) throw new Partial(problem);
          }
          const { usage, lines, text } = usageOf(file);
          const at = (offset: number) => `${files.display(file)}:${lines.position(offset).line}`;
          const credentials = CREDENTIAL_READ.exec(text);
          if (credentials)
            throw new Partial(
              credentials[0].startsWith("from")
                ? `${at(credentials.index)} signs requests or makes sessions with botocore itself`
                : `${at(credentials.index)} reads its credentials (${credentials[0]}), whose use is not read`,
            );
          const [unmapped] = usage.unmapped;
          if (unmapped)
            throw new Partial(
              unmapped.why === "presigned"
                ? `${at(unmapped.range[0])}: ${unmapped.label} presigns a request that is sent with the role's credentials, whose needs are not read`
                : `${at(unmapped.range[0])}: ${unmapped.label}'s IAM actions are not known`,
            );
          const assumption = usage.assumptions.find((one) => reached(facts.unitAt(one.range[0])));
          if (assumption) throw new Partial(`${at(assumption.range[0])} assumes a role`);
          for (const call of usage.calls) {
            if (!reached(facts.unitAt(call.range[0]))) continue;
            if (call.credentials !== "execution-role")
              throw new Partial(`${at(call.range[0])}: the role that signs ${call.label} is not shown`);
            calls.push({ call, file: files.display(file), line: lines.position(call.range[0]).line });
          }
        }
      }
    } catch (error) {
      if (error instanceof Partial) return partial(error.message);
      return partial(`its code cannot be read (${String((error as Error)?.message ?? error)})`);
    }
    return { kind: "whole", calls };
  };
  return read;
}

function partial(why: string): FunctionCode {
  return { kind: "partial", why };
}

/** `@scope/name` or `name` of a package import (`lodash/fp` is lodash). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}
