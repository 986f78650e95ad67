import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import path from "node:path";

/**
 * The most bytes read of any one file (CloudFormation's own limit for a template is 1 MB): the same
 * bound as the template parser's, so that nothing is read that would not be parsed.
 */
const MAX_READ_BYTES = 50 * 1024 * 1024;

/** Where a path leads once every symbolic link is followed. */
export type Place = { kind: "inside"; real: string } | { kind: "outside"; real: string } | { kind: "missing" };

/** Whether `file` is `directory` or below it (both absolute and already resolved). */
export function isWithin(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

const realRoots = new Map<string, string>();

/** The root's own real path (a root reached through a link still holds what is below the link), looked up once. */
function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = realpathSync.native(root);
    } catch {
      real = path.resolve(root);
    }
    realRoots.set(root, real);
  }
  return real;
}

/** Where a path leads after symbolic links: inside the root, outside it (with its real path), or nowhere. */
export function placeOf(root: string, file: string): Place {
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch {
    return { kind: "missing" };
  }
  return isWithin(realRoot(root), real) ? { kind: "inside", real } : { kind: "outside", real };
}

export type ReadOutcome = { kind: "read"; bytes: Buffer; real: string } | { kind: "missing" } | { kind: "refused"; reason: string };

/** The reason given for a path whose real path is outside the root. */
export function outsideReason(real: string): string {
  return `it leads outside the linted root, to ${real}`;
}

/**
 * Reads a file that a path from the linted tree names, only when it resolves (after symbolic links)
 * inside the root, is a regular file (a FIFO would block the read) and holds at most `maxBytes`. It
 * is opened once, by its real path, and checked on that open descriptor: what is read is what was checked.
 */
export function readInside(root: string, file: string, maxBytes = MAX_READ_BYTES): ReadOutcome {
  const place = placeOf(root, file);
  if (place.kind === "missing") return place;
  if (place.kind === "outside") return { kind: "refused", reason: outsideReason(place.real) };
  let descriptor: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once; fstat below refuses it.
    descriptor = openSync(place.real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return failure(error);
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return { kind: "refused", reason: `it is ${fileKind(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { kind: "refused", reason: `it is larger than ${maxBytes / 1048576} MB` };
    const bytes = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const count = readSync(descriptor, bytes, filled, bytes.length - filled, filled);
      if (count === 0) break;
      filled += count;
    }
    return { kind: "read", bytes: bytes.subarray(0, filled), real: place.real };
  } catch (error) {
    return failure(error);
  } finally {
    closeSync(descriptor);
  }
}

function failure(error: unknown): ReadOutcome {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === "ENOENT") return { kind: "missing" };
  return { kind: "refused", reason: code === "EACCES" || code === "EPERM" ? "permission denied" : message.replace(/^\w+: /u, "") };
}

/** What a file that is not a regular one is, as a noun phrase. */
export function fileKind(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "a special file";
}
