import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Analysis } from "../analyzers/analysis.js";
import { readTemplateText } from "../analyzers/template-text.js";
import { textLooksLikeTemplate } from "../language/template-sniff.js";
import { outsideReason, placeOf, readInside } from "../files/contained.js";

/** A template found for a handler file, analysed. */
export interface LoadedTemplate {
  file: string;
  analysis: Analysis;
}

/** What named a path: a description, or a function that gives it (computed only when the path is refused). */
export type NamedBy = string | (() => string);

/** A path that the linted tree (or its settings) names and that was not read, with why. */
export interface Refusal {
  /** The path as shown to the user: relative to the root when inside it. */
  path: string;
  /** What named it: a setting, or a file and where in it (`cdk.out/manifest.json:5:27`). */
  from: string;
  reason: string;
}

interface CacheEntry {
  real: string;
  mtimeMs: number;
  size: number;
  template: LoadedTemplate | undefined;
}

/**
 * Parsed templates by path, re-read when the file it leads to changes on disk (another target, modification
 * time or size), so an editor or a long-running ESLint sees template edits.
 */
const cache = new Map<string, CacheEntry>();

/**
 * What the rules read beside the file they lint: every path (from settings, a CDK manifest, `cdk.json`,
 * a template search) is read only when it resolves, after symbolic links, inside the linted root (ESLint's
 * working directory), and only up to a bound; what is refused is kept, to be reported where the user sees
 * it. This is the one place where the rules read files.
 */
export class ProjectFiles {
  readonly #refusals = new Map<string, Refusal>();

  constructor(readonly root: string) {}

  /** The paths refused so far, each once. */
  get refusals(): Refusal[] {
    return [...this.#refusals.values()];
  }

  /** A path as messages show it: relative to the root, or its name when outside it. */
  display(file: string): string {
    return displayPath(this.root, file);
  }

  /** The text of a file inside the root; undefined when it is absent or refused (then recorded). */
  text(file: string, from: NamedBy): string | undefined {
    return this.bytes(file, from)?.toString("utf8");
  }

  /** The bytes of a file inside the root, as `text` reads them. */
  bytes(file: string, from: NamedBy): Buffer | undefined {
    const outcome = readInside(this.root, file);
    if (outcome.kind === "refused") this.#refuse(file, from, outcome.reason);
    return outcome.kind === "read" ? outcome.bytes : undefined;
  }

  /** The names in a directory inside the root; undefined when it is absent or refused (then recorded). */
  entries(directory: string, from: NamedBy): string[] | undefined {
    const place = placeOf(this.root, directory);
    if (place.kind === "outside") this.#refuse(directory, from, outsideReason(place.real));
    if (place.kind !== "inside") return undefined;
    try {
      return readdirSync(place.real);
    } catch {
      return undefined;
    }
  }

  /** Whether a path leads to something inside the root (without reading it). */
  existsInside(file: string): boolean {
    return placeOf(this.root, file).kind === "inside";
  }

  /** The package.json of a package as Node finds it from a file: node_modules/<name> in the nearest directory above, inside the root. */
  packageManifest(from: string, name: string): string | undefined {
    for (let directory = path.dirname(from); this.existsInside(directory); directory = path.dirname(directory)) {
      const manifest = path.join(directory, "node_modules", name, "package.json");
      if (this.isFileInside(manifest)) return manifest;
      if (path.dirname(directory) === directory) break;
    }
    return undefined;
  }

  /** Whether a path leads to a regular file inside the root (without reading it). */
  isFileInside(file: string): boolean {
    const place = placeOf(this.root, file);
    try {
      return place.kind === "inside" && statSync(place.real).isFile();
    } catch {
      return false;
    }
  }

  /** The template at a path, parsed and analysed through the cache; undefined when absent, refused or not a template. */
  template(file: string, from: NamedBy): LoadedTemplate | undefined {
    const place = placeOf(this.root, file);
    if (place.kind === "outside") this.#refuse(file, from, outsideReason(place.real));
    if (place.kind !== "inside") return undefined;
    let stats;
    try {
      stats = statSync(place.real, { throwIfNoEntry: false });
    } catch {
      stats = undefined;
    }
    if (!stats?.isFile()) {
      cache.delete(file);
      return undefined;
    }
    const cached = cache.get(file);
    if (cached && cached.real === place.real && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.template;
    const text = this.text(file, from);
    if (text === undefined) return undefined;
    // Most YAML and JSON of a project is no template: a look at its words spares the parse.
    const read = textLooksLikeTemplate(text) ? readTemplateText(text) : undefined;
    const template = read?.kind === "template" ? { file, analysis: read.analysis } : undefined;
    cache.set(file, { real: place.real, mtimeMs: stats.mtimeMs, size: stats.size, template });
    return template;
  }

  #refuse(file: string, namedBy: NamedBy, reason: string): void {
    const shown = this.display(file);
    const from = typeof namedBy === "string" ? namedBy : namedBy();
    this.#refusals.set(`${shown}\u0000${from}`, { path: shown, from, reason });
  }
}

/** A path as messages show it: relative to the working directory, or its name when outside it. */
function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return cwd === path.parse(cwd).root || relative.startsWith("..") ? path.basename(file) : relative;
}
