import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { discoverTemplates } from "../../src/cli/discover.js";
import { createTemplateEslint } from "../../src/cli/main.js";
import { Analysis } from "../../src/analyzers/analysis.js";
import { parseTemplate } from "../../src/language/parse.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus", import.meta.url));
const present = existsSync(corpus);
if (!present) console.warn(`Corpus tests skipped: ${corpus} is absent (CI and the dev machines have it beside the checkout).`);

describe.skipIf(!present)("the shared template corpus", () => {
  it("lints every template without a crash; every parse error has a position", { timeout: 180_000 }, async () => {
    const files = discoverTemplates([corpus], corpus);
    expect(files.length).toBeGreaterThan(2000);
    const results = await createTemplateEslint(corpus).lintFiles(files);
    expect(results).toHaveLength(files.length);
    for (const result of results) {
      for (const message of result.messages.filter((m) => m.fatal)) {
        expect(message.line, result.filePath).toBeGreaterThan(0);
        expect(message.column, result.filePath).toBeGreaterThan(0);
        expect(message.message).toMatch(/^Parsing error: \S/u);
      }
    }
  });

  it("answers IAM questions about every function's role without a crash", () => {
    const outcomes = new Map<string, number>();
    for (const file of discoverTemplates([corpus], corpus)) {
      const outcome = parseTemplate(readText(file));
      if (!outcome.ok || !outcome.ast.isTemplate) continue;
      const analysis = new Analysis(outcome.ast);
      for (const fn of analysis.functions) {
        for (const candidate of fn.candidates) {
          for (const action of ["logs:CreateLogStream", "sqs:ReceiveMessage", "dynamodb:GetRecords"]) {
            const decision = analysis.iam.ask(fn, candidate, action, "*");
            outcomes.set(decision.outcome, (outcomes.get(decision.outcome) ?? 0) + 1);
            expect(analysis.iam.explain(fn, candidate, action, "*")).toMatch(/\S/u);
          }
        }
      }
    }
    expect(outcomes.get("allowed")).toBeGreaterThan(1000);
  });

  it("gives no finding to a file that is not a template", async () => {
    const nonTemplates = ["aws-cloudformation-templates", "cfn-lint-templates", "serverless-patterns"]
      .map((folder) => path.join(corpus, folder))
      .flatMap((folder) => discoverAll(folder))
      .filter((file) => {
        const outcome = parseTemplate(readText(file));
        return outcome.ok && !outcome.ast.isTemplate;
      });
    expect(nonTemplates.length).toBeGreaterThan(0);
    const results = await createTemplateEslint(corpus).lintFiles(nonTemplates);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
  });
});

function readText(file: string): string {
  return readFileSync(file, "utf8");
}

function discoverAll(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(?:ya?ml|json|template)$/u.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
