import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Linter } from "eslint";
import { readTemplateText } from "../analyzers/template-text.js";
import type { AnyNode, ValueNode } from "../language/ast.js";
import { LineIndex } from "../language/locations.js";
import { resourceAt } from "../template/cdk.js";
import { resolveAlias } from "../language/ast.js";
import { parseTemplate } from "../language/parse.js";
import { CFN_INCLUDE_FUNCTIONS } from "../language/template-sniff.js";
import { placeOf, readInside } from "../files/contained.js";
import { ProjectFiles } from "../handlers/project-files.js";

/**
 * What cfn-include would run, read from outside the includes, or look up (the environment, the file
 * system's listings, `Fn::Eval`'s code, `Fn::RefNow`/`Fn::SubNow`'s values resolved at expansion): never expanded here.
 */
const UNSAFE = new Set(["Fn::GetEnv", "Fn::Eval", "Fn::IfEval", "Fn::Filenames", "Fn::RefNow", "Fn::SubNow"]);
/** The packages, the maintained fork first. */
const PACKAGES = ["@znemz/cfn-include", "cfn-include"];
/** Includes are followed no deeper than this. */
const MAX_FILES = 200;

/** Where a template first uses a cfn-include function, and its name, when it does. */
function cfnIncludeUse(text: string): { name: string; line: number; column: number } | undefined {
  const parsed = parseTemplate(text);
  if (!parsed.ok || !parsed.ast.body) return undefined;
  const found = uses(parsed.ast.body)[0];
  return found && { name: found.name, line: found.node.loc.start.line, column: found.node.loc.start.column };
}

/** Every cfn-include function of a file: as a key (`Fn::Include:`) or a tag (`!Include`), with the node it applies to. */
function uses(root: ValueNode): Array<{ name: string; node: AnyNode; argument: ValueNode }> {
  const found: Array<{ name: string; node: AnyNode; argument: ValueNode }> = [];
  const pending: ValueNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.tag && CFN_INCLUDE_FUNCTIONS.has(`Fn::${node.tag.slice(1)}`))
      found.push({ name: `Fn::${node.tag.slice(1)}`, node, argument: node });
    if (node.type === "Mapping") {
      for (const pair of node.pairs) {
        const key = pair.key.type === "Scalar" ? String(pair.key.value) : "";
        if (CFN_INCLUDE_FUNCTIONS.has(key) && pair.value) found.push({ name: key, node: pair.key, argument: pair.value });
        if (pair.value) pending.push(pair.value);
      }
    } else if (node.type === "Sequence") pending.push(...node.items);
  }
  return found.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/**
 * Why cfn-include may not expand a template here, reading it and every file it includes: an include that
 * is not a local file inside the root (a URL, `s3://`, an `api` call, a glob), an environment or `Fn::Eval`
 * lookup; undefined when every include is a local file and nothing is looked up or run.
 */
function expansionProblem(template: string, root: string, written: Map<string, { file: string; line: number }>): string | undefined {
  const queue = [template];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (seen.size > MAX_FILES) return `it includes more than ${MAX_FILES} files`;
    const read = readInside(root, file);
    if (read.kind !== "read") return `${path.relative(root, file)} cannot be read`;
    const parsed = parseTemplate(read.bytes.toString("utf8"));
    if (!parsed.ok) return `${path.relative(root, file)} cannot be parsed`;
    if (!parsed.ast.body) continue;
    if (file !== template)
      for (const [id, line] of resourcesWritten(parsed.ast.body)) if (!written.has(id)) written.set(id, { file, line });
    for (const { name, argument } of uses(parsed.ast.body)) {
      if (UNSAFE.has(name))
        return `${path.relative(root, file)} uses ${name}, which reads the environment or the file system, resolves values at expansion, or runs code`;
      if (name !== "Fn::Include") continue;
      const value = resolveAlias(argument);
      const location = value.type === "Scalar" ? value.value : value.type === "Mapping" ? scalarOf(value, "location") : undefined;
      const type = value.type === "Mapping" ? scalarOf(value, "type") : undefined;
      if (typeof location !== "string") return `${path.relative(root, file)} includes a location that is not written out`;
      if (type === "api") return `${path.relative(root, file)} includes an AWS API call`;
      if (/^[a-z][a-z0-9+.-]*:/iu.test(location) && !location.startsWith("file:"))
        return `${path.relative(root, file)} includes ${location}, which is not a local file`;
      if (/[*?[{]/u.test(location)) return `${path.relative(root, file)} includes the glob ${location}`;
      const target = path.resolve(path.dirname(file), location.replace(/^file:(\/\/)?/u, ""));
      if (placeOf(root, target).kind !== "inside") return `${path.relative(root, file)} includes ${location}, outside the linted root`;
      queue.push(target);
    }
  }
  return undefined;
}

/** The mapping keys of a file whose value has a `Type`: resources it may write, with their lines. */
function resourcesWritten(root: ValueNode): Map<string, number> {
  const found = new Map<string, number>();
  const pending: ValueNode[] = [root];
  while (pending.length > 0) {
    const node = resolveAlias(pending.pop()!);
    if (node.type === "Sequence") pending.push(...node.items);
    if (node.type !== "Mapping") continue;
    for (const pair of node.pairs) {
      if (!pair.value) continue;
      const value = resolveAlias(pair.value);
      if (
        pair.key.type === "Scalar" &&
        value.type === "Mapping" &&
        scalarOf(value, "Type") !== undefined &&
        !found.has(String(pair.key.value))
      )
        found.set(String(pair.key.value), pair.key.loc.start.line);
      pending.push(pair.value);
    }
  }
  return found;
}

function scalarOf(mapping: Extract<ValueNode, { type: "Mapping" }>, key: string): unknown {
  const pair = mapping.pairs.find((candidate) => candidate.key.type === "Scalar" && candidate.key.value === key);
  const value = pair?.value && resolveAlias(pair.value);
  return value?.type === "Scalar" ? value.value : undefined;
}

/**
 * The project's cfn-include, found as Node finds a package (node_modules in the template's directory or the
 * nearest above it that has it), inside the root: its ES module entry (`exports` "import", else `main`).
 */
function installedCfnInclude(template: string, root: string): string | undefined {
  const files = new ProjectFiles(root);
  for (const name of PACKAGES) {
    const manifest = files.packageManifest(template, name);
    const text = manifest && files.text(manifest, () => `the cfn-include of ${path.relative(root, template)}`);
    if (!manifest || text === undefined) continue;
    let json: { exports?: unknown; main?: string };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      continue;
    }
    const dot = (json.exports as Record<string, unknown> | undefined)?.["."];
    const conditions = typeof dot === "object" && dot !== null ? (dot as Record<string, unknown>) : {};
    const entry = typeof dot === "string" ? dot : (conditions.import ?? conditions.default);
    const file = path.join(path.dirname(manifest), typeof entry === "string" ? entry : (json.main ?? "index.js"));
    // An entry that leads out of the root is not the project's to run.
    if (placeOf(root, file).kind === "inside") return file;
  }
  return undefined;
}

/**
 * What cfn-include makes of a template, run from the project's own installation with no environment
 * lookups and no `Fn::Eval` (the caller has checked that every include is a local file): the template as
 * JSON text, or why it failed.
 */
async function expandWithCfnInclude(entry: string, template: string): Promise<{ text: string } | { error: string }> {
  try {
    const module = (await import(pathToFileURL(entry).href)) as { default?: unknown; include?: unknown };
    const include = (typeof module.default === "function" ? module.default : module.include) as
      ((options: { url: string; doEnv: boolean; doEval: boolean }) => Promise<unknown>) | undefined;
    if (typeof include !== "function") return { error: "the installed cfn-include has no include function" };
    const expanded = await include({ url: pathToFileURL(template).href, doEnv: false, doEval: false });
    return { text: `${JSON.stringify(expanded, null, 2)}\n` };
  } catch (error) {
    return { error: `cfn-include failed: ${String((error as Error)?.message ?? error).split("\n")[0]}` };
  }
}

/** A template that cfn-include expanded: the text it makes, for the lint, and the source it came from. */
export interface Expanded {
  source: string;
  expanded: string;
  /** Where an included file writes a resource, by logical ID: the file (absolute) and line. */
  included: Map<string, { file: string; line: number }>;
}

/**
 * The templates that use cfn-include's functions, expanded with the project's cfn-include when that is
 * allowed and possible; the others get a note saying what is not checked and how to have it checked, or,
 * when an expansion fails, a located warning in `failures`.
 */
export async function expandCfnIncludeTemplates(
  templates: string[],
  root: string,
  trusted: boolean,
  note: (text: string) => void,
): Promise<{ expanded: Map<string, Expanded>; failures: Map<string, { message: string; line: number; column: number }> }> {
  const expanded = new Map<string, Expanded>();
  const failures = new Map<string, { message: string; line: number; column: number }>();
  for (const template of templates) {
    const read = readInside(root, template);
    if (read.kind !== "read") continue;
    const source = read.bytes.toString("utf8");
    if (!/Fn::|!/u.test(source)) continue;
    const use = cfnIncludeUse(source);
    if (!use) continue;
    const where = `${path.relative(root, template) || template}:${use.line}:${use.column}`;
    const unchecked = `uses cfn-include's ${use.name}, which this linter does not expand itself: what it produces is not checked`;
    if (!trusted) {
      note(`${where}: ${unchecked} (with --no-config-lookup, cfn-include, code of the project, is not run)`);
      continue;
    }
    const entry = installedCfnInclude(template, root);
    if (!entry) {
      note(`${where}: ${unchecked}; install @znemz/cfn-include (or cfn-include) in the project to lint what it expands to`);
      continue;
    }
    const included = new Map<string, { file: string; line: number }>();
    const problem = expansionProblem(template, root, included);
    if (problem) {
      note(`${where}: ${unchecked}; not expanded with the project's cfn-include because ${problem}`);
      continue;
    }
    const result = await expandWithCfnInclude(entry, template);
    if ("error" in result) failures.set(template, { message: `Not checked: ${result.error}`, line: use.line, column: use.column });
    else expanded.set(template, { source, expanded: result.text, included });
  }
  return { expanded, failures };
}

/**
 * The lint's messages on what cfn-include made of a template, placed in the template the user wrote: at
 * the resource with the same logical ID when it is written there, else at the cfn-include function that
 * produced it; each message says so, and names the included file and line that write the resource, when
 * one does. Fixes and suggestions, which edit the expansion, are dropped.
 */
export function locateInSource(
  { source, expanded, included }: Expanded,
  messages: Linter.LintMessage[],
  root: string,
): Array<{ message: Linter.LintMessage; writtenIn: { resource: string; file: string; line: number } | undefined }> {
  const made = readTemplateText(expanded);
  const written = readTemplateText(source);
  const lines = new LineIndex(expanded);
  const use = cfnIncludeUse(source)!;
  const placed = messages.map((message) => {
    const offset = lines.offset(message.line) + Math.max(0, message.column - 1);
    const resource = made.kind === "template" ? resourceAt(made.analysis.template, offset) : undefined;
    const own = resource && written.kind === "template" ? written.analysis.template.resources.get(resource.logicalId) : undefined;
    const at = own ? own.node.key.loc.start : { line: use.line, column: use.column };
    const from = resource && !own ? included.get(resource.logicalId) : undefined;
    const where = resource
      ? `resource ${resource.logicalId}${from ? `, written in ${path.relative(root, from.file)}:${from.line},` : ""} of what cfn-include makes of this template`
      : "what cfn-include makes of this template";
    const { fix: _fix, suggestions: _suggestions, ...rest } = message;
    return {
      message: {
        ...rest,
        message: `${message.message} (in ${where})`,
        line: at.line,
        column: at.column,
        endLine: at.line,
        endColumn: at.column,
      },
      writtenIn: from && resource ? { resource: resource.logicalId, ...from } : undefined,
    };
  });
  return placed.sort((a, b) => a.message.line - b.message.line || a.message.column - b.message.column);
}
