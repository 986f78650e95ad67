import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { HOSTED_LANGUAGES } from "../../src/rules/create-rule.js";
import { handlerRules, templateRules } from "../../src/rules/index.js";
import { ruleTables, withRuleTables } from "../../scripts/rule-table.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ruleNames = Object.keys(plugin.rules);
const rules = plugin.rules as Record<
  string,
  { meta: { docs?: { description?: string; url?: string; sources?: string[] }; schema?: unknown } }
>;

/** The fenced examples of a rule doc, marked `fails` or `passes` after the language. */
function examples(doc: string): Array<{ language: string; verdict: "fails" | "passes"; code: string }> {
  return [...doc.matchAll(/^```(yaml|json) (fails|passes)\n([\s\S]*?)^```$/gmu)].map((match) => ({
    language: match[1]!,
    verdict: match[2] as "fails" | "passes",
    code: match[3]!,
  }));
}

describe("every rule", () => {
  it("lists every rule in the README, as the rules' meta says (npm run docs writes it)", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    expect(withRuleTables(readme, ruleTables(templateRules, handlerRules))).toBe(readme);
  });

  it("has a source file per rule and nothing else in src/rules", () => {
    const files = readdirSync(path.join(root, "src/rules")).filter((f) => !["index.ts", "create-rule.ts"].includes(f));
    expect(files.map((f) => f.replace(/\.ts$/u, "")).sort()).toEqual([...ruleNames].sort());
  });

  /** The sections of a rule doc, as typescript-eslint's rule docs have theirs; the optional ones may come between. */
  const REQUIRED_SECTIONS = ["What it catches", "Examples", "What it does not claim", "Options", "When not to use it", "AWS sources"];
  const OPTIONAL_SECTIONS = ["Suggestion", "Why it matters", "Caching"];

  describe.each(ruleNames)("%s", (name) => {
    const rule = rules[name]!;
    const isHandlerRule = name in handlerRules;
    const doc = readFileSync(path.join(root, "docs/rules", `${name}.md`), "utf8");

    it("has a test file", () => {
      expect(readdirSync(path.join(root, "tests/rules"))).toContain(`${name}.test.ts`);
    });

    it("has a doc whose one-line description is meta.docs.description", () => {
      expect(doc.split("\n")[0]).toBe(`# ${name}`);
      expect(doc.split("\n")[2]).toBe(rule.meta.docs!.description);
      expect(rule.meta.docs!.description).not.toMatch(/\.$/u);
    });

    it("links its docs URL to the doc and cites AWS sources", () => {
      expect(rule.meta.docs!.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`, "u"));
      expect(rule.meta.docs!.sources!.length).toBeGreaterThan(0);
      for (const source of rule.meta.docs!.sources!) expect(doc).toContain(source);
    });

    it("has the sections every rule doc has, in order", () => {
      const headings = doc
        .split("\n")
        .filter((line) => line.startsWith("## "))
        .map((line) => line.slice(3));
      const required = headings.filter((heading) => REQUIRED_SECTIONS.includes(heading));
      expect(required).toEqual(REQUIRED_SECTIONS);
      expect(headings.filter((heading) => !REQUIRED_SECTIONS.includes(heading) && !OPTIONAL_SECTIONS.includes(heading))).toEqual([]);
    });

    it.skipIf(isHandlerRule)("runs only on templates: ours, or the YAML and JSON languages of other plugins (meta.languages)", () => {
      expect((rule.meta as { languages?: string[] }).languages).toEqual(["lambda-iam/cloudformation", ...HOSTED_LANGUAGES]);
    });

    it("describes every option in its schema", () => {
      const schema = rule.meta.schema as Array<{ properties?: Record<string, { description?: string }> }>;
      for (const property of Object.values(schema[0]?.properties ?? {})) expect(property.description).toBeTruthy();
    });

    // Handler rules' examples need a template on disk; their tests cover them (tests/fixtures/handlers).
    const docExamples = isHandlerRule ? [] : examples(doc);
    it.skipIf(isHandlerRule)("has failing and passing examples", () => {
      expect(docExamples.some((e) => e.verdict === "fails")).toBe(true);
      expect(docExamples.some((e) => e.verdict === "passes")).toBe(true);
    });

    it.each(docExamples.map((example, index) => [index + 1, example.verdict, example] as const))(
      "example %i %s as the doc says",
      (_index, verdict, example) => {
        const linter = new Linter({ configType: "flat" });
        const messages = linter.verify(
          example.code,
          [
            {
              files: ["**/*.yaml", "**/*.json"],
              plugins: { "lambda-iam": plugin as never },
              language: "lambda-iam/cloudformation",
              rules: { [`lambda-iam/${name}`]: "error" },
            },
          ],
          // A rule that reads handler code has its examples' code beside its doc (docs/rules/<rule>/).
          existsSync(path.join(root, "docs/rules", name))
            ? path.join(root, "docs/rules", name, `example.${example.language}`)
            : `example.${example.language}`,
        );
        const ruleIds = messages.map((m) => m.ruleId);
        if (verdict === "fails") {
          expect(ruleIds.length).toBeGreaterThan(0);
          expect(new Set(ruleIds)).toEqual(new Set([`lambda-iam/${name}`]));
        } else {
          expect(messages).toEqual([]);
        }
      },
    );
  });
});
