import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { Linter } from "eslint";
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
