import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ESLint as ESLint10 } from "eslint";
import { ESLint as ESLint9 } from "eslint9";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-eslint-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

// A user's project: the examples, and the flat config that the README documents.
cpSync(path.join(root, "examples"), project, { recursive: true });
writeFileSync(
  path.join(project, "eslint.config.js"),
  `import lambdaIam from ${JSON.stringify(pathToFileURL(path.join(root, "dist/index.js")).href)};\n\nexport default [...lambdaIam.configs.recommended];\n`,
);

interface Finding {
  file: string;
  ruleId: string | null;
  line: number;
  column: number;
  endLine: number | undefined;
  endColumn: number | undefined;
  message: string;
}

function findings(results: Array<{ filePath: string; messages: Array<Omit<Finding, "file">> }>): Finding[] {
  return results
    .flatMap((result) =>
      result.messages.map(({ ruleId, line, column, endLine, endColumn, message }) => ({
        file: path.relative(project, result.filePath),
        ruleId,
        line,
        column,
        endLine,
        endColumn,
        message,
      })),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function cliFindings(): Finding[] {
  const { stdout } = spawnSync(process.execPath, [path.join(root, "dist/cli/bin.js"), "--format", "json", "."], {
    cwd: project,
    encoding: "utf8",
  });
  return findings(JSON.parse(stdout));
}

describe.each([
  ["ESLint 10", ESLint10],
  ["ESLint 9", ESLint9],
])("%s with the documented flat config", (_name, ESLint) => {
  it("reports the same findings as lambda-iam-lint, in YAML and JSON", async () => {
    const eslint = new ESLint({ cwd: project });
    const results = await eslint.lintFiles(["."]);
    const viaEslint = findings(results as never);
    const rulesByFile = new Map<string, Set<string | null>>();
    for (const finding of viaEslint) rulesByFile.set(finding.file, (rulesByFile.get(finding.file) ?? new Set()).add(finding.ruleId));
    // Each example shows its rule; the clean example stays clean.
    // Without the examples' accounts setting the cross-account example shows only what needs no accounts.
    // The copied asset (Code.fromAsset) holds index.mjs, the bundled one (NodejsFunction) index.js.
    const assets = readdirSync(path.join(project, "cdk-app/cdk.out")).filter((name) => name.startsWith("asset."));
    const [copied, bundled] = ["index.mjs", "index.js"].map(
      (file) => `cdk-app/cdk.out/${assets.find((name) => existsSync(path.join(project, "cdk-app/cdk.out", name, file)))}/${file}`,
    );
    expect(Object.fromEntries([...rulesByFile].map(([file, rules]) => [file, [...rules].sort()]))).toEqual({
      "cdk-app/cdk.out/OrdersStack.template.json": [
        "lambda-iam/execution-role-trust",
        "lambda-iam/function-config-permissions",
        "lambda-iam/no-shared-execution-role",
      ],
      [copied!]: ["lambda-iam/sdk-call-permissions"],
      [bundled!]: ["lambda-iam/sdk-call-permissions"],
      // (src/audit.ts is bundled as examples/cdk-app/src/audit.ts, a path this copy does not have: not matched.)
      "cdk-app/src/worker/index.mjs": ["lambda-iam/sdk-call-permissions"],
      "cross-account/broken/app/src/orders.ts": ["lambda-iam/cross-account-access"],
      "cross-account/broken/data/template.yaml": ["lambda-iam/cross-account-trust-scope"],
      "event-source-permissions/template.yaml": ["lambda-iam/event-source-permissions", "lambda-iam/no-ignored-sam-policies"],
      "execution-role-trust/template.json": ["lambda-iam/execution-role-trust"],
      "function-config-permissions/template.yaml": ["lambda-iam/function-config-permissions"],
      "handler-app/src/app.ts": ["lambda-iam/sdk-call-permissions"],
      "invocation/template.yaml": ["lambda-iam/invoke-permission-scope", "lambda-iam/require-invoke-permission"],
      "python-app/hello_world/app.py": ["lambda-iam/sdk-call-permissions"],
      "require-policy-dependency/template.yaml": ["lambda-iam/require-policy-dependency"],
      "shared-role-cloudformation/template.json": ["lambda-iam/no-shared-execution-role"],
      "shared-role-sam/template.yaml": ["lambda-iam/no-shared-execution-role"],
    });
    expect(viaEslint.find((f) => f.file === "shared-role-sam/template.yaml")).toMatchObject({
      line: 28,
      column: 13,
      endLine: 28,
      endColumn: 35,
    });
    // ESLint lints file by file; the CLI's one report gives a finding of the copied asset once, at its source.
    expect(viaEslint.filter((finding) => finding.file !== copied)).toEqual(cliFindings());
  });
});
