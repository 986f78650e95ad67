import { readFileSync } from "node:fs";
import { Language, Parser } from "web-tree-sitter";
import type { TreeCursor } from "web-tree-sitter";

/**
 * A node of a Python syntax tree: tree-sitter-python's node, copied into plain objects (the wasm tree is
 * freed at once). `type` is the grammar's (`call`, `attribute`, `identifier`); `range` is in UTF-16 code
 * units of the text, as ESLint counts; `fields` holds the children the grammar names (`function`,
 * `arguments`), `children` every named child in order.
 */
export interface PyNode {
  type: string;
  range: [number, number];
  /** The node's source text, for leaves (identifiers, strings' parts, comments, operators). */
  text: string;
  fields: Record<string, PyNode>;
  children: PyNode[];
  /** tree-sitter's missing-token node, inserted to recover from a syntax error. */
  missing: boolean;
}

export type PyParseOutcome = { ok: true; root: PyNode; comments: PyNode[] } | { ok: false; offset: number; message: string };

// tree-sitter's runtime and the Python grammar load once, when this module is imported (a WebAssembly
// module can only be set up asynchronously; parsing is synchronous afterwards, as ESLint needs).
await Parser.init();
const python = await Language.load(readFileSync(new URL("../data/tree-sitter-python.wasm", import.meta.url)));
const parser = new Parser();
parser.setLanguage(python);

/** Every node type of the grammar, named or not: ESLint's visitor keys for the language. */
export const NODE_TYPES: readonly string[] = Array.from({ length: python.nodeTypeCount }, (_, id) => python.nodeTypeForId(id) ?? "").filter(
  (type, index, all) => type && /^[a-z_]+$/u.test(type) && all.indexOf(type) === index,
);

/** Leaves keep their text; inner nodes would copy the file many times over. */
const MAX_LEAF_TEXT = 10_000;

/**
 * Parses Python 3 source text. A syntax error (an ERROR or missing node anywhere in the tree) makes the
 * file unreadable, located at the first one: the tree around it is a guess, and no check may stand on it.
 */
export function parsePython(text: string): PyParseOutcome {
  const tree = parser.parse(text);
  if (!tree) return { ok: false, offset: 0, message: "the Python parser gave up on this file" };
  try {
    const cursor = tree.walk();
    try {
      if (tree.rootNode.hasError) return { ok: false, ...firstError(cursor) };
      const comments: PyNode[] = [];
      return { ok: true, root: copy(cursor, comments), comments };
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

/** The named nodes under the cursor's node, copied depth-first with an explicit stack (Python nests deeply in data literals). */
function copy(cursor: TreeCursor, comments: PyNode[]): PyNode {
  const root = nodeAt(cursor);
  const stack: PyNode[] = [root];
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    if (cursor.nodeIsNamed) {
      const node = nodeAt(cursor);
      const parent = stack[stack.length - 1]!;
      parent.children.push(node);
      const field = cursor.currentFieldName;
      if (field && !(field in parent.fields)) parent.fields[field] = node;
      if (node.type === "comment") comments.push(node);
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
    } else if (cursor.gotoFirstChild()) {
      // An anonymous node with children (rare): its named children belong to the same parent.
      stack.push(stack[stack.length - 1]!);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length === 1) return root;
      stack.pop();
    }
  }
}

function nodeAt(cursor: TreeCursor): PyNode {
  const range: [number, number] = [cursor.startIndex, cursor.endIndex];
  const leaf = cursor.currentNode.childCount === 0;
  return {
    type: cursor.nodeType,
    range,
    text: leaf && range[1] - range[0] <= MAX_LEAF_TEXT ? cursor.nodeText : "",
    fields: {},
    children: [],
    missing: cursor.nodeIsMissing,
  };
}

/** Where the first syntax error is, and what it is. */
function firstError(cursor: TreeCursor): { offset: number; message: string } {
  const text = cursor.currentNode.text;
  for (;;) {
    const node = cursor.currentNode;
    if (node.isMissing) return { offset: cursor.startIndex, message: `Python syntax error: missing "${cursor.nodeType}"` };
    if (node.isError) {
      // tree-sitter wraps what it could not finish: the token it stopped at is the wrapper's last, unless
      // the file ends there (the statement is cut short).
      if (text.slice(node.endIndex).trim() === "" && !/[)\]}]$/u.test(node.text.trimEnd())) {
        return { offset: node.endIndex, message: "Python syntax error: unexpected end of input" };
      }
      const last = node.lastChild ?? node;
      return {
        offset: last.startIndex,
        message: `Python syntax error: unexpected "${last.text
          .split(/\r\n|[\r\n]/u)[0]!
          .trim()
          .slice(0, 40)}"`,
      };
    }
    if (node.hasError && cursor.gotoFirstChild()) continue;
    if (cursor.gotoNextSibling()) continue;
    // No error below: go up and on (hasError was set by a later sibling of an ancestor).
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return { offset: 0, message: "Python syntax error" };
  }
}
