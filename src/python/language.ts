import type { File, Language, OkParseResult, ParseResult, SourceLocation } from "@eslint/core";
import { TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import type { DirectiveComment } from "../language/directives.js";
import { disableDirectives, inlineConfigComments, inlineConfigs } from "../language/directives.js";
import { LineIndex } from "../language/locations.js";
import type { PyNode } from "./tree.js";
import { NODE_TYPES, parsePython } from "./tree.js";

type PythonParseResult = OkParseResult<PyNode> & { comments: PyNode[] };

const VISITOR_KEYS: Record<string, string[]> = Object.fromEntries(NODE_TYPES.map((type) => [type, ["children"]]));

/**
 * ESLint language for Python handler code (`**\/*.py`): tree-sitter-python's tree, `# eslint-...`
 * directives, and a located parse error for a file that is not valid Python. The code rules read the
 * file's AWS SDK calls from it; ESLint's JavaScript rules never see it.
 */
export class PythonLanguage implements Language<{
  LangOptions: Record<string, unknown>;
  Code: PythonSourceCode;
  RootNode: PyNode;
  Node: PyNode;
}> {
  readonly fileType = "text" as const;
  readonly lineStart = 1 as const;
  readonly columnStart = 0 as const;
  readonly nodeTypeKey = "type";
  readonly visitorKeys = VISITOR_KEYS;
  readonly defaultLanguageOptions = {};

  validateLanguageOptions(): void {}

  parse(file: File): ParseResult<PyNode> {
    const text = String(file.body);
    const outcome = parsePython(text);
    if (!outcome.ok) {
      const before = text.slice(0, outcome.offset).split(/\r\n|[\r\n]/u);
      return { ok: false, errors: [{ message: outcome.message, line: before.length, column: before[before.length - 1]!.length + 1 }] };
    }
    const result: PythonParseResult = { ok: true, ast: outcome.root, comments: outcome.comments };
    return result;
  }

  createSourceCode(file: File, parseResult: OkParseResult<PyNode>): PythonSourceCode {
    return new PythonSourceCode({ text: String(file.body), ast: parseResult.ast, comments: (parseResult as PythonParseResult).comments });
  }
}

/** A Python file as ESLint's rules see it: its text, tree, comments and directives. */
export class PythonSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: PyNode;
  SyntaxElementWithLoc: PyNode | DirectiveComment;
  ConfigNode: DirectiveComment;
}> {
  readonly comments: DirectiveComment[];
  #parents: WeakMap<PyNode, PyNode> | undefined;

  constructor({ text, ast, comments }: { text: string; ast: PyNode; comments: PyNode[] }) {
    super({ text, ast: ast as never, lineEndingPattern: /\r\n|[\r\n]/u });
    this.comments = comments.map((comment) => ({ value: comment.text.slice(1), loc: this.locOf(comment.range) }));
  }

  #lines: LineIndex | undefined;

  /** The location of a range of the text (1-based lines, 0-based columns: the language's own). */
  locOf(range: [number, number]): SourceLocation {
    this.#lines ??= new LineIndex(this.text);
    const { start, end } = this.#lines.location(range[0], range[1]);
    return { start: { line: start.line, column: start.column - 1 }, end: { line: end.line, column: end.column - 1 } };
  }

  override getLoc(element: PyNode | DirectiveComment): SourceLocation {
    return "loc" in element ? element.loc : this.locOf(element.range);
  }

  override getRange(element: PyNode | DirectiveComment): [number, number] {
    return "range" in element ? element.range : [this.getIndexFromLoc(element.loc.start), this.getIndexFromLoc(element.loc.end)];
  }

  getAllComments(): DirectiveComment[] {
    return this.comments;
  }

  override getParent(node: PyNode): PyNode | undefined {
    if (!this.#parents) {
      this.#parents = new WeakMap();
      const stack: PyNode[] = [this.ast as PyNode];
      while (stack.length > 0) {
        const parent = stack.pop()!;
        for (const child of parent.children) {
          this.#parents.set(child, parent);
          stack.push(child);
        }
      }
    }
    return this.#parents.get(node);
  }

  override *traverse(): Generator<VisitNodeStep> {
    const stack: Array<{ node: PyNode; parent: PyNode | undefined; exit: boolean }> = [
      { node: this.ast as PyNode, parent: undefined, exit: false },
    ];
    while (stack.length > 0) {
      const { node, parent, exit } = stack.pop()!;
      yield new VisitNodeStep({ target: node, phase: exit ? 2 : 1, args: [node, parent] });
      if (exit) continue;
      stack.push({ node, parent, exit: true });
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parent: node, exit: false });
    }
  }

  getInlineConfigNodes(): DirectiveComment[] {
    return inlineConfigComments(this.comments);
  }

  getDisableDirectives(): ReturnType<typeof disableDirectives> {
    return disableDirectives(this.getInlineConfigNodes());
  }

  applyInlineConfig(): ReturnType<typeof inlineConfigs> {
    return inlineConfigs(this.getInlineConfigNodes());
  }
}
