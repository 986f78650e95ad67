import { statSync } from "node:fs";
import path from "node:path";
import { withoutExtension } from "../../analyzers/wiring/handler-functions.js";
import type { ProjectFiles } from "../project-files.js";
import { RecentAnswers } from "../recent-answers.js";
import type { ModuleFacts } from "./module-facts.js";
import { MODULE_LEVEL, moduleFacts, parseReference } from "./module-facts.js";
import { parseCode } from "./parse.js";
import { pythonFacts } from "../../python/code-file.js";

/**
 * What a handler reaches, by module (its path without extension, so that `app.ts` and the `app.js` it
 * compiles to are one module): the units it reaches there, or "all" when which ones cannot be told
 * (an export this reader cannot find, a module used as a whole).
 */
export type Reach = Map<string, Set<string> | "all">;

/** Extensions a relative import may leave out, in the order Node and TypeScript's bundlers try them. */
const IMPORT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** Where a module may import a local one: `from "./x"`, `require("../x")`, `import("#x")`, `import "./x"`. */
const LOCAL_IMPORT = /\b(?:from|import|require)\s*\(?\s*["'`](?:\.{1,2}\/|\.{1,2}["'`]|#)/u;
/** Where a Python module may import another: any import statement (an absolute import may name a local module). */
const PYTHON_IMPORT = /^\s*(?:from|import)\s/mu;
/** A handler's module graph is followed no further than this many modules. */
const MAX_MODULES = 2000;

/** What is left to reach: a unit, an export, or all of a module. */
type Pending = Array<{ file: string; kind: "unit" | "export" | "all"; name: string }>;

interface CachedFacts {
  mtimeMs: number;
  size: number;
  facts: ModuleFacts | undefined;
}

/** Module facts by path, re-read when the file changes (as templates are). */
const factsCache = new Map<string, CachedFacts>();
/** What each handler reaches, kept while none of the modules it read has changed. */
const reachCache = new Map<string, { reach: Reach; read: string[] }>();

const codeFiles = new RecentAnswers<string | undefined>();
const localImports = new RecentAnswers<boolean>();

/** Whether a module read before is unchanged on disk. */
function unchanged(file: string): boolean {
  const cached = factsCache.get(file);
  try {
    const stats = statSync(file);
    return cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size;
  } catch {
    return false;
  }
}

/**
 * The local modules of a project and what a handler reaches through them. Only relative imports of
 * files inside the linted root are followed (read through ProjectFiles); a package is not.
 */
export class ModuleGraph {
  /**
   * `linted` is the file ESLint is linting, with its facts from the text ESLint has (an editor's buffer
   * may be ahead of the disk): it stands for itself, on disk or not.
   */
  constructor(
    readonly files: ProjectFiles,
    readonly linted?: { file: string; facts: ModuleFacts },
  ) {}

  /** A module's facts; undefined when it cannot be read or parsed (what it reaches is then unknown). */
  facts(file: string): ModuleFacts | undefined {
    if (file === this.linted?.file) return this.linted.facts;
    let stats;
    try {
      stats = statSync(file);
    } catch {
      return undefined;
    }
    const cached = factsCache.get(file);
    if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.facts;
    const text = this.files.text(file, "an import of a handler");
    let facts: ModuleFacts | undefined;
    try {
      facts = text === undefined ? undefined : file.endsWith(".py") ? pythonFacts(text) : moduleFacts(parseCode(text, file), file);
    } catch {
      facts = undefined;
    }
    factsCache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, facts });
    return facts;
  }

  /** The file a module's code file is (its path given without extension, as a handler names it). */
  codeFile(withoutExtensionPath: string): string | undefined {
    if (this.linted && withoutExtension(this.linted.file) === withoutExtensionPath) return this.linted.file;
    return codeFiles.get(this.files.root, withoutExtensionPath, () =>
      [...IMPORT_EXTENSIONS, ".py"].map((extension) => `${withoutExtensionPath}${extension}`).find((file) => this.files.isFileInside(file)),
    );
  }

  /**
   * Whether a module may import a local one, which its text tells without parsing it (a bundle of a
   * megabyte would cost hundreds of megabytes to parse): true when it cannot be read.
   */
  mayImportLocal(file: string): boolean {
    if (file === this.linted?.file) return true;
    return localImports.get(this.files.root, file, () => {
      const text = this.files.text(file, "an import of a handler");
      return text === undefined || (file.endsWith(".py") ? PYTHON_IMPORT : LOCAL_IMPORT).test(text);
    });
  }

  #exists(file: string): boolean {
    return file === this.linted?.file || this.files.isFileInside(file);
  }

  /**
   * The file a local import resolves to, inside the root: a relative one, or a subpath import (`#clients/db`)
   * of the nearest package.json's `imports`; undefined for a package or a file not found.
   */
  resolve(from: string, specifier: string): string | undefined {
    if (from.endsWith(".py")) return this.#resolvePython(from, specifier);
    const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..";
    const base = relative
      ? path.resolve(path.dirname(from), specifier)
      : specifier.startsWith("#")
        ? this.#subpath(from, specifier)
        : undefined;
    if (base === undefined) return undefined;
    const candidates = [base];
    // TypeScript's ESM imports name the compiled file: "./db.js" is db.ts.
    const extension = path.extname(base);
    if ([".js", ".mjs", ".cjs", ".jsx"].includes(extension))
      candidates.push(...IMPORT_EXTENSIONS.map((next) => `${base.slice(0, -extension.length)}${next}`));
    candidates.push(
      ...IMPORT_EXTENSIONS.map((next) => `${base}${next}`),
      ...IMPORT_EXTENSIONS.map((next) => path.join(base, `index${next}`)),
    );
    return candidates.find((file) => this.#exists(file));
  }

  /**
   * A Python import: relative to the importing module's package, or (`py:a.b`) an absolute one, found as
   * `a/b.py` or `a/b/__init__.py` in the importing module's directory or the nearest above it that has it
   * (Lambda puts the code's root on the path); undefined for a package not in the project.
   */
  #resolvePython(from: string, specifier: string): string | undefined {
    const candidates = (base: string) => [`${base}.py`, path.join(base, "__init__.py")];
    if (!specifier.startsWith("py:")) return candidates(path.resolve(path.dirname(from), specifier)).find((file) => this.#exists(file));
    const relativePath = specifier.slice(3).split(".").join(path.sep);
    for (let directory = path.dirname(from); this.files.existsInside(directory); directory = path.dirname(directory)) {
      const found = candidates(path.join(directory, relativePath)).find((file) => this.#exists(file));
      if (found) return found;
      if (path.dirname(directory) === directory) break;
    }
    return undefined;
  }

  /** Where a subpath import points by the `imports` of the package.json nearest above `from` (Node's rule). */
  #subpath(from: string, specifier: string): string | undefined {
    for (let directory = path.dirname(from); this.files.existsInside(directory); directory = path.dirname(directory)) {
      const manifest = path.join(directory, "package.json");
      if (this.files.isFileInside(manifest)) {
        const target = subpathTarget(
          this.files.text(manifest, () => `an import of ${this.files.display(from)}`),
          specifier,
        );
        return target?.startsWith("./") ? path.resolve(directory, target) : undefined;
      }
      if (path.dirname(directory) === directory) break;
    }
    return undefined;
  }

  /** What a handler reaches of one module. An entry that imports no local module reaches no other. */
  reachOf(entry: string, handler: string | undefined, module: string): Set<string> | "all" | undefined {
    if (withoutExtension(entry) !== module && !this.mayImportLocal(entry)) return undefined;
    return this.#reachAll(entry, handler).get(module);
  }

  /**
   * All that a handler reaches, by module, or undefined when it loads more modules than this reader
   * follows (MAX_MODULES): then what it reaches is not known whole.
   */
  handlerReach(entry: string, handler: string | undefined): Reach | undefined {
    const reach = this.#reachAll(entry, handler);
    return reach.size >= MAX_MODULES ? undefined : reach;
  }

  /** What a handler (the export `handler` of the entry file) reaches; with no export known, all of the entry. */
  #reachAll(entry: string, handler: string | undefined): Reach {
    const key = `${this.files.root}\u0000${entry}\u0000${handler ?? ""}`;
    const cached = reachCache.get(key);
    if (cached && !cached.read.includes(this.linted?.file ?? "") && cached.read.every(unchanged)) return cached.reach;
    const computed = this.#reach(entry, handler);
    // What the linted file's own text gives is not the disk's: it is not kept.
    if (!computed.read.includes(this.linted?.file ?? "")) reachCache.set(key, computed);
    return computed.reach;
  }

  #reach(entry: string, handler: string | undefined): { reach: Reach; read: string[] } {
    const reach: Reach = new Map();
    const queue: Pending = [];
    const loaded = new Set<string>();
    const mark = (file: string, unit: string | "all"): boolean => {
      const key = withoutExtension(file);
      const known = reach.get(key);
      if (known === "all") return false;
      if (unit === "all") {
        reach.set(key, "all");
        return true;
      }
      const units = known ?? new Set<string>();
      if (units.has(unit)) return false;
      units.add(unit);
      reach.set(key, units);
      return true;
    };
    const load = (file: string) => {
      if (loaded.has(file) || loaded.size >= MAX_MODULES) return;
      loaded.add(file);
      // Loading a module runs its top-level code.
      queue.push({ file, kind: "unit", name: MODULE_LEVEL });
    };
    load(entry);
    queue.push(handler === undefined ? { file: entry, kind: "all", name: "" } : { file: entry, kind: "export", name: handler });
    const seenExports = new Set<string>();
    while (queue.length > 0) {
      const { file, kind, name } = queue.pop()!;
      const facts = this.facts(file);
      if (kind === "all") {
        if (!mark(file, "all") || !facts) continue;
        for (const unit of facts.references.keys()) this.#follow(file, facts, unit, queue, load);
        continue;
      }
      if (kind === "unit") {
        if (!mark(file, name) || !facts) continue;
        this.#follow(file, facts, name, queue, load);
        continue;
      }
      const exportKey = `${file}\u0000${name}`;
      if (seenExports.has(exportKey)) continue;
      seenExports.add(exportKey);
      if (!facts) {
        mark(file, "all");
        continue;
      }
      const target = facts.exports.get(name);
      if (target?.kind === "unit") queue.push({ file, kind: "unit", name: target.unit });
      else if (target?.kind === "reexport") this.#importOf(file, target.specifier, target.name, queue, load);
      else if (facts.starExports.length > 0) for (const specifier of facts.starExports) this.#importOf(file, specifier, name, queue, load);
      // An export this reader does not see (assigned some other way): any of the module may be it.
      else queue.push({ file, kind: "all", name: "" });
    }
    return { reach, read: [...loaded] };
  }

  #follow(file: string, facts: ModuleFacts, unit: string, queue: Pending, load: (file: string) => void) {
    for (const reference of facts.references.get(unit) ?? []) {
      const target = parseReference(reference);
      if (target.kind === "unit") queue.push({ file, kind: "unit", name: target.unit });
      else this.#importOf(file, target.specifier, target.name, queue, load);
    }
  }

  #importOf(from: string, specifier: string, name: string, queue: Pending, load: (file: string) => void) {
    if (from.endsWith(".py") && name !== "*") {
      // Python's `from package import name` imports the submodule package/name when there is one; `name.attribute`
      // is an attribute of what it names.
      const [first, ...rest] = name.split(".");
      const submodule = this.resolve(from, specifier.startsWith("py:") ? `${specifier}.${first}` : `${specifier}/${first}`);
      if (submodule) {
        load(submodule);
        queue.push(rest.length === 0 ? { file: submodule, kind: "all", name: "" } : { file: submodule, kind: "export", name: rest[0]! });
        return;
      }
      name = first!;
    }
    const file = this.resolve(from, specifier);
    if (!file) return;
    load(file);
    queue.push(name === "*" ? { file, kind: "all", name: "" } : { file, kind: "export", name });
  }
}

/**
 * The target of a subpath import in a package.json's `imports`: an exact key, or the one `*` pattern
 * with the longest prefix; of a conditional target, the first of `node`, `import`, `require`, `default`
 * that is a path (`types` names declarations, which run nothing).
 */
function subpathTarget(manifest: string | undefined, specifier: string): string | undefined {
  let imports: unknown;
  try {
    imports = (JSON.parse(manifest ?? "null") as { imports?: unknown } | null)?.imports;
  } catch {
    return undefined;
  }
  if (!imports || typeof imports !== "object") return undefined;
  const entries = imports as Record<string, unknown>;
  if (Object.hasOwn(entries, specifier)) return conditionalTarget(entries[specifier]);
  const pattern = Object.keys(entries)
    .filter((key) => key.split("*").length === 2 && specifier.startsWith(key.split("*")[0]!) && specifier.endsWith(key.split("*")[1]!))
    .sort((a, b) => b.indexOf("*") - a.indexOf("*"))[0];
  if (pattern === undefined) return undefined;
  const [prefix, suffix] = pattern.split("*") as [string, string];
  const matched = specifier.slice(prefix.length, specifier.length - suffix.length);
  return conditionalTarget(entries[pattern])?.replaceAll("*", matched);
}

function conditionalTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (!target || typeof target !== "object" || Array.isArray(target)) return undefined;
  const conditions = target as Record<string, unknown>;
  for (const condition of ["node", "import", "require", "default"]) {
    const chosen = conditionalTarget(conditions[condition]);
    if (chosen !== undefined) return chosen;
  }
  return undefined;
}
