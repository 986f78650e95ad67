import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readTemplateText } from "../src/analyzers/template-text.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const available = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" }).status === 0;
if (!available) console.warn("Rule case validation skipped: cfn-lint is not installed (the project's machines have it).");

/**
 * Why a case's template is not given to cfn-lint, or undefined: a case about input that is no template,
 * or a template that cfn-include expands before it is deployed (cfn-lint reads neither).
 */
function notForCfnLint(text: string): string | undefined {
  const read = readTemplateText(text);
  if (read.kind !== "template") return "not a template";
  if (read.analysis.template.unexpanded.length > 0 || CFN_INCLUDE.test(text)) return "expanded by a tool before it is deployed";
  return undefined;
}

/** cfn-include's function, which only cfn-include expands. */
const CFN_INCLUDE = /(?:!|Fn::)Include\b/u;

/** cfn-lint 1.51's schemas do not have this resource type, which CloudFormation documents and deploys. */
const UNKNOWN_TO_CFN_LINT = "Resource type 'AWS::Lambda::ResourcePolicy' does not exist";

describe.skipIf(!available)("the template rules' test cases", () => {
  const cases = mkdtempSync(path.join(tmpdir(), "rule-cases-"));
  afterAll(() => rmSync(cases, { recursive: true, force: true }));

  it("are templates CloudFormation deploys: cfn-lint finds no error in any of them", { timeout: 300_000 }, () => {
    // The rule tests, run as `npm run test:fast` runs them, write each case's template.
    const vitest = path.join(root, "node_modules/vitest/vitest.mjs");
    const run = spawnSync(process.execPath, [vitest, "run", "--project", "fast", "tests/rules"], {
      cwd: root,
      env: { ...process.env, LAMBDA_IAM_RULE_CASES: cases },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const templates = readdirSync(cases)
      .filter((file) => /\.(yaml|json)$/u.test(file))
      .filter((file) => notForCfnLint(readFileSync(path.join(cases, file), "utf8")) === undefined)
      .sort();
    expect(templates.length).toBeGreaterThan(300);
    // Errors only: a warning of cfn-lint may be what a case is about (a permission without SourceAccount);
    // runtime deprecations (E2531, E2533) depend on the day the test runs.
    const lint = spawnSync("cfn-lint", ["--format", "parseable", "--ignore-checks", "W", "E2531", "E2533", "--", ...templates], {
      cwd: cases,
      encoding: "utf8",
    });
    const errors = lint.stdout
      .split("\n")
      .filter((line) => line && !line.includes(UNKNOWN_TO_CFN_LINT))
      .map((line) => {
        const [file, lineNumber] = line.split(":");
        return `${readFileSync(path.join(cases, file!.replace(/\.(yaml|json)$/u, ".name")), "utf8")} (line ${lineNumber}): ${line.split(":").slice(5).join(":")}`;
      });
    expect(errors).toEqual([]);
  });
});
