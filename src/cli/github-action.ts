#!/usr/bin/env node
/**
 * The GitHub Action's step (action.yml): lint the checkout with the CLI, write SARIF for upload-sarif, the
 * counts and the wiring picture to the job summary, and, when asked, the same as one pull request comment that
 * later runs edit in place. Inputs come as environment variables that action.yml maps, never interpolated into
 * a script, so that no name in the pull request can become a command.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { COMMENT_LIMIT } from "./wiring-formats.js";

/** The first line of the action's comment, by which a later run finds it to edit. */
const MARKER = "<!-- lambda-iam-lint -->";

const bin = fileURLToPath(new URL("./bin.js", import.meta.url));
const env = process.env;
const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
const sarifFile = path.resolve(workspace, env.LAMBDA_IAM_SARIF_FILE || "lambda-iam.sarif");
const target = env.LAMBDA_IAM_PATH || ".";
// Untrusted unless the workflow says otherwise: the project's eslint.config.* is code of the pull request.
const trustConfig = env.LAMBDA_IAM_TRUST_CONFIG === "true";

function lint(format: string, output?: string) {
  const args = [bin, ...(trustConfig ? [] : ["--no-config-lookup"]), "--format", format, ...(output ? ["-o", output] : []), target];
  const result = spawnSync(process.execPath, args, { cwd: workspace, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  process.stderr.write(result.stderr);
  // 0: clean, 1: errors; anything else is bad usage or an internal failure, said on stderr above.
  if (result.status !== 0 && result.status !== 1) {
    process.stdout.write(`::error::lambda-iam-lint failed (exit ${result.status ?? result.signal})\n`);
    process.exit(2);
  }
  return { status: result.status, stdout: result.stdout };
}

function counts(sarif: string) {
  const log = JSON.parse(sarif) as { runs: Array<{ results?: Array<{ level?: string }> }> };
  const results = log.runs.flatMap((run) => run.results ?? []);
  return {
    errors: results.filter((result) => result.level === "error").length,
    warnings: results.filter((result) => result.level === "warning").length,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The pull request this run is for, from the event GitHub wrote: none on a push. */
function pullRequest(): { number: number; baseSha: string | undefined } | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as { pull_request?: { number?: number; base?: { sha?: string } } };
  const number = event.pull_request?.number;
  return number === undefined ? undefined : { number, baseSha: event.pull_request?.base?.sha };
}

/**
 * What the pull request grants, against its base commit (fetched when the checkout is shallow), as the
 * `--diff` Markdown; undefined when the base cannot be had.
 */
function grantsDiff(baseSha: string | undefined): string | undefined {
  if (!baseSha || !/^[0-9a-f]{40}$/u.test(baseSha)) return undefined;
  const has = () => spawnSync("git", ["cat-file", "-e", `${baseSha}^{commit}`], { cwd: workspace }).status === 0;
  if (!has()) spawnSync("git", ["fetch", "--no-tags", "--depth=1", "origin", baseSha], { cwd: workspace, stdio: "ignore" });
  if (!has()) {
    process.stdout.write(
      `::warning::lambda-iam-lint could not fetch the pull request's base ${baseSha}: the comment leaves out what the change grants\n`,
    );
    return undefined;
  }
  const result = spawnSync(process.execPath, [bin, "--no-config-lookup", "--diff", baseSha, "--format", "markdown", target], {
    cwd: workspace,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return result.status === 0 ? result.stdout : undefined;
}

/** Posts the comment, or edits the one an earlier run posted; a token that may not write gets a warning, not a failure. */
async function comment(body: string, pr: number): Promise<void> {
  const api = `${env.GITHUB_API_URL ?? "https://api.github.com"}/repos/${env.GITHUB_REPOSITORY}/issues`;
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${env.LAMBDA_IAM_TOKEN}`,
    "x-github-api-version": "2022-11-28",
  };
  const request = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, { ...init, headers: { ...headers, ...init.headers } });
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${response.statusText}`);
    return response.json() as Promise<unknown>;
  };
  try {
    let earlier: { id: number } | undefined;
    for (let page = 1; !earlier; page++) {
      const comments = (await request(`${api}/${pr}/comments?per_page=100&page=${page}`)) as Array<{ id: number; body?: string }>;
      earlier = comments.find((candidate) => candidate.body?.startsWith(MARKER));
      if (comments.length < 100) break;
    }
    const init = { method: earlier ? "PATCH" : "POST", body: JSON.stringify({ body }), headers: { "content-type": "application/json" } };
    await request(earlier ? `${api}/comments/${earlier.id}` : `${api}/${pr}/comments`, init);
  } catch (error) {
    // A pull request from a fork gets a token that cannot comment: the SARIF and the job summary still have it all.
    process.stdout.write(`::warning::lambda-iam-lint could not comment on pull request #${pr}: ${(error as Error).message}\n`);
  }
}

const { status } = lint("sarif", sarifFile);
const { errors, warnings } = counts(readFileSync(sarifFile, "utf8"));
const headline = `**lambda-iam-lint**: ${plural(errors, "error")}, ${plural(warnings, "warning")} in \`${target}\``;
const picture = lint("mermaid").stdout;
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${headline}\n\n${picture}`);
const pr = pullRequest();
if (env.LAMBDA_IAM_PR_COMMENT === "true" && pr !== undefined) {
  // What the change grants comes first; the picture follows when both fit in one comment.
  const grants = grantsDiff(pr.baseSha);
  const top = `${MARKER}\n${headline}\n\n${grants ? `${grants}\n` : ""}`;
  const body = top.length + picture.length <= COMMENT_LIMIT ? `${top}${picture}` : `${top}_The wiring picture is in the job summary._\n`;
  await comment(body, pr.number);
}
if (env.GITHUB_OUTPUT)
  appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\nerrors=${errors}\nwarnings=${warnings}\nexit-code=${status}\n`);
process.exitCode = env.LAMBDA_IAM_FAIL_ON_ERROR === "false" ? 0 : (status ?? 2);
