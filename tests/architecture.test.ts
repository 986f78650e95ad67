import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The layers of DESIGN.md, held by the import graph of src/: no import upwards, no circle. */
const src = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : file.endsWith(".ts") ? [file] : [];
  });
}

/** Every module's imports (type-only ones too), as paths relative to src/, and the packages it imports. */
const graph = new Map<string, { modules: string[]; packages: string[] }>();
for (const file of sourceFiles(src)) {
  const specifiers = [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gmu)].map((match) => match[1]!);
  const relative = (specifier: string) => path.relative(src, path.resolve(path.dirname(file), specifier)).replace(/\.js$/u, ".ts");
  graph.set(path.relative(src, file), {
    modules: specifiers.filter((specifier) => specifier.startsWith(".") && !specifier.endsWith(".json")).map(relative),
    packages: specifiers.filter((specifier) => !specifier.startsWith(".")),
  });
}

/** What each layer may not import: the layers above it, and (for analyzers) ESLint itself. */
const FORBIDDEN: Array<{ layer: string; modules: string[]; packages?: RegExp }> = [
  // files/ reads the linted tree, contained in its root: only the layers that do I/O (handlers/, cli/) use it.
  { layer: "files/", modules: ["language/", "template/", "analyzers/", "rules/", "handlers/", "cli/"] },
  { layer: "language/", modules: ["template/", "analyzers/", "rules/", "handlers/", "cli/", "files/"] },
  { layer: "template/", modules: ["analyzers/", "rules/", "handlers/", "cli/", "files/"] },
  {
    layer: "analyzers/",
    modules: ["rules/", "handlers/", "cli/", "files/"],
    packages: /^(?:eslint|@eslint\/|@typescript-eslint\/)/u,
  },
  { layer: "analyzers/wiring/", modules: ["analyzers/checks/", "analyzers/fixes/"] },
  { layer: "analyzers/iam/", modules: ["analyzers/checks/", "analyzers/fixes/"] },
];

describe("the import graph of src/", () => {
  it("holds every module", () => {
    expect(graph.size).toBeGreaterThan(60);
  });

  it.each(FORBIDDEN)("$layer imports nothing above it", ({ layer, modules, packages }) => {
    const violations = [...graph].flatMap(([file, imports]) =>
      file.startsWith(layer)
        ? [
            ...imports.modules.filter((module) => modules.some((above) => module.startsWith(above))),
            ...imports.packages.filter((name) => packages?.test(name)),
          ].map((target) => `${file} -> ${target}`)
        : [],
    );
    expect(violations).toEqual([]);
  });

  it("has no circle", () => {
    const circles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        circles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file)?.modules ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });
});

describe("the checks", () => {
  it("are a leaf: only the rules and the one list of every check (analyzers/all-findings.ts) import them", () => {
    const importers = [...graph].flatMap(([file, imports]) =>
      !file.startsWith("analyzers/checks/") &&
      !file.startsWith("rules/") &&
      file !== "analyzers/all-findings.ts" &&
      imports.modules.some((module) => module.startsWith("analyzers/checks/"))
        ? [file]
        : [],
    );
    expect(importers).toEqual([]);
  });

  it("import no other check (what they share is in analyzers/checks/support/)", () => {
    const isCheck = (file: string) => /^analyzers\/checks\/[^/]+\.ts$/u.test(file);
    const crossing = [...graph].flatMap(([file, imports]) =>
      isCheck(file) ? imports.modules.filter((module) => isCheck(module) && module !== file).map((module) => `${file} -> ${module}`) : [],
    );
    expect(crossing).toEqual([]);
  });
});

describe("a template's text", () => {
  it("becomes an analysis in one place (analyzers/template-text.ts), and from ESLint's tree in the rule helper", () => {
    const makers = sourceFiles(src)
      .filter((file) => readFileSync(file, "utf8").includes("new Analysis("))
      .map((file) => path.relative(src, file))
      .sort();
    expect(makers).toEqual(["analyzers/template-text.ts", "rules/create-rule.ts"]);
  });
});

describe("findings", () => {
  it("are matched by their subject, never by their message data, outside the checks that make them and the rule helper that reports them", () => {
    const readers = [...sourceFiles(src), fileURLToPath(new URL("../scripts/mutation-recall.js", import.meta.url))].filter((file) => {
      const relative = path.relative(src, file);
      if (relative.startsWith("analyzers/checks/") || relative === "rules/create-rule.ts") return false;
      return /\bfinding\.data\b|\.finding\.data\b/u.test(readFileSync(file, "utf8"));
    });
    expect(readers.map((file) => path.relative(src, file))).toEqual([]);
  });
});
