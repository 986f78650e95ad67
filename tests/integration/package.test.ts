import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the published package", () => {
  it(
    "ships what users read and run: the build, the rule docs, the licences, the changelog; no development docs",
    { timeout: 60_000 },
    () => {
      const result = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
      expect(result.status).toBe(0);
      const files = (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
      for (const file of [
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/cli/bin.js",
        "dist/data/THIRD_PARTY_NOTICES",
        "docs/rules/no-shared-execution-role.md",
      ]) {
        expect(files).toContain(file);
      }
      expect(
        files.filter(
          (file) => /^docs\/(?:performance|real-world|RELEASING)\.md$/u.test(file) || /^(?:src|tests|scripts|bench|examples)\//u.test(file),
        ),
      ).toEqual([]);
    },
  );
});

/** The README's first ```js block after a heading or phrase. */
function readmeBlock(after: string): string {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf(after);
  const block = /```js\n([\s\S]*?)```/u.exec(readme.slice(start));
  if (start === -1 || !block) throw new Error(`no js block after "${after}" in the README`);
  return block[1]!;
}

describe("the packed tarball, installed into a new project as a user installs it", () => {
  const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-tarball-"));
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const run = (command: string, args: string[]) =>
    spawnSync(command, args, { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  it(
    "installs with its peers, and ESLint with the README's config, the CLI and the README's lint-staged recipe all report",
    { timeout: 300_000 },
    () => {
      const packed = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], {
        cwd: root,
        encoding: "utf8",
      });
      expect(packed.status).toBe(0);
      const tarball = path.join(project, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
      writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
      // The versions this repository is tested with; lint-staged 16 is the last line for Node 20.
      const installed = run("npm", [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        tarball,
        "eslint@10.15.0",
        "lint-staged@16.4.0",
      ]);
      expect(installed.stderr).not.toMatch(/ERESOLVE|peer dep/iu);
      expect(installed.status).toBe(0);
      // A project on TypeScript 7 (what `cdk init` pins) resolves with the plugin: nothing of it asks for an older TypeScript.
      const withTypescript7 = run("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund", "--prefer-offline", "typescript@7"]);
      expect(withTypescript7.stderr).not.toMatch(/ERESOLVE|peer dep/iu);
      expect(withTypescript7.status).toBe(0);

      // A template with a deliberate error, and the README's first flat config.
      copyFileSync(path.join(root, "examples/execution-role-trust/template.json"), path.join(project, "template.json"));
      writeFileSync(path.join(project, "eslint.config.js"), readmeBlock("## ESLint setup"));
      const eslint = run("npx", ["eslint", "template.json"]);
      expect(eslint.stdout).toContain("lambda-iam/execution-role-trust");
      expect(eslint.status).toBe(1);

      // A TypeScript handler lints with the README's config on a TypeScript 7 install, whose package has no JavaScript API.
      mkdirSync(path.join(project, "node_modules", "typescript"), { recursive: true });
      writeFileSync(
        path.join(project, "node_modules", "typescript", "package.json"),
        '{"name": "typescript", "version": "7.0.2", "main": "index.js"}',
      );
      writeFileSync(path.join(project, "node_modules", "typescript", "index.js"), 'throw new Error("TypeScript 7 has no JavaScript API");');
      mkdirSync(path.join(project, "app"));
      writeFileSync(
        path.join(project, "app", "template.yaml"),
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  ListFunction:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ., Handler: handler.handler, Runtime: nodejs22.x}\n',
      );
      writeFileSync(
        path.join(project, "app", "handler.ts"),
        'import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";\nconst s3 = new S3Client({});\nexport const handler = async (_event: unknown): Promise<unknown> => s3.send(new ListBucketsCommand({}));\n',
      );
      const typescript = run("npx", ["eslint", "app/handler.ts"]);
      expect(typescript.stdout).toContain("lambda-iam/sdk-call-permissions");
      expect(typescript.stdout).not.toContain("Parsing error");
      rmSync(path.join(project, "app"), { recursive: true });

      const cli = run("npx", ["lambda-iam-lint", "."]);
      expect(cli.stdout).toContain("lambda-iam/execution-role-trust");
      expect(cli.status).toBe(1);
      expect(run("npx", ["lambda-iam-lint", "--list-rules"]).stdout).toContain("lambda-iam/no-shared-execution-role\twarn");

      // The CDK validator is its own entry point, with no aws-cdk-lib installed.
      const validator = run(process.execPath, [
        "--input-type=module",
        "-e",
        'const { LambdaIamValidator } = await import("eslint-plugin-lambda-iam/cdk"); const report = new LambdaIamValidator().validate({ templatePaths: [process.argv[1]] }); console.log(report.success, report.violations.map((v) => v.ruleName).join(" "));',
        path.join(project, "template.json"),
      ]);
      expect(validator.stdout.trim()).toBe("false lambda-iam/execution-role-trust lambda-iam/execution-role-trust");

      // The README's GitHub Actions step writes a SARIF report with the finding.
      const step = /- run: (npx lambda-iam-lint --format sarif .*)$/mu.exec(readFileSync(path.join(root, "README.md"), "utf8"))![1]!;
      expect(spawnSync(step, { cwd: project, shell: true, encoding: "utf8" }).status).toBe(1);
      const sarif = JSON.parse(readFileSync(path.join(project, "lambda-iam.sarif"), "utf8")) as {
        runs: Array<{ results: Array<{ ruleId: string }> }>;
      };
      expect(sarif.runs[0]!.results.map((result) => result.ruleId)).toContain("lambda-iam/execution-role-trust");

      // lint-staged in a git repository, with the README's recipe: the staged template fails the commit.
      writeFileSync(path.join(project, "lint-staged.config.js"), readmeBlock("**lint-staged**"));
      writeFileSync(path.join(project, ".gitignore"), "node_modules/\n*.tgz\n");
      for (const args of [
        ["init", "-q"],
        ["add", "-A"],
      ])
        expect(run("git", args).status).toBe(0);
      const staged = run("npx", ["lint-staged"]);
      expect(`${staged.stdout}${staged.stderr}`).toContain("lambda-iam/execution-role-trust");
      expect(staged.status).toBe(1);

      // Fixed, it passes.
      rmSync(path.join(project, "template.json"));
      copyFileSync(path.join(root, "examples/one-role-per-function/template.yaml"), path.join(project, "template.yaml"));
      expect(run("git", ["add", "-A"]).status).toBe(0);
      expect(run("npx", ["lint-staged"]).status).toBe(0);

      // The README's commands for SAM, CDK and Serverless projects: each build's template is linted, SAM's copy is not.
      for (const [copy, into] of [
        [".aws-sam/build/template.json", "sam"],
        ["cdk.out/Stack.template.json", "cdk"],
        [".serverless/cloudformation-template-update-stack.json", "serverless"],
      ] as const) {
        mkdirSync(path.join(project, into, path.dirname(copy)), { recursive: true });
        copyFileSync(path.join(root, "examples/execution-role-trust/template.json"), path.join(project, into, copy));
      }
      writeFileSync(path.join(project, "serverless/serverless.yml"), "service: orders\nprovider: {name: aws}\n");
      const linted = (directory: string) =>
        (JSON.parse(run("npx", ["lambda-iam-lint", "--format", "json", directory]).stdout) as Array<{ filePath: string }>).map((result) =>
          path.relative(project, result.filePath),
        );
      expect(linted("sam")).toEqual([]);
      expect(linted("cdk/cdk.out")).toEqual(["cdk/cdk.out/Stack.template.json"]);
      expect(linted("serverless")).toEqual(["serverless/.serverless/cloudformation-template-update-stack.json"]);
    },
  );
});
