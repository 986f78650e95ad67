import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { isWithin } from "../files/contained.js";
import type { LoadedTemplate, ProjectFiles } from "./project-files.js";
import { RecentAnswers, TRUSTED_FOR_MS } from "./recent-answers.js";

const TEMPLATE_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".template"]);
const CODE_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py"]);
const SKIPPED_DIRECTORIES = new Set(["node_modules"]);

interface ProjectIndex {
  checkedAt: number;
  /** Every directory walked, with its modification time: a file added or removed changes it. */
  directories: Map<string, number>;
  /** Every file that may be a template, by its extension. */
  candidates: string[];
  /** Every JavaScript or TypeScript file, by its name. */
  code: Map<string, string[]>;
}

const indexes = new Map<string, ProjectIndex>();
/** Whether a directory holds a project marker. */
const markedDirectories = new RecentAnswers<boolean>();

/** What marks the root of a project: a SAM config, a CDK app, a Serverless service, a repository. */
const PROJECT_MARKERS = ["samconfig.toml", "samconfig.yaml", "samconfig.yml", "cdk.json", "serverless.yml", "serverless.yaml", ".git"];

/**
 * The project a file belongs to: the nearest directory above it (no higher than the linted root) that
 * holds a SAM config, a `cdk.json`, a Serverless service or a `.git`; else the linted root. A
 * monorepo's services are then projects of their own.
 */
export function projectRoot(files: ProjectFiles, file: string): string {
  const root = path.resolve(files.root);
  for (let directory = path.dirname(path.resolve(root, file)); isWithin(root, directory); directory = path.dirname(directory)) {
    const marked = markedDirectories.get(root, directory, () =>
      PROJECT_MARKERS.some((marker) => files.existsInside(path.join(directory, marker))),
    );
    if (marked) return directory;
    if (directory === root || path.dirname(directory) === directory) break;
  }
  return root;
}

/**
 * Every template of a project (a directory: see projectRoot): the files below it that may be templates
 * (YAML, JSON, `.template`), hidden directories (`.aws-sam`'s build copies, `.git`) and node_modules
 * left out, read through ProjectFiles (each re-read when it changes). The walk is redone when a
 * directory changes.
 */
export function projectTemplates(files: ProjectFiles, project: string): LoadedTemplate[] {
  return projectIndex(project)
    .candidates.map((file) => files.template(file, "the project's templates"))
    .filter((template): template is LoadedTemplate => template !== undefined);
}

/** The JavaScript and TypeScript files of a project (as projectTemplates walks it) with a given name. */
export function projectCodeFiles(project: string, name: string): string[] {
  return projectIndex(project).code.get(name) ?? [];
}

function projectIndex(project: string): ProjectIndex {
  const root = path.resolve(project);
  let index = indexes.get(root);
  const now = Date.now();
  if (!index || (now - index.checkedAt > TRUSTED_FOR_MS && !directoriesUnchanged(index))) {
    index = walk(root);
    indexes.set(root, index);
  }
  index.checkedAt = now;
  return index;
}

function directoriesUnchanged(index: ProjectIndex): boolean {
  for (const [directory, mtimeMs] of index.directories) {
    try {
      if (statSync(directory).mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function walk(root: string): ProjectIndex {
  const index: ProjectIndex = { checkedAt: 0, directories: new Map(), candidates: [], code: new Map() };
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop()!;
    let entries;
    try {
      index.directories.set(directory, statSync(directory).mtimeMs);
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      // Links to directories are not followed; a link to a file is read only if it stays inside the root (ProjectFiles).
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".") && !SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      } else if (TEMPLATE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        index.candidates.push(full);
      } else if (CODE_EXTENSIONS.has(path.extname(entry.name))) {
        index.code.set(entry.name, [...(index.code.get(entry.name) ?? []), full]);
      }
    }
  }
  index.candidates.sort();
  return index;
}
