import type { Variable } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/types";
import { propertyName } from "../object-literals.js";
import { Bindings } from "./bindings.js";
import { moduleImports } from "./module-imports.js";
import type { ParsedCode } from "./parse.js";

/**
 * A module in units of reach. A **unit** is a top-level declaration (a function, a class, a variable, a
 * CommonJS `exports.name = ...`): its code runs when something reaches it. The module's own top-level
 * code (the unit named "") runs when the module is loaded. Which units a Lambda handler reaches decides
 * which functions run a piece of code.
 */
export interface ModuleFacts {
  /** What each export name stands for: a unit here, or an export of another module. */
  exports: Map<string, ExportTarget>;
  /** Modules whose every export this one re-exports (`export * from "./x"`). */
  starExports: string[];
  /** What each unit's code refers to. */
  references: Map<string, Set<string>>;
  /** The unit each offset is written in ("" for top-level code, which runs at load). */
  unitAt(offset: number): string;
  /** Every module the file loads when it runs, as written (DYNAMIC_IMPORT for one named at run time). */
  readonly imports: ReadonlySet<string>;
}

type ExportTarget = { kind: "unit"; unit: string } | { kind: "reexport"; specifier: string; name: string };

/** The top-level code of a module, which runs when it is loaded. */
export const MODULE_LEVEL = "";

/**
 * A reference, as a string: `unit:name` for a unit of this module, `import:<name>:<specifier>` for an
 * export of another (`*` for the whole module).
 */
function unitReference(unit: string): string {
  return `unit:${unit}`;
}

function importReference(specifier: string, name: string): string {
  return `import:${name}:${specifier}`;
}

export function parseReference(reference: string): { kind: "unit"; unit: string } | { kind: "import"; name: string; specifier: string } {
  if (reference.startsWith("unit:")) return { kind: "unit", unit: reference.slice(5) };
  const rest = reference.slice("import:".length);
  const colon = rest.indexOf(":");
  return { kind: "import", name: rest.slice(0, colon), specifier: rest.slice(colon + 1) };
}

type Span = [number, number, string];

/** The facts of a parsed module. */
export function moduleFacts(parsed: ParsedCode, filename: string): ModuleFacts {
  const bindings = new Bindings(parsed.scopeManager);
  const exports = new Map<string, ExportTarget>();
  const starExports: string[] = [];
  const references = new Map<string, Set<string>>();
  /** Top-level variables by unit name, and imported bindings by what they import. */
  const unitOfVariable = new Map<Variable, string>();
  const imported = new Map<Variable, { specifier: string; name: string }>();
  const spans: Span[] = [];

  const declare = (node: TSESTree.Node, unit: string) => {
    for (const variable of bindings.declared(node)) unitOfVariable.set(variable, unit);
  };
  /** A unit's code: what is in its functions runs when it is reached; the rest of it at load. */
  const addUnit = (unit: string, code: TSESTree.Node | null | undefined) => {
    if (!code) return;
    if (isFunctionLike(code)) spans.push([code.range[0], code.range[1], unit]);
    else for (const inner of outermostFunctions(code)) spans.push([inner.range[0], inner.range[1], unit]);
  };
  /** Local exports name bindings declared anywhere at the top level: resolved once all are known. */
  const pendingLocalExports: Array<[string, TSESTree.Node]> = [];

  for (const statement of parsed.program.body) readStatement(statement, false);

  function readStatement(statement: TSESTree.ProgramStatement, exported: boolean): void {
    switch (statement.type) {
      case "ImportDeclaration":
        if (statement.importKind === "type") return;
        for (const specifier of statement.specifiers) {
          const variable = bindings.declared(specifier)[0];
          if (!variable) continue;
          const name =
            specifier.type === "ImportSpecifier"
              ? specifier.imported.type === "Identifier"
                ? specifier.imported.name
                : specifier.imported.value
              : specifier.type === "ImportDefaultSpecifier"
                ? "default"
                : "*";
          imported.set(variable, { specifier: statement.source.value, name });
        }
        return;
      case "FunctionDeclaration":
      case "ClassDeclaration":
      case "TSEnumDeclaration":
        if (statement.id) {
          declare(statement, statement.id.name);
          addUnit(statement.id.name, statement);
          if (exported) exports.set(statement.id.name, { kind: "unit", unit: statement.id.name });
        }
        return;
      case "VariableDeclaration":
        for (const declarator of statement.declarations) readDeclarator(declarator, exported);
        return;
      case "ExportNamedDeclaration":
        if (statement.exportKind === "type") return;
        if (statement.declaration) return readStatement(statement.declaration as TSESTree.ProgramStatement, true);
        for (const specifier of statement.specifiers) {
          const local = specifier.local.type === "Identifier" ? specifier.local.name : String(specifier.local.value);
          const name = specifier.exported.type === "Identifier" ? specifier.exported.name : String(specifier.exported.value);
          if (statement.source) exports.set(name, { kind: "reexport", specifier: statement.source.value, name: local });
          else pendingLocalExports.push([name, specifier.local]);
        }
        return;
      case "ExportDefaultDeclaration": {
        const declaration = statement.declaration;
        if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) {
          declare(declaration, declaration.id.name);
          addUnit(declaration.id.name, declaration);
          exports.set("default", { kind: "unit", unit: declaration.id.name });
        } else if (declaration.type === "Identifier") {
          pendingLocalExports.push(["default", declaration]);
        } else {
          addUnit("default", declaration);
          exports.set("default", { kind: "unit", unit: "default" });
        }
        return;
      }
      case "ExportAllDeclaration":
        if (statement.exported) {
          const exported = statement.exported as TSESTree.Identifier | TSESTree.StringLiteral;
          const name = exported.type === "Identifier" ? exported.name : exported.value;
          exports.set(name, { kind: "reexport", specifier: statement.source.value, name: "*" });
        } else starExports.push(statement.source.value);
        return;
      case "ExpressionStatement":
        readCommonJsExport(statement.expression);
        return;
      default:
        return;
    }
  }

  function readDeclarator(declarator: TSESTree.VariableDeclarator, exported: boolean): void {
    const required = requiredSpecifier(declarator.init);
    if (required !== undefined && declarator.id.type === "Identifier") {
      const variable = bindings.declared(declarator)[0];
      if (variable) imported.set(variable, { specifier: required, name: "*" });
      return;
    }
    if (required !== undefined && declarator.id.type === "ObjectPattern") {
      for (const property of declarator.id.properties) {
        const variable = property.type === "Property" ? bindings.variableOf(property.value) : undefined;
        const name = property.type === "Property" ? propertyName(property) : undefined;
        if (variable && name !== undefined) imported.set(variable, { specifier: required, name });
      }
      return;
    }
    if (declarator.id.type !== "Identifier") return;
    const unit = declarator.id.name;
    declare(declarator, unit);
    addUnit(unit, declarator.init);
    if (exported) exports.set(unit, { kind: "unit", unit });
  }

  /** `exports.x = ...`, `module.exports.x = ...`, `module.exports = { x, y: ... }`, esbuild's `__export(target, { x: () => x })`. */
  function readCommonJsExport(expression: TSESTree.Expression): void {
    if (expression.type === "SequenceExpression") {
      for (const part of expression.expressions) readCommonJsExport(part);
      return;
    }
    if (expression.type === "AssignmentExpression" && expression.left.type === "MemberExpression") {
      const name = exportsMember(expression.left);
      if (name !== undefined) {
        if (expression.right.type === "Identifier") pendingLocalExports.push([name, expression.right]);
        else {
          addUnit(`exports.${name}`, expression.right);
          exports.set(name, { kind: "unit", unit: `exports.${name}` });
        }
        return;
      }
      if (isModuleExports(expression.left) && expression.right.type === "ObjectExpression") {
        for (const property of expression.right.properties) {
          const key = property.type === "Property" ? propertyName(property) : undefined;
          if (property.type !== "Property" || key === undefined) continue;
          if (property.value.type === "Identifier") pendingLocalExports.push([key, property.value]);
          else {
            addUnit(`exports.${key}`, property.value);
            exports.set(key, { kind: "unit", unit: `exports.${key}` });
          }
        }
        return;
      }
    }
    if (expression.type === "CallExpression" && expression.arguments.length === 2) {
      const [, table] = expression.arguments;
      if (table?.type !== "ObjectExpression") return;
      const getters = table.properties.map((property) =>
        property.type === "Property" && property.value.type === "ArrowFunctionExpression" && property.value.body.type === "Identifier"
          ? ([propertyName(property), property.value.body] as const)
          : undefined,
      );
      if (getters.length === 0 || getters.some((getter) => getter === undefined || getter[0] === undefined)) return;
      for (const [name, local] of getters as Array<readonly [string, TSESTree.Identifier]>) pendingLocalExports.push([name, local]);
    }
  }

  for (const [name, local] of pendingLocalExports) {
    const variable = bindings.variableOf(local);
    const unit = variable && unitOfVariable.get(variable);
    const from = variable && imported.get(variable);
    if (unit !== undefined) exports.set(name, { kind: "unit", unit });
    else if (from) exports.set(name, { kind: "reexport", specifier: from.specifier, name: from.name });
  }

  spans.sort((a, b) => a[0] - b[0]);
  const unitAt = (offset: number): string => {
    let low = 0;
    let high = spans.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [start, end, unit] = spans[middle]!;
      if (offset < start) high = middle - 1;
      else if (offset >= end) low = middle + 1;
      else return unit;
    }
    return MODULE_LEVEL;
  };

  // What each unit refers to: top-level variables (their units) and imported bindings (a member of a
  // namespace import is that export).
  for (const scope of parsed.scopeManager.scopes) {
    for (const reference of scope.references) {
      const variable = reference.resolved;
      // A declaration's own initialisation, or an assignment, runs nothing of the unit it names.
      if (!variable || !reference.isRead()) continue;
      const identifier = reference.identifier;
      const from = unitAt(identifier.range[0]);
      const unit = unitOfVariable.get(variable);
      const source = imported.get(variable);
      let target: string | undefined;
      if (unit !== undefined && unit !== from) target = unitReference(unit);
      else if (source) {
        const parent = (identifier as TSESTree.Node).parent;
        const member =
          source.name === "*" &&
          parent?.type === "MemberExpression" &&
          parent.object === identifier &&
          !parent.computed &&
          parent.property.type === "Identifier"
            ? parent.property.name
            : source.name;
        target = importReference(source.specifier, member);
      }
      if (target === undefined) continue;
      const set = references.get(from) ?? new Set<string>();
      set.add(target);
      references.set(from, set);
    }
  }
  let imports: Set<string> | undefined;
  return {
    exports,
    starExports,
    references,
    unitAt,
    get imports() {
      imports ??= moduleImports(parsed, bindings, filename);
      return imports;
    },
  };
}

function isFunctionLike(node: TSESTree.Node): boolean {
  return (
    node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression" ||
    node.type === "ClassDeclaration" ||
    node.type === "ClassExpression"
  );
}

/** The functions in an expression that are not inside another function of it: their code runs when called. */
function outermostFunctions(node: TSESTree.Node): TSESTree.Node[] {
  const found: TSESTree.Node[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object" && "type" in value) {
      const child = value as TSESTree.Node;
      if (isFunctionLike(child)) {
        found.push(child);
        return;
      }
      for (const [key, field] of Object.entries(child)) if (key !== "parent" && key !== "loc" && key !== "range") visit(field);
    }
  };
  visit(node);
  return found;
}

/** `require("./x")` (or esbuild's interop around it): the specifier. */
function requiredSpecifier(init: TSESTree.Node | null | undefined): string | undefined {
  if (init?.type !== "CallExpression") return undefined;
  if (init.callee.type === "Identifier" && init.callee.name === "require") {
    const [argument] = init.arguments;
    return argument?.type === "Literal" && typeof argument.value === "string" ? argument.value : undefined;
  }
  return init.arguments.length === 1 ? requiredSpecifier(init.arguments[0]) : undefined;
}

function isModuleExports(node: TSESTree.Node): boolean {
  return (
    node.type === "MemberExpression" &&
    node.object.type === "Identifier" &&
    node.object.name === "module" &&
    !node.computed &&
    node.property.type === "Identifier" &&
    node.property.name === "exports"
  );
}

/** The export a member expression assigns: `exports.x`, `module.exports.x`. */
function exportsMember(node: TSESTree.MemberExpression): string | undefined {
  if (node.computed || node.property.type !== "Identifier") return undefined;
  const object = node.object;
  if ((object.type === "Identifier" && object.name === "exports") || isModuleExports(object)) return node.property.name;
  return undefined;
}
