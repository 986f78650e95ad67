// Start-up: what one short run costs, whole process, against `node -e ''` and against the floor of any
// ESLint plugin's CLI (ESLint itself linting one JavaScript file with one rule). With BENCH_BASELINE_DIST
// (another build's dist/, e.g. of main) each row gives that build's figure beside this one's, runs interleaved.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const template = path.join(root, "examples/event-source-permissions/template.yaml");
const RUNS = 9;

function milliseconds(command, args, cwd) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, stdio: "ignore" });
  if (result.error) throw result.error;
  // 0 clean, 1 findings: anything else did not do the work being timed.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(" ")} exited ${result.status}`);
  return performance.now() - started;
}

/** The median of RUNS runs of each command, interleaved so that a busy moment of the machine touches all alike. */
function medians(commands) {
  const times = commands.map(() => []);
  for (let run = 0; run < RUNS; run++)
    commands.forEach(([command, args, cwd], index) => times[index].push(milliseconds(command, args, cwd)));
  return times.map((list) => list.sort((a, b) => a - b)[RUNS >> 1]);
}

export function startUp({ cfnLint }) {
  const neutral = mkdtempSync(path.join(tmpdir(), "lambda-iam-bench-"));
  writeFileSync(path.join(neutral, "eslint.config.js"), 'export default [{ rules: { semi: "error" } }];\n');
  writeFileSync(path.join(neutral, "a.js"), "a();\n");
  const builds = [path.join(root, "dist"), ...(process.env.BENCH_BASELINE_DIST ? [path.resolve(process.env.BENCH_BASELINE_DIST)] : [])];
  const cli = (dist, args, cwd) => [process.execPath, [path.join(dist, "cli/bin.js"), ...args], cwd];
  const cases = [
    ["--version", ["--version"], neutral],
    ["one template, no project config (--no-config-lookup)", ["--no-config-lookup", template, "-f", "json", "-o", "/dev/null"], neutral],
    ["one template, from a directory whose eslint.config.js loads typescript-eslint", [template, "-f", "json", "-o", "/dev/null"], root],
  ];
  const [node, eslint, ...ours] = medians([
    [process.execPath, ["-e", ""], neutral],
    [process.execPath, [path.join(root, "node_modules/eslint/bin/eslint.js"), "a.js"], neutral],
    ...cases.flatMap(([, args, cwd]) => builds.map((dist) => cli(dist, args, cwd))),
  ]);
  const cfnLintTime = cfnLint ? medians([["cfn-lint", ["--format", "parseable", template], neutral]])[0] : undefined;
  rmSync(neutral, { recursive: true, force: true });
  const figure = (ms) => `${ms.toFixed(0)} ms = ${(ms / node).toFixed(1)}x`;
  const results = [
    {
      name: "start-up floor: `eslint` on one .js file, one rule",
      value: `${figure(eslint)} node -e '' (${node.toFixed(0)} ms)`,
      target: "(ESLint's own)",
      met: true,
    },
  ];
  cases.forEach(([name], index) => {
    const [current, baseline] = ours.slice(index * builds.length, (index + 1) * builds.length);
    const oneTemplate = index === 1;
    results.push({
      name: `start-up: ${name}`,
      value: `${figure(current)}${baseline === undefined ? "" : ` (baseline ${figure(baseline)})`}${oneTemplate && cfnLintTime ? `; cfn-lint ${cfnLintTime.toFixed(0)} ms = ${(cfnLintTime / current).toFixed(1)}x slower` : ""}`,
      target: oneTemplate ? "<= 2.5x node; >= 8x cfn-lint" : "",
      met: oneTemplate ? current / node <= 2.5 && (!cfnLintTime || cfnLintTime / current >= 8) : true,
    });
  });
  return results;
}
