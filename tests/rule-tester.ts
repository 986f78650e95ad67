import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/**
 * A RuleTester whose cases are CloudFormation/SAM templates (YAML unless the filename says JSON). With
 * LAMBDA_IAM_RULE_CASES set to a directory, it also writes each case's template there (`<rule>-<n>.yaml`
 * and its name in `<rule>-<n>.name`), for tests/rule-cases.test.ts to validate with cfn-lint.
 */
export function templateRuleTester(): RuleTester {
  const tester = new RuleTester({
    plugins: { "lambda-iam": plugin as never },
    language: "lambda-iam/cloudformation",
  });
  const directory = process.env.LAMBDA_IAM_RULE_CASES;
  if (!directory) return tester;
  const run = tester.run.bind(tester);
  tester.run = (name, rule, tests) => {
    mkdirSync(directory, { recursive: true });
    [...tests.valid, ...tests.invalid].forEach((test, index) => {
      const { code, filename, name: caseName } = typeof test === "string" ? { code: test, filename: undefined, name: undefined } : test;
      const file = path.join(directory, `${name.replace(/[^\w-]/gu, "_")}-${index}`);
      writeFileSync(`${file}.${filename?.endsWith(".json") ? "json" : "yaml"}`, code);
      writeFileSync(`${file}.name`, `${name}: ${caseName ?? `case ${index}`}`);
    });
    run(name, rule, tests);
  };
  return tester;
}

/** Strips the common indentation of a template literal, so YAML cases can be indented in the test file. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/u, "");
  const indent = Math.min(
    ...text
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => /^ */u.exec(line)![0].length),
  );
  return text
    .split("\n")
    .map((line) => line.slice(indent))
    .join("\n");
}

/**
 * The 1-based position of the `nth` occurrence (from 0) of `needle` in `code`, found by plain text search
 * so that tests state where a finding must be without trusting the parser under test.
 */
export function locate(code: string, needle: string, nth = 0): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = code.indexOf(needle, index + 1);
    if (index === -1) throw new Error(`"${needle}" occurs fewer than ${nth + 1} times`);
  }
  const before = code.slice(0, index).split("\n");
  const line = before.length;
  const column = before[before.length - 1]!.length + 1;
  const needleLines = needle.split("\n");
  const endLine = line + needleLines.length - 1;
  const endColumn = needleLines.length === 1 ? column + needle.length : needleLines[needleLines.length - 1]!.length + 1;
  return { line, column, endLine, endColumn };
}

/** The position of a YAML mapping key written as `key:` at the start of a line (after its indentation). */
export function locateKey(code: string, key: string): { line: number; column: number; endLine: number; endColumn: number } {
  const lines = code.split("\n");
  const index = lines.findIndex((line) => line.trimStart().startsWith(`${key}:`));
  if (index === -1) throw new Error(`no line starts with ${key}:`);
  const column = lines[index]!.length - lines[index]!.trimStart().length + 1;
  return { line: index + 1, column, endLine: index + 1, endColumn: column + key.length };
}

/** A role's trust policy that lets Lambda assume it, as one line of YAML. */
export const LAMBDA_TRUST =
  "AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}";

/** The same trust policy, as JSON. */
export const LAMBDA_TRUST_DOCUMENT = {
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

/** What a JSON `AWS::Lambda::Function` needs beside its role to deploy (inline Python code). */
export const ZIP_CODE = { Runtime: "python3.12", Handler: "index.handler", Code: { ZipFile: "def handler(e, c): pass" } };

/** Indents every non-empty line of a YAML snippet by `spaces`, to place it inside a template. */
export function indent(text: string, spaces: number): string {
  return text.replace(/^(?=.)/gmu, " ".repeat(spaces));
}
