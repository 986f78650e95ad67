// The GitHub Action (action.yml), run as the runner runs a composite action's step: its `run` under
// `bash --noprofile --norc -eo pipefail`, its `env` with the inputs and `github` context substituted, the
// GITHUB_* files and variables set, and GitHub's REST API served by a local server that records each request.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Step {
  name: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  "working-directory"?: string;
}
const action = parse(readFileSync(path.join(root, "action.yml"), "utf8")) as {
  inputs: Record<string, { description: string; default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
const lintStep = action.runs.steps.find((step) => step.id === "lint")!;

/** Every `${{ ... }}` expression of the action, as written. */
const expressions = [...readFileSync(path.join(root, "action.yml"), "utf8").matchAll(/\$\{\{\s*(.*?)\s*\}\}/gu)].map((m) => m[1]!);

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}
const requests: Recorded[] = [];
/** The comments the fake API holds for pull request 7; `status` answers every request when set. */
const api = { comments: [] as Array<{ id: number; body: string }>, status: undefined as number | undefined };
const server = createServer((request: IncomingMessage, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  request.on("end", () => {
    requests.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body });
    response.setHeader("content-type", "application/json");
    if (api.status) {
      response.statusCode = api.status;
      response.end(JSON.stringify({ message: "Resource not accessible by integration" }));
    } else response.end(request.method === "GET" ? JSON.stringify(api.comments) : "{}");
  });
});

let base: string;
beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), "lambda-iam-action-"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => {
  server.close();
  rmSync(base, { recursive: true, force: true });
});

/** A function with its own role that trusts Lambda and may write its logs: nothing to report. */
const CLEAN_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => {};"
`;

/** A checkout of examples/invocation (3 errors, 2 warnings) or a clean template, with an eslint.config.js that leaves a mark if it runs. */
function checkout(name: string, clean = false): string {
  const workspace = path.join(base, name);
  if (clean) {
    mkdirSync(workspace);
    writeFileSync(path.join(workspace, "template.yaml"), CLEAN_TEMPLATE);
  } else cpSync(path.join(root, "examples/invocation"), workspace, { recursive: true });
  writeFileSync(
    path.join(workspace, "eslint.config.js"),
    `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(path.join(workspace, "config-ran"))}, "");\nexport default [];\n`,
  );
  return workspace;
}

/** The runner's substitution of an expression in the lint step's `env`. */
function evaluate(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/gu, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/u.exec(expression);
    if (!input) throw new Error(`the test does not evaluate ${expression}`);
    return inputs[input[1]!] ?? evaluate(action.inputs[input[1]!]!.default, inputs);
  });
}

async function runLintStep(workspace: string, inputs: Record<string, string>, event: object) {
  const files = {
    output: path.join(workspace, "..", `${path.basename(workspace)}.output`),
    summary: path.join(workspace, "..", `${path.basename(workspace)}.summary`),
    event: path.join(workspace, "..", `${path.basename(workspace)}.event.json`),
  };
  writeFileSync(files.event, JSON.stringify(event));
  const stepEnv = Object.fromEntries(
    Object.entries(lintStep.env!).map(([name, value]) => [name, evaluate(value, { token: "test-token", ...inputs })]),
  );
  const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", lintStep.run!], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTION_PATH: root,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REPOSITORY: "octo/app",
      GITHUB_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ...stepEnv,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  return { status, stdout, stderr, outputs: read(files.output), summary: read(files.summary) };
}

describe("the GitHub Action", () => {
  it("is a composite action whose expressions name only its own inputs, steps and the github context", () => {
    expect(action.runs.using).toBe("composite");
    const stepIds = new Set(action.runs.steps.flatMap((step) => (step.id ? [step.id] : [])));
    for (const expression of expressions) {
      for (const [, input] of expression.matchAll(/\binputs\.([\w-]+)/gu)) expect(Object.keys(action.inputs)).toContain(input);
      for (const [, step] of expression.matchAll(/\bsteps\.([\w-]+)/gu)) expect([...stepIds]).toContain(step);
    }
    // No input is interpolated into a script: scripts see them as environment variables.
    for (const step of action.runs.steps) expect(step.run ?? "").not.toContain("${{");
    expect(action.runs.steps.map((step) => step.run ?? step.uses)).toEqual([
      "npm ci --ignore-scripts --no-audit --no-fund && npm run build",
      'node "$GITHUB_ACTION_PATH/dist/cli/github-action.js"',
      "github/codeql-action/upload-sarif@v3",
    ]);
    // What the install step builds is what the lint step runs.
    expect(existsSync(path.join(root, "dist/cli/github-action.js"))).toBe(true);
  });

  it("on a pull request: SARIF, counts, job summary, one comment edited in place, failing on errors, and the checkout's config never run", async () => {
    const workspace = checkout("pr");
    api.comments = [
      { id: 11, body: "LGTM" },
      { id: 12, body: "<!-- lambda-iam-lint -->\n**lambda-iam-lint**: 9 errors" },
    ];
    requests.length = 0;
    const run = await runLintStep(workspace, { "pr-comment": "true" }, { pull_request: { number: 7 } });

    expect(run.status).toBe(1);
    expect(existsSync(path.join(workspace, "config-ran"))).toBe(false);
    const sarifFile = path.join(workspace, "lambda-iam.sarif");
    expect(run.outputs).toBe(`sarif-file=${sarifFile}\nerrors=3\nwarnings=2\nexit-code=1\n`);
    const sarif = JSON.parse(readFileSync(sarifFile, "utf8")) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]!.results.map((result) => result.ruleId)).toContain("lambda-iam/require-invoke-permission");
    expect(run.summary).toMatch(
      /^\*\*lambda-iam-lint\*\*: 3 errors, 2 warnings in `\.`\n\n### template\.yaml\n\n```mermaid\nflowchart LR\n/u,
    );
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /repos/octo/app/issues/7/comments?per_page=100&page=1",
      "PATCH /repos/octo/app/issues/comments/12",
    ]);
    expect(requests[1]!.authorization).toBe("Bearer test-token");
    const body = (JSON.parse(requests[1]!.body) as { body: string }).body;
    expect(body).toBe(`<!-- lambda-iam-lint -->\n${run.summary}`);
  });

  it("puts what the pull request grants, against its base commit, above the picture", async () => {
    const workspace = checkout("grants");
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: workspace, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const baseSha = git("rev-parse", "HEAD").trim();
    appendFileSync(
      path.join(workspace, "template.yaml"),
      "  TopicPermission:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref ReportFunction\n      Principal: sns.amazonaws.com\n",
    );
    api.comments = [];
    requests.length = 0;
    const run = await runLintStep(workspace, { "pr-comment": "true" }, { pull_request: { number: 7, base: { sha: baseSha } } });
    const body = (JSON.parse(requests[1]!.body) as { body: string }).body;
    expect(body.startsWith(`<!-- lambda-iam-lint -->\n**lambda-iam-lint**: `)).toBe(true);
    expect(body).toContain(
      `**What this change grants** (against \`${baseSha}\`)\n\n### template.yaml\n- **ReportFunction**\n  - ➕ may be invoked by sns.amazonaws.com from any source\n`,
    );
    expect(body.indexOf("What this change grants")).toBeLessThan(body.indexOf("```mermaid"));
    expect(run.summary).not.toContain("What this change grants");
  });

  it("posts a new comment when there is none, and a token that may not comment is a warning, not a failure", async () => {
    const workspace = checkout("fork");
    api.comments = [];
    requests.length = 0;
    await runLintStep(workspace, { "pr-comment": "true", "fail-on-error": "false" }, { pull_request: { number: 7 } });
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /repos/octo/app/issues/7/comments?per_page=100&page=1",
      "POST /repos/octo/app/issues/7/comments",
    ]);

    api.status = 403;
    const denied = await runLintStep(workspace, { "pr-comment": "true", "fail-on-error": "false" }, { pull_request: { number: 7 } });
    api.status = undefined;
    expect(denied.status).toBe(0);
    expect(denied.stdout).toContain("::warning::lambda-iam-lint could not comment on pull request #7: GET ");
    expect(denied.stdout).toContain(": 403 Forbidden");
    expect(denied.outputs).toContain("errors=3\n");
  });

  it("on a push, or without pr-comment, posts nothing; a clean checkout passes", async () => {
    requests.length = 0;
    const push = await runLintStep(checkout("push"), { "pr-comment": "true" }, { ref: "refs/heads/main" });
    expect(push.status).toBe(1);
    const quiet = await runLintStep(checkout("quiet"), {}, { pull_request: { number: 7 } });
    expect(quiet.status).toBe(1);
    expect(requests).toEqual([]);

    const clean = await runLintStep(checkout("clean", true), {}, { pull_request: { number: 7 } });
    expect(clean.outputs).toContain("errors=0\nwarnings=0\nexit-code=0\n");
    expect(clean.status).toBe(0);
  });

  it("loads the project's config only when trust-project-config says so", async () => {
    const workspace = checkout("trusted");
    await runLintStep(workspace, { "trust-project-config": "true" }, {});
    expect(existsSync(path.join(workspace, "config-ran"))).toBe(true);
  });
});
