import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { LoadedTemplate, ProjectFiles } from "./project-files.js";

const TEMPLATE_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".template"]);
const SKIPPED_DIRECTORIES = new Set(["node_modules"]);
/** How long a walk of the project is trusted before its directories are checked again (an editor keeps running). */
const TRUSTED_FOR_MS = 1000;

interface ProjectIndex {
  checkedAt: number;
  /** Every directory walked, with its modification time: a file added or removed changes it. */
  directories: Map<string, number>;
  /** Every file that may be a template, by its extension. */
  candidates: string[];
}

const indexes = new Map<string, ProjectIndex>();

/**
 * Every template of the project: the files below the linted root that may be templates (YAML, JSON,
 * `.template`), hidden directories (`.aws-sam`'s build copies, `.git`) and node_modules left out, read
 * through ProjectFiles (each re-read when it changes). The walk is redone when a directory changes.
 */
export function projectTemplates(files: ProjectFiles): LoadedTemplate[] {
  const root = path.resolve(files.root);
  let index = indexes.get(root);
  const now = Date.now();
  if (!index || (now - index.checkedAt > TRUSTED_FOR_MS && !directoriesUnchanged(index))) {
    index = walk(root);
    indexes.set(root, index);
  }
  index.checkedAt = now;
  return index.candidates
    .map((file) => files.template(file, "the project's templates"))
    .filter((template): template is LoadedTemplate => template !== undefined);
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
  const index: ProjectIndex = { checkedAt: 0, directories: new Map(), candidates: [] };
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
      }
    }
  }
  index.candidates.sort();
  return index;
}
