import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { UnicodeEncoding } from "../language/encoding.js";
import { byteOrderMarkEncoding, decodeUnicode } from "../language/encoding.js";
import { textLooksLikeTemplate } from "../language/template-sniff.js";
import { visibleText } from "../language/visible-text.js";
import { fileKind, isWithin, outsideReason, placeOf, readInside } from "../files/contained.js";
import { UsageError } from "./options.js";
import { ProjectFiles } from "../handlers/project-files.js";
import { projectRoot } from "../handlers/project-index.js";

const TEMPLATE_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".template"]);
const HANDLER_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".py"]);
/** Installed packages, never the project's own code: npm's, and a Python environment's (a hidden `.venv` is skipped as hidden). */
const SKIPPED_DIRECTORIES = new Set(["node_modules", "site-packages", "__pycache__"]);

/** The files to lint: templates, and handler code that calls the AWS SDK. */
export interface Discovered {
  /** The directory every file read is inside (after symbolic links): ESLint's working directory. */
  root: string;
  templates: string[];
  handlers: string[];
  /** Files that may be templates but could not be read, with the reason: reported, never skipped silently. */
  unreadable: Unreadable[];
  /** Templates in UTF-16 or UTF-32 (with a byte order mark), decoded: ESLint would read them as UTF-8. */
  decoded: Map<string, { text: string; encoding: UnicodeEncoding }>;
  /** What a user should know about what was found (a Serverless service without its template, a link not followed). */
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
/** Whether a directory walk looks into a file at this path below it for a template (by its name alone). */
export function walkMayFindTemplate(relativePath: string): boolean {
  const directories = relativePath.split(/[\\/]/u).slice(0, -1);
  return hasTemplateExtension(relativePath) && directories.every(isWalked);
}

/** Whether a directory walk goes into a directory of this name (not hidden, not a package store). */
function isWalked(directory: string): boolean {
  return !directory.startsWith(".") && !SKIPPED_DIRECTORIES.has(directory);
}

function hasTemplateExtension(file: string): boolean {
  return TEMPLATE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

export function discoverTemplates(paths: string[], cwd: string): string[] {
  return discover(paths, cwd).templates;
}

/**
 * The directory the CLI lints from: the working directory, or, when a path given is outside it, the
 * deepest directory that holds every path given (ESLint lints only files inside its working directory).
 */
export function lintedRoot(paths: string[], cwd: string): string {
  const absolute = paths.map((given) => path.resolve(cwd, given));
  if (absolute.every((file) => isWithin(path.resolve(cwd), file))) return path.resolve(cwd);
  return commonDirectory(absolute);
}

/**
 * Templates and code files (JavaScript or TypeScript that imports `@aws-sdk/`, `aws-sdk` or `aws-cdk-lib`; Python that imports boto3) among
 * the given paths. Nothing is read outside the linted root: a symbolic link whose target is outside it
 * is not followed (a note says so), and a file named on the command line that leads outside it is unreadable.
 */
export function discover(paths: string[], cwd: string, options: { withHandlers?: boolean } = {}): Discovered {
  const root = lintedRoot(paths, cwd);
  const found: Discovered = { root, templates: [], handlers: [], unreadable: [], decoded: new Map(), notes: [] };
  /** Templates named on the command line (not found in a directory). */
  const named: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new UsageError(`No such file or directory: ${visibleText(given)}`);
    }
    if (stats.isDirectory()) {
      walk(absolute, found);
      continue;
    }
    // A FIFO would block the read, and a device is no template: neither is linted.
    if (!stats.isFile()) throw new UsageError(`Not a file or directory that can be linted: ${visibleText(given)} is ${fileKind(stats)}`);
    const place = placeOf(root, absolute);
    if (place.kind === "outside") found.unreadable.push({ file: absolute, reason: outsideReason(place.real) });
    // serverless.yml is no template: the one `serverless package` writes beside it is.
    else if (SERVERLESS_CONFIGS.has(path.basename(absolute))) serverlessTemplate(path.dirname(absolute), path.basename(absolute), found);
    else if (isHandlerPath(absolute)) found.handlers.push(absolute);
    else {
      found.templates.push(absolute);
      // A file named on the command line is linted whatever it holds; only one with a byte order mark is decoded here.
      const read = readTemplateText(root, absolute);
      if (typeof read === "object" && read.encoding) found.decoded.set(absolute, { text: read.text, encoding: read.encoding });
      if (typeof read === "object" && textLooksLikeTemplate(read.text)) named.push(absolute);
    }
  }
  if (options.withHandlers) addProjectHandlers(found, named);
  return {
    root,
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

/**
 * The handler code of the projects of the templates named on the command line (`--with-handlers`): what a
 * change to a template may break, for a hook that is given only the staged files.
 */
function addProjectHandlers(found: Discovered, named: string[]): void {
  const files = new ProjectFiles(found.root);
  const projects = new Set(named.map((template) => projectRoot(files, template)));
  for (const project of projects) walk(project, found, true);
}

function walk(directory: string, found: Discovered, handlersOnly = false): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // an unreadable directory holds nothing we can lint
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (isWalked(entry.name)) walk(full, found, handlersOnly);
      continue;
    }
    if (SERVERLESS_CONFIGS.has(entry.name) && !handlersOnly) serverlessTemplate(directory, entry.name, found);
    const mayBeTemplate = !handlersOnly && hasTemplateExtension(entry.name);
    const mayBeCode = isHandlerPath(full);
    if (!mayBeTemplate && !mayBeCode) continue;
    // A symbolic link to a file is linted like the file (as `eslint <dir>` does) when the file is inside
    // the linted root; links to directories are not followed.
    if (entry.isSymbolicLink()) {
      const place = placeOf(found.root, full);
      if (place.kind === "outside") {
        found.notes.push(`not following ${visibleText(full)}: it is a symbolic link that leads outside ${visibleText(found.root)}`);
        continue;
      }
      if (place.kind === "missing") {
        if (mayBeTemplate && !existsSync(full))
          found.unreadable.push({ file: full, reason: "it is a symbolic link to a file that does not exist" });
        continue;
      }
      if (!linksToFile(place.real)) continue;
    } else if (!entry.isFile()) continue;
    if (mayBeTemplate) {
      const read = readTemplateText(found.root, full);
      if (typeof read === "string") found.unreadable.push({ file: full, reason: read });
      else if (read && textLooksLikeTemplate(read.text.replaceAll("\u0000", ""))) {
        // A stray NUL byte does not hide a template: linted, it gets the parser's one located message.
        found.templates.push(full);
        if (read.encoding) found.decoded.set(full, { text: read.text, encoding: read.encoding });
      }
    } else if (isAwsCode(found.root, full)) {
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
function serverlessTemplate(directory: string, config: string, found: Discovered): void {
  const template = path.join(directory, SERVERLESS_TEMPLATE);
  const place = placeOf(found.root, template);
  if (place.kind === "inside") found.templates.push(template);
  else if (place.kind === "outside")
    found.notes.push(`not following ${visibleText(template)}: it leads outside ${visibleText(found.root)}`);
  else
    found.notes.push(
      `${visibleText(path.join(directory, config))} is a Serverless Framework service, not a template: run \`serverless package\` in ${visibleText(directory)}, which writes ${SERVERLESS_TEMPLATE}, to lint what it deploys`,
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
 * when it is gone or too large to be a template; a string says why it could not be read.
 */
function readTemplateText(root: string, file: string): { text: string; encoding: UnicodeEncoding | undefined } | string | undefined {
  const read = readInside(root, file);
  if (read.kind === "missing") return undefined;
  if (read.kind === "refused") return read.reason.startsWith("it is larger than") ? undefined : read.reason;
  const encoding = byteOrderMarkEncoding(read.bytes);
  return { text: encoding ? decodeUnicode(read.bytes, encoding) : read.bytes.toString("utf8"), encoding };
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

/**
 * Code the code rules look at: handlers (they import the AWS SDK, v3 or v2, whose calls are listed as
 * not checked) and CDK apps (they import aws-cdk-lib). A bundle that inlines the SDK imports none of it:
 * its calls are not read there (a minified bundle's clients are its own), but in its sources.
 */
function isAwsCode(root: string, file: string): boolean {
  const read = readInside(root, file);
  return read.kind === "read" && (file.endsWith(".py") ? BOTO3_IMPORT : AWS_IMPORT).test(read.bytes.toString("utf8"));
}

/**
 * An import or require of what the code rules read: an AWS SDK v3 client (`@aws-sdk/client-*`, the
 * `lib-*` helpers, credential providers), the SDK v2, or aws-cdk-lib. The SDK's own modules, which a
 * bundle inlines (`@aws-sdk/signature-v4a` in its messages), are none of them.
 */
const AWS_IMPORT =
  /\b(?:from|import|require)\s*\(?\s*["'](?:@aws-sdk\/(?:client-|lib-|credential-providers)|aws-sdk["'/]|aws-cdk-lib["'/])/u;

/** A Python import of boto3 (`import boto3`, `from boto3 import client`, `from boto3.session import Session`). */
const BOTO3_IMPORT = /^[ \t]*(?:import[ \t]+boto3\b|from[ \t]+boto3(?:\.\w+)*[ \t]+import\b)/mu;

/** The deepest directory that holds every path (each a directory, or a file whose directory counts). */
function commonDirectory(paths: string[]): string {
  const directories = paths.map((file) => (isDirectory(file) ? file : path.dirname(file)));
  let common = directories[0]!;
  for (const directory of directories) {
    while (!isWithin(common, directory)) common = path.dirname(common);
  }
  return common;
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
