import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { ESLint, Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";

const template = readFileSync(fileURLToPath(new URL("../../examples/shared-role-sam/template.yaml", import.meta.url)), "utf8");

describe("beside @eslint/js recommended, enabled for every file (the common idiom)", () => {
  it.each([
    ["before ours", [js.configs.recommended, ...plugin.configs.recommended]],
    ["after ours", [...plugin.configs.recommended, js.configs.recommended]],
  ])("%s: templates are linted, without a crash", (_order, config) => {
    const messages = new Linter({ configType: "flat" }).verify(template, config as Linter.Config[], "template.yaml");
    expect(messages.filter((message) => message.fatal)).toEqual([]);
    expect(messages.map((message) => message.ruleId)).toEqual([
      "lambda-iam/no-shared-execution-role",
      "lambda-iam/no-shared-execution-role",
    ]);
  });

  it("ESLint's own rules are off for templates (they are written for JavaScript), and stay on for code", () => {
    const config = [js.configs.recommended, ...plugin.configs.recommended] as Linter.Config[];
    expect(new Linter({ configType: "flat" }).verify("let unused = 1;\n", config, "handler.js").map((message) => message.ruleId)).toEqual([
      "no-unused-vars",
    ]);
  });
});

describe("after sam build", () => {
  it("lints a template once, not again in its .aws-sam/build copy; cdk.out stays linted", async () => {
    const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-sam-build-"));
    try {
      for (const file of ["template.yaml", ".aws-sam/build/template.yaml", "cdk.out/Stack.template.yaml"]) {
        mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
        writeFileSync(path.join(project, file), template);
      }
      const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: plugin.configs.recommended as never });
      const linted = (await eslint.lintFiles(["."])).map((result) => path.relative(project, result.filePath)).sort();
      expect(linted).toEqual(["cdk.out/Stack.template.yaml", "template.yaml"]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
