import { TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import { disableDirectives, inlineConfigComments, inlineConfigs } from "./directives.js";
import type { AnyNode, CommentToken, DocumentNode } from "./ast.js";
import { visitorKeys } from "./ast.js";

type SyntaxElement = AnyNode | CommentToken;

/** What eslint-plugin-yml's rules find on a YAML file this language parsed: the way to keep both plugins. */
const YAML_SERVICES = {
  get isYAML(): never {
    throw new Error(
      "eslint-plugin-yml's rules cannot check a file that eslint-plugin-lambda-iam's language parsed: put eslint-plugin-yml's config after lambdaIam.configs.recommended, and both plugins check your YAML (README: with eslint-plugin-yml)",
    );
  },
};

/**
 * The source code object of a CloudFormation/SAM template: traversal, parents and inline `# eslint-...`
 * directives. It holds no rule logic: the rules share one analysis per file through `analysisOf`.
 */
export class TemplateSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: DocumentNode;
  SyntaxElementWithLoc: SyntaxElement;
  ConfigNode: CommentToken;
}> {
  readonly comments: CommentToken[];
  #parents: WeakMap<AnyNode, AnyNode> | undefined;
  #inlineConfigComments: CommentToken[] | undefined;

  /**
   * eslint-plugin-yml's rules look for YAML parser services and silently do nothing without them, so
   * on a YAML file this language parsed they would never report: asked for them there, say how to keep
   * both. On a JSON file (a `package.json` its unscoped rules also reach) they are rightly absent.
   */
  readonly parserServices: object;
  constructor({ text, ast, comments, isYaml }: { text: string; ast: DocumentNode; comments: CommentToken[]; isYaml: boolean }) {
    super({ text, ast, lineEndingPattern: /\r\n|[\r\n]/u });
    this.comments = comments;
    this.parserServices = isYaml ? YAML_SERVICES : {};
  }

  /**
   * The file's comments. ESLint's own rules ask for them when they start, on any language:
   * `no-irregular-whitespace` (in `@eslint/js` recommended, often enabled for every file) would
   * otherwise crash on a template.
   */
  getAllComments(): CommentToken[] {
    return this.comments;
  }

  override getParent(node: SyntaxElement): SyntaxElement | undefined {
    if (node.type === "Comment") return undefined;
    if (!this.#parents) {
      this.#parents = new WeakMap();
      for (const { node: child, parent, exit } of walk(this.ast)) if (parent && !exit) this.#parents.set(child, parent);
    }
    return this.#parents.get(node);
  }

  /**
   * The visit steps, made as ESLint takes them (it iterates once): a template of a million nodes would
   * otherwise hold two million steps at once.
   */
  override *traverse(): Generator<VisitNodeStep> {
    for (const { node, parent, exit } of walk(this.ast)) {
      yield new VisitNodeStep({ target: node, phase: exit ? 2 : 1, args: [node, parent] });
    }
  }

  getInlineConfigNodes(): CommentToken[] {
    this.#inlineConfigComments ??= inlineConfigComments(this.comments);
    return this.#inlineConfigComments;
  }

  getDisableDirectives(): ReturnType<typeof disableDirectives> {
    return disableDirectives(this.getInlineConfigNodes());
  }

  applyInlineConfig(): ReturnType<typeof inlineConfigs> {
    return inlineConfigs(this.getInlineConfigNodes());
  }
}

/** Enters and exits every node in document order, with its parent; an explicit stack, as templates can nest deeply. */
function* walk(root: DocumentNode): Generator<{ node: AnyNode; parent: AnyNode | undefined; exit: boolean }> {
  const stack: Array<{ node: AnyNode; parent: AnyNode | undefined; exit: boolean }> = [{ node: root, parent: undefined, exit: false }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    yield entry;
    if (entry.exit) continue;
    stack.push({ node: entry.node, parent: entry.parent, exit: true });
    const children = childrenOf(entry.node);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, parent: entry.node, exit: false });
  }
}

function childrenOf(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const key of visitorKeys[node.type]) {
    const value = (node as unknown as Record<string, AnyNode | AnyNode[] | null>)[key];
    // A loop, not a spread: a sequence can hold more items than a call can take arguments.
    if (Array.isArray(value)) for (const child of value) children.push(child);
    else if (value) children.push(value);
  }
  return children;
}
