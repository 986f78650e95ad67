import path from "node:path";
import type { TSESTree } from "@typescript-eslint/types";
import type { Bindings } from "./bindings.js";
import type { ParsedCode } from "./parse.js";
import { codeVisitorKeys } from "./parse.js";

/** Stands for an import whose module is computed at run time (`require(name)`, `import(path)`): any module. */
export const DYNAMIC_IMPORT = "(a module named at run time)";

/**
 * Every module a JavaScript or TypeScript file loads when it runs, wherever the import is written:
 * `import` and `export ... from` (not TypeScript's type-only ones, nor an import TypeScript elides because
 * its bindings are only used as types), `require(...)` and `import(...)`.
 */
export function moduleImports(parsed: ParsedCode, bindings: Bindings, filename: string): Set<string> {
  const typescript = /\.[mc]?tsx?$/u.test(path.extname(filename));
  const found = new Set<string>();
  const visitorKeys = codeVisitorKeys();
  const pending: unknown[] = [parsed.program];
  while (pending.length > 0) {
    const node = pending.pop() as TSESTree.Node | TSESTree.Node[] | null | undefined;
    if (!node || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (node.type === "ImportDeclaration") {
      if (node.importKind !== "type" && !(typescript && elided(node, bindings))) found.add(node.source.value);
    } else if ((node.type === "ExportAllDeclaration" || node.type === "ExportNamedDeclaration") && node.source) {
      if (node.exportKind !== "type") found.add(node.source.value);
    } else if (node.type === "ImportExpression") {
      found.add(literalText(node.source) ?? DYNAMIC_IMPORT);
    } else if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "require") {
      found.add(literalText(node.arguments[0]) ?? DYNAMIC_IMPORT);
    }
    for (const key of visitorKeys[node.type] ?? []) pending.push((node as unknown as Record<string, unknown>)[key]);
  }
  return found;
}

/** TypeScript drops an import whose every binding is a type, or is used only as one. */
function elided(node: TSESTree.ImportDeclaration, bindings: Bindings): boolean {
  return (
    node.specifiers.length > 0 &&
    node.specifiers.every(
      (specifier) =>
        (specifier.type === "ImportSpecifier" && specifier.importKind === "type") ||
        bindings.declared(specifier).every((variable) => variable.references.every((reference) => !reference.isValueReference)),
    )
  );
}

function literalText(node: TSESTree.Node | undefined): string | undefined {
  if (node?.type === "Literal" && typeof node.value === "string") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined;
  return undefined;
}
