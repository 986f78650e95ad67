import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { exampleFolders, exampleTemplate } from "../examples.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const corpus = path.join(root, "../shared/corpus/serverless-patterns");

async function run(file: string, format: string): Promise<{ status: number; stdout: string }> {
  let stdout = "";
  const status = await runCli(["--no-config-lookup", "-f", format, file], {
    cwd: root,
    stdout: (text) => (stdout += text),
    stderr: () => {},
  });
  return { status, stdout };
}

/**
 * The outputs of one lint: ESLint's JSON (what stylish prints), SARIF and the wiring picture. Each must
 * hold the same findings: SARIF a result per message, the picture red only where a rule reported.
 */
async function outputsOf(file: string) {
  const json = await run(file, "json");
  const sarif = await run(file, "sarif");
  const wiring = await run(file, "wiring-json");
  const messages = (JSON.parse(json.stdout) as Array<{ messages: Array<{ ruleId: string | null; line: number; column: number }> }>).flatMap(
    (result) => result.messages,
  );
  const results = (
    JSON.parse(sarif.stdout) as {
      runs: Array<{
        results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }>;
      }>;
    }
  ).runs[0]!.results;
  const pictures = JSON.parse(wiring.stdout) as Array<{ picture?: { edges: Array<{ status: string; rule?: string }> } }>;
  return {
    statuses: [json.status, sarif.status, wiring.status],
    messages: messages.map((message) => [message.ruleId ?? "lambda-iam/parse-error", message.line, message.column]),
    results: results.map((result) => [
      result.ruleId,
      result.locations[0]!.physicalLocation.region.startLine,
      result.locations[0]!.physicalLocation.region.startColumn,
    ]),
    reportedRules: new Set(messages.flatMap((message) => (message.ruleId ? [message.ruleId.replace(/^lambda-iam\//u, "")] : []))),
    redRules: new Set(
      pictures.flatMap((entry) => entry.picture?.edges.filter((edge) => edge.status === "missing").map((edge) => edge.rule!) ?? []),
    ),
  };
}

function expectAgreement(outputs: Awaited<ReturnType<typeof outputsOf>>) {
  expect(new Set(outputs.statuses).size).toBe(1);
  expect(outputs.results).toEqual(outputs.messages);
  for (const rule of outputs.redRules) expect(outputs.reportedRules).toContain(rule);
}

describe("every output holds the same findings as ESLint's", () => {
  it.each(exampleFolders())("examples/%s", async (folder) => {
    expectAgreement(await outputsOf(exampleTemplate(folder)));
  });

  // A spread of real templates nobody here wrote: every tenth of serverless-patterns, alphabetically.
  const sample = readdirSync(corpus)
    .filter((file) => /\.ya?ml$/u.test(file))
    .sort()
    .filter((_, index) => index % 10 === 0);
  it.each(sample)("serverless-patterns/%s", async (file) => {
    expectAgreement(await outputsOf(path.join(corpus, file)));
  });
});
