import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import json from "@eslint/json";
import { ESLint, Linter } from "eslint";
import { Linter as Linter9 } from "eslint9";
import yml from "eslint-plugin-yml";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { locate } from "../rule-tester.js";

const template = readFileSync(fileURLToPath(new URL("../../examples/shared-role-sam/template.yaml", import.meta.url)), "utf8");
const jsonTemplate = readFileSync(
  fileURLToPath(new URL("../../examples/shared-role-cloudformation/template.json", import.meta.url)),
  "utf8",
);

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

/** The README's setup with another language plugin: theirs after ours, on ESLint 10 and 9. */
describe.each([
  ["ESLint 10", Linter],
  ["ESLint 9", Linter9],
])("%s beside another plugin's language", (_name, TheLinter) => {
  const lint = (text: string, config: unknown[], file: string): Linter.LintMessage[] =>
    (new TheLinter({ configType: "flat" }) as Linter).verify(text, config as Linter.Config[], file);
  const positions = (messages: Linter.LintMessage[], prefix: string) =>
    messages
      .filter((message) => message.ruleId?.startsWith(prefix))
      .map((message) => `${message.ruleId}:${message.line}:${message.column}`);
  /** The example template with a YAML style slip that eslint-plugin-yml's recommended config reports. */
  const styled = `${template}Outputs:\n  Topic: {Value: !Ref AWS::StackName}\n  Spaced:   {Value: x}\n`;

  it("eslint-plugin-yml after ours: both plugins check the template, ours at the same places as on our own language", () => {
    const messages = lint(styled, [...plugin.configs.recommended, ...yml.configs["flat/standard"]], "template.yaml");
    expect(messages.filter((message) => message.fatal)).toEqual([]);
    expect(positions(messages, "lambda-iam/")).toEqual(positions(lint(styled, plugin.configs.recommended, "template.yaml"), "lambda-iam/"));
    expect(positions(messages, "lambda-iam/")).toEqual([
      "lambda-iam/no-shared-execution-role:28:13",
      "lambda-iam/no-shared-execution-role:34:13",
    ]);
    // key-spacing reports at the colon after "Spaced".
    const spaced = locate(styled, ":   {Value: x}");
    expect(positions(messages, "yml/")).toContain(`yml/key-spacing:${spaced.line}:${spaced.column}`);
  });

  it("eslint-plugin-yml before ours: ESLint stops and says to swap them, instead of dropping its checks silently", () => {
    expect(() => lint(styled, [...yml.configs["flat/standard"], ...plugin.configs.recommended], "template.yaml")).toThrow(
      "eslint-plugin-yml's rules cannot check a file that eslint-plugin-lambda-iam's language parsed: put eslint-plugin-yml's config after lambdaIam.configs.recommended",
    );
  });

  it("a YAML file that is no template gets nothing from our rules on eslint-plugin-yml's language", () => {
    const messages = lint(
      "name: CI\non: push\n",
      [...plugin.configs.recommended, ...yml.configs["flat/recommended"]],
      ".github/workflows/ci.yml",
    );
    expect(messages).toEqual([]);
  });

  it("@eslint/json after ours: its rules and ours both run on a JSON template", () => {
    const jsonBlock = { files: ["**/*.json"], language: "json/json", ...json.configs.recommended, plugins: { json } };
    const duplicated = jsonTemplate.replace(
      '"Resources": {',
      '"Resources": {\n    "Dup": {"Type": "AWS::SNS::Topic"},\n    "Dup": {"Type": "AWS::SNS::Topic"},',
    );
    const messages = lint(duplicated, [...plugin.configs.recommended, jsonBlock], "template.json");
    const second = locate(duplicated, '"Dup"', 1);
    expect(positions(messages, "json/")).toEqual([`json/no-duplicate-keys:${second.line}:${second.column}`]);
    // Our parser refuses duplicate keys as CloudFormation does: said once, located, and nothing claimed.
    expect(messages.filter((message) => message.ruleId?.startsWith("lambda-iam/")).map((m) => [m.line, m.column, m.message])).toEqual([
      [second.line, second.column, expect.stringMatching(/^lambda-iam cannot read this template, so none of it is checked: .*Dup/u)],
    ]);
    expect(positions(lint(jsonTemplate, [...plugin.configs.recommended, jsonBlock], "template.json"), "lambda-iam/")).toEqual(
      positions(lint(jsonTemplate, plugin.configs.recommended, "template.json"), "lambda-iam/"),
    );
  });

  it("on json/jsonc, a template with a comment (which CloudFormation rejects) is reported once as unreadable", () => {
    const jsoncBlock = { files: ["**/*.json"], plugins: { json }, language: "json/jsonc" };
    const commented = jsonTemplate.replace("{", "{\n  // the shared role");
    const messages = lint(commented, [...plugin.configs.recommended, jsoncBlock], "template.json");
    expect(messages.map((message) => [message.ruleId, message.line, message.column])).toEqual([
      ["lambda-iam/cross-account-trust-scope", 2, 3],
    ]);
    expect(messages[0]!.message).toMatch(/^lambda-iam cannot read this template, so none of it is checked: /u);
  });
});
