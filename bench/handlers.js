// sdk-call-permissions on 200 handler files against one template, against plain typescript-eslint
// parsing of the same files (issue target: within 1.5x), and against the plugin's own parser (oxc and
// typescript-eslint's scope manager), which the rule reads every file with.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import plugin from "../dist/index.js";
import { codeParser } from "../dist/handlers/code/eslint-parsers.js";

const { parseForESLint } = tseslint.parser;

const FILES = 200;

export function handlerFiles() {
  const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-bench-"));
  try {
    mkdirSync(path.join(project, "src"));
    const functions = [];
    const sources = [];
    for (let i = 0; i < FILES; i++) {
      functions.push(
        `  Fn${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: handler${i}.handler\n      Environment: {Variables: {TABLE_NAME: !Ref Table}}\n      Policies: [{DynamoDBReadPolicy: {TableName: !Ref Table}}]\n`,
      );
      const file = path.join(project, "src", `handler${i}.ts`);
      const code = `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";\n\nconst client = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n\ninterface Order { id: string; total: number }\n\nexport async function handler(event: { id: string; total: number }): Promise<Order | undefined> {\n  const found = await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id: event.id } }));\n  if (found.Item) return found.Item as Order;\n  await client.send(new QueryCommand({ TableName: process.env.TABLE_NAME, KeyConditionExpression: "id = :id", ExpressionAttributeValues: { ":id": event.id } }));\n  await client.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { id: event.id, total: event.total } }));\n  return undefined;\n}\n`;
      writeFileSync(file, code);
      sources.push({ file, code });
    }
    writeFileSync(
      path.join(project, "template.yaml"),
      `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: nodejs22.x\n    CodeUri: src/\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n${functions.join("")}`,
    );
    const parse = () => {
      const started = performance.now();
      for (const { file, code } of sources) parseForESLint(code, { filePath: file, range: true, loc: true });
      return performance.now() - started;
    };
    const ownParse = () => {
      const started = performance.now();
      for (const { file, code } of sources) codeParser.parseForESLint(code, { filePath: file });
      return performance.now() - started;
    };
    const linter = new Linter({ configType: "flat", cwd: project });
    const config = plugin.configs.recommended;
    let findings = 0;
    const lint = () => {
      findings = 0;
      const started = performance.now();
      for (const { file, code } of sources) findings += linter.verify(code, config, file).length;
      return performance.now() - started;
    };
    // As the CLI lints: handler files read by the plugin's own parser alone.
    const cliConfig = [...config, { files: ["**/*.ts"], languageOptions: { parser: codeParser } }];
    const cliLint = () => {
      const started = performance.now();
      for (const { file, code } of sources) linter.verify(code, cliConfig, file);
      return performance.now() - started;
    };
    // ESLint with the same parser and no rule: what any lint of these files costs before our rule runs.
    const bare = [{ files: ["**/*.ts"], languageOptions: { parser: { parseForESLint } } }];
    const eslintOnly = () => {
      const started = performance.now();
      for (const { file, code } of sources) linter.verify(code, bare, file);
      return performance.now() - started;
    };
    parse();
    ownParse();
    lint();
    cliLint();
    eslintOnly();
    const cliTime = Math.min(cliLint(), cliLint(), cliLint());
    const parseTime = Math.min(parse(), parse(), parse());
    const ownParseTime = Math.min(ownParse(), ownParse(), ownParse());
    const lintTime = Math.min(lint(), lint(), lint());
    const eslintTime = Math.min(eslintOnly(), eslintOnly(), eslintOnly());
    const ratio = lintTime / parseTime;
    const overESLint = lintTime / eslintTime;
    return {
      name: `sdk-call-permissions on ${FILES} handler files (${findings} findings) vs plain typescript-eslint parsing`,
      value: `${lintTime.toFixed(0)} ms vs bare parseForESLint ${parseTime.toFixed(0)} ms = ${ratio.toFixed(2)}x; vs ESLint with the same parser and no rule ${eslintTime.toFixed(0)} ms = ${overESLint.toFixed(2)}x; the plugin's own parser alone ${ownParseTime.toFixed(0)} ms, linting with it (as the CLI does) ${cliTime.toFixed(0)} ms`,
      target: "<= 1.5x",
      met: ratio <= 1.5,
    };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}
