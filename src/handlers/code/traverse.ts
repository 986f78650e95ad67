import type { TSESTree } from "@typescript-eslint/types";
import { codeVisitorKeys } from "./parse.js";

/** Listeners by node type, called on entering a node, or on leaving it with `Type:exit` (as ESLint names them). */
export type CodeListeners = {
  [Type in TSESTree.Node["type"]]?: (node: Extract<TSESTree.Node, { type: Type }>) => void;
} & {
  [Type in `${TSESTree.Node["type"]}:exit`]?: (
    node: Extract<TSESTree.Node, { type: Type extends `${infer Name}:exit` ? Name : never }>,
  ) => void;
};

/**
 * Walks a parsed file depth first, in source order, setting each node's `parent` and calling the
 * listeners that several readers give (each in the order given). The nesting of a parsed file is
 * bounded (MAX_CODE_NESTING), so recursion is safe.
 */
export function traverse(program: TSESTree.Program, ...listeners: CodeListeners[]): void {
  const enter = new Map<string, Array<(node: TSESTree.Node) => void>>();
  const leave = new Map<string, Array<(node: TSESTree.Node) => void>>();
  for (const set of listeners) {
    for (const [selector, listener] of Object.entries(set) as Array<[string, (node: TSESTree.Node) => void]>) {
      const [type, exit] = selector.split(":");
      const table = exit === "exit" ? leave : enter;
      table.set(type!, [...(table.get(type!) ?? []), listener]);
    }
  }
  const visitorKeys = codeVisitorKeys();
  const visit = (node: TSESTree.Node, parent: TSESTree.Node | undefined): void => {
    if (parent) (node as { parent?: TSESTree.Node }).parent = parent;
    for (const listener of enter.get(node.type) ?? []) listener(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object" && "type" in item) visit(item as TSESTree.Node, node);
      } else if (child && typeof child === "object" && "type" in child) {
        visit(child as TSESTree.Node, node);
      }
    }
    for (const listener of leave.get(node.type) ?? []) listener(node);
  };
  visit(program, undefined);
}
