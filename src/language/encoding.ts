/**
 * Templates in UTF-16 or UTF-32, recognised by their byte order mark. CloudFormation reads templates as
 * UTF-8 only, so such a file is never silently passed over: decoded where we read the bytes (the CLI),
 * and refused, located, where ESLint has already read it as UTF-8.
 */
export type UnicodeEncoding = "UTF-16LE" | "UTF-16BE" | "UTF-32LE" | "UTF-32BE";

/** The encoding a file's byte order mark names; undefined for UTF-8 and files without a mark. */
export function byteOrderMarkEncoding(bytes: Uint8Array): UnicodeEncoding | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return "UTF-32LE";
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return "UTF-32BE";
  if (b0 === 0xff && b1 === 0xfe) return "UTF-16LE";
  if (b0 === 0xfe && b1 === 0xff) return "UTF-16BE";
  return undefined;
}

/** A file's text in the encoding its byte order mark names, without the mark. */
export function decodeUnicode(bytes: Uint8Array, encoding: UnicodeEncoding): string {
  if (encoding === "UTF-16LE" || encoding === "UTF-16BE") return new TextDecoder(encoding.toLowerCase()).decode(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = encoding === "UTF-32LE";
  let text = "";
  for (let offset = 4; offset + 4 <= bytes.length; offset += 4) {
    const code = view.getUint32(offset, little);
    text += code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
  }
  return text;
}

/** The encoding whose byte order mark, read as UTF-8, starts this text (each of its bytes is a U+FFFD or a NUL). */
export function misreadEncoding(text: string): UnicodeEncoding | undefined {
  if (text.startsWith("\ufffd\ufffd\u0000\u0000")) return "UTF-32LE";
  if (text.startsWith("\u0000\u0000\ufffd\ufffd")) return "UTF-32BE";
  if (!text.startsWith("\ufffd\ufffd")) return undefined;
  // FF FE and FE FF read the same; the NUL of the first ASCII character tells little from big endian.
  return text[2] === "\u0000" ? "UTF-16BE" : "UTF-16LE";
}

/** The ASCII characters of a misread UTF-16 or UTF-32 text: enough to tell whether it is a template. */
export function asciiOfMisread(text: string, encoding: UnicodeEncoding): string {
  const width = encoding.startsWith("UTF-16") ? 2 : 4;
  return text.slice(width).replace(/\u0000/gu, "");
}
