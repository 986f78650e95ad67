import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exampleFolders, exampleTemplate } from "./examples.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cfnLint = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
const available = cfnLint.status === 0;
if (!available) console.warn("Fixture validation skipped: cfn-lint is not installed (the project's machines have it).");

/** The example and fixture templates that stand for real, deployable stacks (bad-input fixtures excluded). */
function deployableTemplates(): string[] {
  return [
    ...exampleFolders().map((folder) => path.relative(root, exampleTemplate(folder))),
    "tests/fixtures/handlers/cross-account/app/template.yaml",
    "tests/fixtures/handlers/shared-file/template.yaml",
    "tests/fixtures/handlers/cross-account/data/template.yaml",
    "tests/fixtures/handlers/cross-account/data/copy.yaml",
    "tests/fixtures/handlers/cross-account/app/shared.yaml",
    "tests/fixtures/handlers/cdk-accounts/cdk.out/AppStack.template.json",
    "tests/fixtures/handlers/cdk-accounts/cdk.out/DataStack.template.json",
    "tests/fixtures/handlers/orders/template.yaml",
    "tests/fixtures/handlers/python/template.yaml",
    "tests/fixtures/handlers/cdk-python/cdk.out/AppStack.template.json",
    "tests/fixtures/cli/shared.yaml",
    "tests/fixtures/cross-account-sources/sources/template.yaml",
    "tests/fixtures/cross-account-sources/sources/copy.yaml",
    "tests/fixtures/cross-account-targets/functions/template.yaml",
    "tests/fixtures/cli/nested/clean.yml",
    "tests/fixtures/cli/nested/cdk.out/Stack.template.json",
  ];
}

describe.skipIf(!available)("example and fixture templates", () => {
  it("are valid CloudFormation for cfn-lint", { timeout: 120_000 }, () => {
    const templates = deployableTemplates();
    expect(templates.length).toBeGreaterThan(10);
    // Runtime deprecation checks depend on today's date; they would turn this test red on a calendar day.
    // W3005 (a DependsOn that a GetAtt already implies) is how the CDK writes every role's policy.
    const result = spawnSync(
      "cfn-lint",
      ["--format", "parseable", "--ignore-checks", "E2531", "E2533", "W2531", "W3005", "--", ...templates],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});
