/**
 * Characters a terminal or a text view acts on instead of showing: C0 and C1 controls and DEL (escape
 * sequences, bell, carriage return, line feed), Unicode's line and paragraph separators, and the
 * bidirectional overrides and isolates that reorder what is shown.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from a linted file (a logical ID, a name, a path) made safe to print: each such character becomes
 * its `\u001b` escape, so that a message shows what the file holds and cannot drive the terminal.
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, unicodeEscape);
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** A message's data with every text value made visible. */
export function visibleData<T extends Record<string, unknown> | undefined>(data: T): T {
  if (!data) return data;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, typeof value === "string" ? visibleText(value) : value])) as T;
}

/** What JSON.stringify leaves as it is of INVISIBLE: it escapes C0 controls, and these can only be in strings. */
const INVISIBLE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Serialized JSON with every invisible character escaped: the same data, safe to print. */
export function jsonWithVisibleText(json: string): string {
  return json.replace(INVISIBLE_IN_JSON, unicodeEscape);
}
