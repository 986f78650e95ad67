import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import js from "@eslint/js";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { PYTHON_APP_FINDINGS } from "../examples.js";

const project = fileURLToPath(new URL("../../examples/python-app", import.meta.url));
const handler = `${project}/hello_world/app.py`;
const code = readFileSync(handler, "utf8");

/** ESLint as a project configures it: ESLint's own recommended rules for every file, then this plugin's, then more JavaScript rules unscoped. */
const eslint = new ESLint({
  cwd: project,
  overrideConfigFile: true,
  overrideConfig: [js.configs.recommended, ...plugin.configs.recommended, { rules: { "no-undef": "error", semi: "error" } }],
});

async function lint(text: string) {
  const [result] = await eslint.lintText(text, { filePath: handler });
  return result!.messages.map(({ ruleId, line, column, message }) => [ruleId, line, column, message.split(";")[0]]);
}

describe("the Python language in recommended", () => {
  it("runs the SDK-call rules on .py files, and no JavaScript rule, whatever else is enabled", async () => {
    expect(await lint(code)).toEqual(PYTHON_APP_FINDINGS);
  });

  it("honours # eslint-disable-line and -next-line comments", async () => {
    const silenced = code
      .replace(
        'Item={"id": {"S": order["id"]}})',
        'Item={"id": {"S": order["id"]}})  # eslint-disable-line lambda-iam/sdk-call-permissions',
      )
      .replace(
        '    buckets = s3.list_buckets()["Buckets"]',
        '    # eslint-disable-next-line lambda-iam/sdk-call-permissions -- counted elsewhere\n    buckets = s3.list_buckets()["Buckets"]',
      );
    expect(await lint(silenced)).toEqual([]);
  });

  it("reports a file that is not valid Python as one located parse error", async () => {
    expect(await lint("import boto3\n\ndef handler(event:\n    pass\n")).toEqual([
      [null, 3, 18, 'Parsing error: Python syntax error: unexpected ":"'],
    ]);
  });
});
