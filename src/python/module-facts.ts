import type { ModuleFacts } from "../handlers/code/module-facts.js";
import { MODULE_LEVEL } from "../handlers/code/module-facts.js";
import { DYNAMIC_IMPORT } from "../handlers/code/module-imports.js";
import type { PyNode } from "./tree.js";

/**
 * A Python module in units of reach (as `handlers/code/module-facts.ts` defines them): each top-level
 * `def` and `class` is a unit whose body runs when it is reached; the rest of the module runs when it
 * is imported. Every top-level name is an attribute others may import. Imports are specifiers the module
 * graph resolves: `./x` and `../x` for relative imports, `py:a.b` for absolute ones.
 */
export function pythonModuleFacts(root: PyNode): ModuleFacts {
  const units = new Map<string, PyNode>();
  const imported = new Map<string, { specifier: string; name: string }>();
  const moduleCode: PyNode[] = [];
  for (const statement of root.children) {
    const definition = statement.type === "decorated_definition" ? statement.fields.definition : statement;
    const name = definition?.fields.name?.text;
    if ((definition?.type === "function_definition" || definition?.type === "class_definition") && name) {
      units.set(name, definition);
      // Decorators run at import.
      if (statement !== definition) moduleCode.push(...statement.children.filter((child) => child.type === "decorator"));
      continue;
    }
    if (statement.type === "import_statement" || statement.type === "import_from_statement") readImport(statement, imported);
    moduleCode.push(statement);
  }
  const exports: ModuleFacts["exports"] = new Map([...units.keys()].map((name) => [name, { kind: "unit", unit: name }]));
  // A module-level name that is not a def or class (a client, a constant): importing it runs the module's top-level code.
  for (const name of topLevelNames(moduleCode)) if (!exports.has(name)) exports.set(name, { kind: "unit", unit: MODULE_LEVEL });
  for (const [name, target] of imported) exports.set(name, { kind: "reexport", specifier: target.specifier, name: target.name });
  const referencesOf = (nodes: PyNode[]): Set<string> => {
    const references = new Set<string>();
    const stack = [...nodes];
    while (stack.length > 0) {
      const node = stack.pop()!;
      // An import binds names; it uses none.
      if (node.type === "import_statement" || node.type === "import_from_statement") continue;
      const object = node.type === "attribute" ? node.fields.object : undefined;
      const from = object?.type === "identifier" ? imported.get(object.text) : undefined;
      const attribute = node.fields.attribute?.text;
      if (from && attribute) {
        // `store.save`: the attribute of a module (`import store`), or of what `from orders import store` names.
        references.add(`import:${from.name === "*" ? attribute : `${from.name}.${attribute}`}:${from.specifier}`);
        continue;
      }
      if (node.type === "identifier") {
        if (units.has(node.text)) references.add(`unit:${node.text}`);
        const named = imported.get(node.text);
        if (named) references.add(`import:${named.name}:${named.specifier}`);
      }
      stack.push(...node.children);
    }
    return references;
  };
  const references = new Map<string, Set<string>>([[MODULE_LEVEL, referencesOf(moduleCode)]]);
  for (const [name, definition] of units) references.set(name, referencesOf([definition]));
  const spans = [...units]
    .map(([name, definition]) => [definition.range[0], definition.range[1], name] as const)
    .sort((a, b) => a[0] - b[0]);
  let imports: Set<string> | undefined;
  return {
    exports,
    starExports: [],
    references,
    unitAt(offset) {
      return spans.find(([start, end]) => offset >= start && offset < end)?.[2] ?? MODULE_LEVEL;
    },
    get imports() {
      imports ??= pythonImports(root);
      return imports;
    },
  };
}

/**
 * Every module a Python file imports, wherever the import is written (a function's body too), as module
 * graph specifiers; `importlib` and `__import__` import modules named at run time (DYNAMIC_IMPORT).
 */
function pythonImports(root: PyNode): Set<string> {
  const found = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "identifier" && node.text === "__import__") found.add(DYNAMIC_IMPORT);
    if (node.type === "import_statement") {
      for (const child of node.children) {
        const module = dottedText(child.type === "aliased_import" ? child.fields.name : child);
        if (module) found.add(`py:${module}`);
      }
      continue;
    }
    if (node.type === "import_from_statement") {
      const moduleNode = node.fields.module_name;
      const relative = moduleNode?.type === "relative_import" ? relativeSpecifier(moduleNode) : undefined;
      if (relative?.module === undefined && relative) {
        for (const child of node.children.slice(1)) {
          const name = dottedText(child.type === "aliased_import" ? child.fields.name : child);
          if (name) found.add(`${relative.up}/${name}`);
        }
      } else found.add(relative?.module ?? `py:${dottedText(moduleNode)}`);
      continue;
    }
    stack.push(...node.children);
  }
  if ([...found].some((specifier) => specifier === "py:importlib" || specifier.startsWith("py:importlib."))) found.add(DYNAMIC_IMPORT);
  return found;
}

/** The names an import binds, each with the module (as a specifier) and the name it imports there (`*`: the module). */
function readImport(statement: PyNode, imported: Map<string, { specifier: string; name: string }>): void {
  if (statement.type === "import_statement") {
    for (const child of statement.children) {
      const dotted = child.type === "aliased_import" ? child.fields.name : child;
      const module = dottedText(dotted);
      if (!module) continue;
      // `import a.b` binds `a` (the package); `import a.b as c` binds the module a.b.
      if (child.type === "aliased_import" && child.fields.alias)
        imported.set(child.fields.alias.text, { specifier: `py:${module}`, name: "*" });
      else imported.set(module.split(".")[0]!, { specifier: `py:${module.split(".")[0]}`, name: "*" });
    }
    return;
  }
  const moduleNode = statement.fields.module_name;
  const relative = moduleNode?.type === "relative_import" ? relativeSpecifier(moduleNode) : undefined;
  const specifier = relative?.module ?? `py:${dottedText(moduleNode)}`;
  for (const child of statement.children.slice(1)) {
    const name = child.type === "aliased_import" ? dottedText(child.fields.name) : dottedText(child);
    const alias = child.type === "aliased_import" ? child.fields.alias?.text : name;
    if (!name || !alias) continue;
    // `from . import helpers`: a module of the package (its __init__'s attributes are not followed).
    if (relative && relative.module === undefined) imported.set(alias, { specifier: `${relative.up}/${name}`, name: "*" });
    else imported.set(alias, { specifier, name });
  }
}

/** `.x` → `./x`, `..x.y` → `../x/y`; `.` alone has no module (the names imported are modules of the package). */
function relativeSpecifier(node: PyNode): { up: string; module: string | undefined } {
  const dots = node.children.find((child) => child.type === "import_prefix")?.text.length ?? 1;
  const module = dottedText(node.children.find((child) => child.type === "dotted_name"));
  const up = dots === 1 ? "." : Array.from({ length: dots - 1 }, () => "..").join("/");
  return { up, module: module ? `${up}/${module.split(".").join("/")}` : undefined };
}

function dottedText(node: PyNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "identifier") return node.text;
  if (node.type === "dotted_name") return node.children.map((child) => child.text).join(".");
  return undefined;
}

/** The names top-level statements assign. */
function topLevelNames(statements: PyNode[]): string[] {
  return statements.flatMap((statement) => {
    const assignment = statement.type === "expression_statement" ? statement.children[0] : undefined;
    return assignment?.type === "assignment" && assignment.fields.left?.type === "identifier" ? [assignment.fields.left.text] : [];
  });
}
