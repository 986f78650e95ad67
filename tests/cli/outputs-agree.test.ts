import { spawnSync } from "node:child_process";
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

describe("handler code's findings about a function's roles are drawn in its template's picture", () => {
  /** Each red edge a code rule made: function → role, the rule, and the call's place in the `needs`. */
  // The built CLI, as users run it: a project's eslint.config.js loads the built plugin, which must be the CLI's own.
  async function codeEdges(cwd: string, target: string) {
    const { status, stdout } = spawnSync(process.execPath, [path.join(root, "dist/cli/bin.js"), "-f", "wiring-json", target], {
      cwd,
      encoding: "utf8",
    });
    const pictures = JSON.parse(stdout) as Array<{
      file: string;
      picture?: { edges: Array<{ from: string; to: string; needs: string; rule?: string }> };
    }>;
    return {
      status,
      edges: pictures.flatMap((entry) =>
        (entry.picture?.edges ?? [])
          .filter((edge) => edge.needs.startsWith("code: "))
          .map((edge) => [entry.file, edge.from, edge.to, edge.needs, edge.rule]),
      ),
    };
  }

  it("examples/handler-app: each call its role does not allow, from the function to its role", async () => {
    expect(await codeEdges(root, "examples/handler-app")).toEqual({
      status: 1,
      edges: [
        [
          "examples/handler-app/template.yaml",
          "function:PlaceOrderFunction",
          "role:resource:PlaceOrderFunctionRole",
          "code: dynamodb:PutItem on Orders (examples/handler-app/src/app.ts:11:24)",
          "sdk-call-permissions",
        ],
        [
          "examples/handler-app/template.yaml",
          "function:PlaceOrderFunction",
          "role:resource:PlaceOrderFunctionRole",
          "code: sns:Publish on OrderEvents (examples/handler-app/src/app.ts:12:18)",
          "sdk-call-permissions",
        ],
      ],
    });
  });

  it("says that --concurrency leaves them out (its worker threads keep what the rules record)", async () => {
    let stderr = "";
    await runCli(["--no-config-lookup", "--concurrency", "2", "-f", "mermaid", "examples/handler-app"], {
      cwd: root,
      stdout: () => {},
      stderr: (text) => (stderr += text),
    });
    expect(stderr).toContain(
      "lambda-iam-lint: --concurrency: the mermaid picture leaves out handler code's findings, which the rules record in their worker threads\n",
    );
  });

  it("examples/cross-account (its eslint.config.js gives the accounts): AssumeRoles to the roles of the other account, a refused read to the function's role", async () => {
    const broken = "cross-account/broken";
    expect(await codeEdges(path.join(root, "examples"), "cross-account")).toEqual({
      status: 1,
      edges: [
        [
          `${broken}/app/template.yaml`,
          "function:AuditFunction",
          `assumed-role:${broken}/data/template.yaml#AuditReader`,
          `code: sts:AssumeRole (${broken}/app/src/audit.ts:6:16)`,
          "cross-account-access",
        ],
        [
          `${broken}/app/template.yaml`,
          "function:LedgerFunction",
          "role:resource:LedgerFunctionRole",
          `code: dynamodb:GetItem on Orders of account 222222222222 (${broken}/app/src/ledger.ts:7:11)`,
          "cross-account-access",
        ],
        [
          `${broken}/app/template.yaml`,
          "function:OrdersFunction",
          `assumed-role:${broken}/data/template.yaml#OrdersWriter`,
          `code: sts:AssumeRole (${broken}/app/src/orders.ts:9:5)`,
          "cross-account-access",
        ],
      ],
    });
  });
});
