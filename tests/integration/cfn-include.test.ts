// cfn-include templates: what the project's own cfn-include (@znemz/cfn-include, a devDependency here for this
// test) makes of a template is linted, and its findings are placed in the template the user wrote.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import include from "@znemz/cfn-include";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = path.join(root, "tests/fixtures/cfn-include");
const bin = path.join(root, "dist/cli/bin.js");

interface Message {
  ruleId: string | null;
  message: string;
  line: number;
  column: number;
  severity: number;
}

function lint(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [bin, "--format", "json", ...args], { cwd: root, encoding: "utf8", input });
  const results = JSON.parse(run.stdout || "[]") as Array<{ filePath: string; messages: Message[] }>;
  return { status: run.status, stderr: run.stderr, messages: results.flatMap((result) => result.messages) };
}

/** A finding as rule and message, without where it is. */
const claim = (message: Message) =>
  `${message.ruleId}: ${message.message.replace(/ \(in (?:resource \w+(?:, written in [^,]+,)? of )?what cfn-include makes of this template\)$/u, "")}`;

describe("cfn-include templates", () => {
  const template = path.join(fixtures, "template.yaml");

  it("get the findings of what cfn-include makes of them, as if that were linted directly", async () => {
    const expanded = JSON.stringify(await include({ url: pathToFileURL(template).href, doEnv: false, doEval: false }), null, 2);
    const direct = lint(["-", "--stdin-filename", path.join(fixtures, "expanded.json")], expanded);
    const source = lint([template]);
    expect(direct.messages.length).toBe(9);
    expect(source.messages.map(claim).sort()).toEqual(direct.messages.map(claim).sort());
    expect(source.status).toBe(1);
  });

  it("are located in the file the user wrote: a resource written there at its name, else at the function that makes it", () => {
    const { messages } = lint([template]);
    const at = (id: string) => [
      ...new Set(
        messages
          .filter((message) => message.message.includes(`(in resource ${id} of what cfn-include makes`))
          .map((message) => `${message.line}:${message.column}`),
      ),
    ];
    expect(at("Standalone")).toEqual(["17:3"]);
    expect(at("OrdersFunction")).toEqual(["4:3"]);
    expect(at("InvoicesFunction")).toEqual(["4:3"]);
    // A resource an included file writes: the message names that file and line.
    expect(messages.filter((message) => message.message.includes("(in resource ProbeRole, ")).map((message) => message.message)).toEqual([
      "ProbeRole is the execution role of Probe, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole (in resource ProbeRole, written in tests/fixtures/cfn-include/parts/roles.yaml:13, of what cfn-include makes of this template)",
    ]);
  });

  it("in SARIF too: none of the expansion's own positions as related locations, an included file's where it writes the resource", () => {
    const run = spawnSync(process.execPath, [bin, "--format", "sarif", template], { cwd: root, encoding: "utf8" });
    const results = (
      JSON.parse(run.stdout) as {
        runs: Array<{
          results: Array<{ locations: Array<{ physicalLocation: { region: { startLine: number } } }>; relatedLocations?: unknown[] }>;
        }>;
      }
    ).runs[0]!.results;
    expect(results.length).toBe(9);
    expect(new Set(results.map((result) => result.locations[0]!.physicalLocation.region.startLine))).toEqual(new Set([4, 17]));
    expect(results.flatMap((result) => result.relatedLocations ?? [])).toEqual([]);
    // A finding on a resource an included file writes, alone at its place: that file and line, as a related location.
    const worker = spawnSync(process.execPath, [bin, "--format", "sarif", path.join(fixtures, "worker.yaml")], {
      cwd: root,
      encoding: "utf8",
    });
    const [only] = (JSON.parse(worker.stdout) as { runs: Array<{ results: Array<{ ruleId: string; relatedLocations?: unknown[] }> }> })
      .runs[0]!.results;
    expect(only!.ruleId).toBe("lambda-iam/function-config-permissions");
    expect(only!.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: "tests/fixtures/cfn-include/parts/worker.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
        message: { text: "Worker is written here" },
      },
    ]);
  });

  it("honour the template's own eslint-disable comments, as ESLint would in a template it lints itself", () => {
    const run = spawnSync(process.execPath, [bin, "--format", "json", path.join(fixtures, "disabled.yaml")], {
      cwd: root,
      encoding: "utf8",
    });
    const [result] = JSON.parse(run.stdout) as Array<{
      messages: Message[];
      suppressedMessages: Array<Message & { suppressions: unknown[] }>;
      errorCount: number;
      warningCount: number;
    }>;
    const where = (message: Message) => `${message.line}:${message.column} ${message.ruleId}`;
    // The block disable names one rule until its enable; the next-line disable one rule at Standalone.
    expect(result!.messages.map(where)).toEqual([
      "5:3 lambda-iam/function-config-permissions",
      "5:3 lambda-iam/function-config-permissions",
      "5:3 lambda-iam/no-shared-execution-role",
      "5:3 lambda-iam/function-config-permissions",
      "5:3 lambda-iam/no-shared-execution-role",
      "20:3 lambda-iam/no-shared-execution-role",
    ]);
    expect([result!.errorCount, result!.warningCount]).toEqual([3, 3]);
    expect(result!.suppressedMessages.map((message) => [where(message), message.suppressions])).toEqual([
      ["5:3 lambda-iam/execution-role-trust", [{ kind: "directive", justification: "the probe role is an example of a wrong trust" }]],
      ["5:3 lambda-iam/execution-role-trust", [{ kind: "directive", justification: "the probe role is an example of a wrong trust" }]],
      ["20:3 lambda-iam/function-config-permissions", [{ kind: "directive", justification: "" }]],
    ]);
    expect(run.status).toBe(1);
  });

  it("are templates even when only cfn-include makes their resources (no AWSTemplateFormatVersion): never silence", () => {
    const file = path.join(fixtures, "no-version.yaml");
    const expanded = lint([file]);
    expect(expanded.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)).toEqual([
      "2:3 lambda-iam/function-config-permissions",
      "2:3 lambda-iam/execution-role-trust",
      "2:3 lambda-iam/execution-role-trust",
    ]);
    const opaque = lint(["--no-config-lookup", file]);
    expect(opaque.messages).toEqual([]);
    expect(opaque.stderr).toContain(
      "tests/fixtures/cfn-include/no-version.yaml:2:3: uses cfn-include's Fn::Merge, which this linter does not expand itself",
    );
  });

  it("with a cfn-include whose package.json cannot be read: not expanded, said, no crash", () => {
    const run = lint([path.join(fixtures, "bad-install/template.yaml")]);
    expect(run.status).toBe(0);
    expect(run.messages).toEqual([]);
    expect(run.stderr).toContain(
      "bad-install/template.yaml:3:3: uses cfn-include's Fn::Include, which this linter does not expand itself: what it produces is not checked; install @znemz/cfn-include (or cfn-include) in the project to lint what it expands to\n",
    );
  });

  it("are never expanded with --no-config-lookup, and say so", () => {
    const { messages, stderr, status } = lint(["--no-config-lookup", template]);
    expect(messages).toEqual([]);
    expect(status).toBe(0);
    expect(stderr).toContain(
      "lambda-iam-lint: tests/fixtures/cfn-include/template.yaml:4:3: uses cfn-include's Fn::Merge, which this linter does not expand itself: what it produces is not checked (with --no-config-lookup, cfn-include, code of the project, is not run)\n",
    );
  });

  it("are not expanded when they include what is not a local file, and say so; a failed expansion is a located warning", () => {
    const remote = lint([path.join(fixtures, "remote.yaml")]);
    expect(remote.messages).toEqual([]);
    expect(remote.stderr).toContain(
      "remote.yaml:3:3: uses cfn-include's Fn::Include, which this linter does not expand itself: what it produces is not checked; not expanded with the project's cfn-include because tests/fixtures/cfn-include/remote.yaml includes https://example.com/resources.yaml, which is not a local file\n",
    );
    const broken = lint([path.join(fixtures, "broken.yaml")]);
    expect(broken.messages).toEqual([
      { ruleId: null, severity: 1, message: 'Not checked: cfn-include failed: Invalid token (EOF): ""', line: 3, column: 3 },
    ]);
  });
});
