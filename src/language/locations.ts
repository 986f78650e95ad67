import type { Position, SourceLocation } from "./ast.js";

/** Turns text offsets into 1-based line and column positions. */
export class LineIndex {
  readonly #lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      // \r\n, \r and \n all end a line, as in ESLint's own line splitting.
      if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10)) this.#lineStarts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.#lineStarts[low]! + 1 };
  }

  /** The offset where a 1-based line starts (the end of the text past the last line). */
  offset(line: number): number {
    return this.#lineStarts[line - 1] ?? this.#lineStarts[this.#lineStarts.length - 1]!;
  }

  location(start: number, end: number): SourceLocation {
    return { start: this.position(start), end: this.position(end) };
  }
}

/** An end offset moved back over white space (a plain scalar's range can include a CR, a block collection's the next line). */
export function trimmedEnd(text: string, start: number, end: number): number {
  let trimmed = end;
  while (trimmed > start && /\s/u.test(text[trimmed - 1]!)) trimmed--;
  return trimmed;
}

/** The offset of a 1-based line and column of a text (as our language and its parse problems give them). */
export function offsetAt(text: string, { line, column }: { line: number; column: number }): number {
  return Math.min(text.length, new LineIndex(text).offset(line) + column - 1);
}
