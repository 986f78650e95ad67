import type { ScopeManager, Variable } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/types";

/**
 * What each name of a file stands for, by scope: an identifier is resolved to the variable it declares
 * or reads, never by its text, so that the same short name in two functions of a minified bundle is two
 * variables.
 */
export class Bindings {
  readonly #resolved = new Map<TSESTree.Node, Variable | null>();

  constructor(readonly scopeManager: ScopeManager) {
    for (const scope of scopeManager.scopes) {
      for (const reference of scope.references) this.#resolved.set(reference.identifier, reference.resolved);
      for (const variable of scope.variables) for (const identifier of variable.identifiers) this.#resolved.set(identifier, variable);
    }
  }

  /** The variable an identifier declares or reads; undefined for a global or an unresolved name. */
  variableOf(node: TSESTree.Node | null | undefined): Variable | undefined {
    return node?.type === "Identifier" ? (this.#resolved.get(node) ?? undefined) : undefined;
  }

  /** The variables a declaration (an import specifier, a declarator, a function) declares. */
  declared(node: TSESTree.Node): Variable[] {
    return this.scopeManager.getDeclaredVariables(node);
  }

  /**
   * Whether a variable keeps the value it is declared with: one definition, and no write after its
   * initialiser (so what its declaration says is what every read sees).
   */
  static isConstant(variable: Variable): boolean {
    return variable.defs.length === 1 && variable.references.filter((reference) => reference.isWrite() && !reference.init).length === 0;
  }
}
