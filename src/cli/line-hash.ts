/**
 * GitHub code scanning's `primaryLocationLineHash`: the fingerprint it matches alerts by across
 * commits, computed as github/codeql-action's upload-sarif computes it (`src/fingerprints.ts`): a
 * rolling hash (base 37, modulo 2^64) of the first 100 characters from the start of each line, spaces
 * and tabs skipped, line endings read as `\n`, an end marker (65535) and zeros after the text;
 * `hash:n` where n counts the lines with the same hash so far.
 */
const BLOCK_SIZE = 100;
const MOD = 37n;
const FIRST_MOD = MOD ** BigInt(BLOCK_SIZE);
const END_OF_FILE = 65535;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;

/** The hash of each line asked for (1-based), read from the whole text up to the last of them. */
export function lineHashes(text: string, lines: Set<number>): Map<number, string> {
  const hashes = new Map<number, string>();
  const window = new Array<number>(BLOCK_SIZE).fill(0);
  const lineNumbers = new Array<number>(BLOCK_SIZE).fill(-1);
  const counts = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let previousCr = false;

  const output = () => {
    const value = BigInt.asUintN(64, hash).toString(16);
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (lines.has(lineNumbers[index]!)) hashes.set(lineNumbers[index]!, `${value}:${count}`);
    lineNumbers[index] = -1;
  };
  const update = (current: number) => {
    const begin = window[index]!;
    window[index] = current;
    hash = BigInt.asUintN(64, MOD * hash + BigInt(current) - FIRST_MOD * BigInt(begin));
    index = (index + 1) % BLOCK_SIZE;
  };
  const character = (code: number) => {
    if (code === SPACE || code === TAB || (previousCr && code === LF)) {
      previousCr = false;
      return;
    }
    const current = code === CR ? LF : code;
    previousCr = code === CR;
    if (lineNumbers[index] !== -1) output();
    if (lineStart) {
      lineStart = false;
      lineNumber++;
      lineNumbers[index] = lineNumber;
    }
    if (current === LF) lineStart = true;
    update(current);
  };

  for (let i = 0; i < text.length && hashes.size < lines.size; i++) character(text.charCodeAt(i));
  if (hashes.size < lines.size) {
    character(END_OF_FILE);
    for (let i = 0; i < BLOCK_SIZE; i++) {
      if (lineNumbers[index] !== -1) output();
      update(0);
    }
  }
  return hashes;
}
