// Peak memory of the CLI on an AWS CDK project with 10 NodejsFunction bundles in cdk.out (issue target:
// under 500 MB), one of them minified with the SDK bundled in. Each handler imports a shared module of
// some 300 KB that the bundles keep whole, as real handlers bundle their libraries; the app is synthesized in this process with the
// project's own aws-cdk-lib and esbuild, then linted in a child process as a user would.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { LogLevel, NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";

const FUNCTIONS = 10;
const bin = fileURLToPath(new URL("../dist/cli/bin.js", import.meta.url));
const nodeModules = fileURLToPath(new URL("../node_modules", import.meta.url));

/** A library module of about 300 KB: many small functions, all reachable (no tree shaking), as a bundled dependency looks. */
function sharedLibrary() {
  const parts = [];
  for (let i = 0; i < 3000; i++) {
    parts.push(
      `function helper${i}(input: { id: string; count: number }) {\n  const total = input.count * ${i} + input.id.length;\n  return { id: \`\${input.id}-${i}\`, total, even: total % 2 === 0 };\n}\n`,
    );
  }
  parts.push(`export const helpers = [${Array.from({ length: 3000 }, (_, i) => `helper${i}`).join(", ")}];\n`);
  return parts.join("");
}

export function cdkAssetsMemory() {
  const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-cdk-bench-"));
  try {
    mkdirSync(path.join(project, "src"));
    // NodejsFunction bundles with the esbuild it finds from the project (this repository's).
    symlinkSync(nodeModules, path.join(project, "node_modules"));
    writeFileSync(path.join(project, "package-lock.json"), '{"lockfileVersion":3,"packages":{}}\n');
    writeFileSync(path.join(project, "cdk.json"), '{"app":"node app.mjs"}\n');
    writeFileSync(path.join(project, "src", "shared.ts"), sharedLibrary());
    // The context `cdk synth` gives an app: asset and construct-path metadata on each resource.
    const context = { "aws:cdk:enable-asset-metadata": true, "aws:cdk:enable-path-metadata": true };
    const app = new App({ outdir: path.join(project, "cdk.out"), context });
    const stack = new Stack(app, "Bench");
    const table = new dynamodb.Table(stack, "Orders", { partitionKey: { name: "id", type: dynamodb.AttributeType.STRING } });
    for (let i = 0; i < FUNCTIONS; i++) {
      const entry = path.join(project, "src", `handler${i}.ts`);
      writeFileSync(
        entry,
        `import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";\nimport { helpers } from "./shared";\n\nconst db = new DynamoDBClient({});\n\nexport async function handler(event: { id: string; count: number }) {\n  const item = helpers[(event.count + ${i}) % helpers.length]!(event);\n  await db.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: item.id } } }));\n  await db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { id: { S: item.id } } }));\n}\n`,
      );
      const fn = new NodejsFunction(stack, `Fn${i}`, {
        entry,
        runtime: lambda.Runtime.NODEJS_22_X,
        depsLockFilePath: path.join(project, "package-lock.json"),
        projectRoot: project,
        environment: { TABLE_NAME: table.tableName },
        // The last one as `minify: true` bundles go: no module markers left.
        bundling: { logLevel: LogLevel.SILENT, ...(i === FUNCTIONS - 1 ? { minify: true } : {}) },
      });
      table.grantReadData(fn);
    }
    app.synth();
    const result = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, bin, ".", "-f", "json", "-o", "/dev/null"], {
      cwd: project,
      encoding: "utf8",
    });
    const megabytes = Number(result.stderr.trim().split("\n").pop()) / 1024;
    return {
      name: `peak memory of the CLI on a CDK project with ${FUNCTIONS} bundled assets (each ~300 KB)`,
      value: `${megabytes.toFixed(0)} MB`,
      target: "< 500 MB",
      met: megabytes < 500,
    };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}
