import { closeSync, existsSync, openSync, readSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { UnicodeEncoding } from "../language/encoding.js";
import { byteOrderMarkEncoding, decodeUnicode } from "../language/encoding.js";
import { textLooksLikeTemplate } from "../language/template-sniff.js";
import { UsageError } from "./options.js";

const TEMPLATE_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".template"]);
const HANDLER_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);
const SKIPPED_DIRECTORIES = new Set(["node_modules"]);
/** Files larger than this are not read while searching a directory (CloudFormation's limit is 1 MB). */
const MAX_SNIFF_BYTES = 50 * 1024 * 1024;

/** The files to lint: templates, and handler code that calls the AWS SDK. */
export interface Discovered {
  templates: string[];
  handlers: string[];
  /** Files that may be templates but could not be read, with the reason: reported, never skipped silently. */
  unreadable: Unreadable[];
  /** Templates in UTF-16 or UTF-32 (with a byte order mark), decoded: ESLint would read them as UTF-8. */
  decoded: Map<string, { text: string; encoding: UnicodeEncoding }>;
  /** What a user should know about what was found (a Serverless service without its template). */
  notes: string[];
}

export interface Unreadable {
  file: string;
  reason: string;
}

/**
 * The template files among the given paths, sorted. A file named explicitly is always linted; a file
 * found in a directory is linted when its content is a CloudFormation or SAM template. Hidden directories
 * and node_modules are skipped; `cdk.out` is searched like any other directory.
 */
export function discoverTemplates(paths: string[], cwd: string): string[] {
  return discover(paths, cwd).templates;
}

/** Templates and code files (JavaScript or TypeScript that imports `@aws-sdk/` or `aws-cdk-lib`) among the given paths. */
export function discover(paths: string[], cwd: string): Discovered {
  const found: Discovered = { templates: [], handlers: [], unreadable: [], decoded: new Map(), notes: [] };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new UsageError(`No such file or directory: ${given}`);
    }
    if (stats.isDirectory()) walk(absolute, found);
    else if (isHandlerPath(absolute)) found.handlers.push(absolute);
    else {
      found.templates.push(absolute);
      // Only the first bytes: a file named on the command line is linted whatever it holds.
      const read = byteOrderMarkEncoding(leadingBytes(absolute)) && readTemplateText(absolute);
      if (read && typeof read === "object" && read.encoding) found.decoded.set(absolute, { text: read.text, encoding: read.encoding });
    }
  }
  return {
    templates: [...new Set(found.templates)].sort(),
    handlers: [...new Set(found.handlers)].sort(),
    unreadable: found.unreadable.sort((a, b) => a.file.localeCompare(b.file)),
    decoded: found.decoded,
    notes: [...new Set(found.notes)],
  };
}

function isHandlerPath(file: string): boolean {
  return HANDLER_EXTENSIONS.has(path.extname(file)) && !file.endsWith(".d.ts");
}

function walk(directory: string, found: Discovered): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // an unreadable directory holds nothing we can lint
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !SKIPPED_DIRECTORIES.has(entry.name)) walk(full, found);
      continue;
    }
    if (SERVERLESS_CONFIGS.has(entry.name)) serverlessTemplate(directory, found);
    // A symbolic link to a file is linted like the file (as `eslint <dir>` does); links to directories are not followed.
    const isFile = entry.isFile() || (entry.isSymbolicLink() && linksToFile(full));
    const mayBeTemplate = TEMPLATE_EXTENSIONS.has(path.extname(entry.name).toLowerCase());
    if (entry.isSymbolicLink() && !isFile && mayBeTemplate && !existsSync(full)) {
      found.unreadable.push({ file: full, reason: "it is a symbolic link to a file that does not exist" });
    } else if (isFile && mayBeTemplate) {
      const read = readTemplateText(full);
      if (typeof read === "string") found.unreadable.push({ file: full, reason: read });
      else if (read && !read.text.includes("\u0000") && textLooksLikeTemplate(read.text)) {
        found.templates.push(full);
        if (read.encoding) found.decoded.set(full, { text: read.text, encoding: read.encoding });
      }
    } else if (isFile && isHandlerPath(full) && isAwsCode(full)) {
      found.handlers.push(full);
    }
  }
}

/** The Serverless Framework's service files, and the template that `serverless package` writes. */
const SERVERLESS_CONFIGS = new Set(["serverless.yml", "serverless.yaml", "serverless.ts", "serverless.js", "serverless.json"]);
const SERVERLESS_TEMPLATE = path.join(".serverless", "cloudformation-template-update-stack.json");

/**
 * A Serverless Framework service holds no template of its own: the one `serverless package` writes to
 * `.serverless/` (a hidden directory, skipped otherwise) is linted, and without it a note says how to get it.
 */
function serverlessTemplate(directory: string, found: Discovered): void {
  const template = path.join(directory, SERVERLESS_TEMPLATE);
  if (existsSync(template)) found.templates.push(template);
  else
    found.notes.push(
      `${directory} is a Serverless Framework service with no template to lint: run \`serverless package\` there, which writes ${SERVERLESS_TEMPLATE}`,
    );
}

function linksToFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * A file's text, decoded by its byte order mark when it has one (with the encoding it names); undefined
 * for a file too large to be a template; a string says why it could not be read.
 */
function readTemplateText(file: string): { text: string; encoding: UnicodeEncoding | undefined } | string | undefined {
  let bytes;
  try {
    if (statSync(file).size > MAX_SNIFF_BYTES) return undefined;
    bytes = readFileSync(file);
  } catch (error) {
    return readFailure(error);
  }
  const encoding = byteOrderMarkEncoding(bytes);
  return { text: encoding ? decodeUnicode(bytes, encoding) : bytes.toString("utf8"), encoding };
}

function leadingBytes(file: string): Uint8Array {
  const bytes = new Uint8Array(4);
  try {
    const descriptor = openSync(file, "r");
    try {
      readSync(descriptor, bytes, 0, 4, 0);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // ESLint reports what it cannot read; the bytes stay zero here.
  }
  return bytes;
}

/** Why a file found earlier could not be linted when it is gone. */
export const VANISHED = "it no longer exists";

/** A file system error as a reason a user can act on. */
export function readFailure(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return VANISHED;
  return message.replace(/^\w+: /u, "");
}

/** Code the code rules look at: handlers (they import the AWS SDK) and CDK apps (they import aws-cdk-lib). */
function isAwsCode(file: string): boolean {
  try {
    return statSync(file).size <= MAX_SNIFF_BYTES && /@aws-sdk\/|["']aws-cdk-lib["'/]/u.test(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

/** The deepest directory that holds every file: ESLint lints only files inside its working directory. */
export function commonDirectory(files: string[], fallback: string): string {
  if (files.length === 0) return fallback;
  let common = path.dirname(files[0]!);
  for (const file of files) {
    while (!file.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) {
      const parent = path.dirname(common);
      if (parent === common) return common;
      common = parent;
    }
  }
  return common;
}
