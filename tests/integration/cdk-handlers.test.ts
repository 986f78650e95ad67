import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), "lambda-iam-cdk-handlers-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes a CDK app (its body, with `stack` in scope) with this repository's aws-cdk-lib, as `cdk synth` runs it. */
function synth(name: string, body: string): string {
  const project = path.join(work, name);
  const lib = (module: string) => JSON.stringify(pathToFileURL(path.join(root, "node_modules/aws-cdk-lib", module, "index.js")).href);
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, "cdk.json"), '{ "app": "node app.mjs" }\n');
  writeFileSync(
    path.join(project, "app.mjs"),
    `import { App, Stack, RemovalPolicy } from ${lib(".")};\nimport * as s3 from ${lib("aws-s3")};\nconst app = new App();\nconst stack = new Stack(app, "AutoDelete");\n${body}\napp.synth();\n`,
  );
  const result = spawnSync(process.execPath, ["app.mjs"], {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      CDK_OUTDIR: "cdk.out",
      CDK_CONTEXT_JSON: JSON.stringify({ "aws:cdk:enable-path-metadata": true, "aws:cdk:enable-asset-metadata": true }),
    },
  });
  expect(result.status).toBe(0);
  return project;
}

async function findings(project: string) {
  let stdout = "";
  await runCli(["--format", "json", "."], { cwd: project, stdout: (text) => (stdout += text), stderr: () => {} });
  return (
    JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; messageId: string; message: string }> }>
  ).flatMap((result) => result.messages.map((message) => ({ file: path.relative(project, result.filePath), ...message })));
}

describe("the handlers CDK generates, in cdk.out", () => {
  it(
    "autoDeleteObjects' provider calls S3 with rights its bucket policy gives it: no finding; without that policy, each call named by its construct",
    { timeout: 120_000 },
    async () => {
      const project = synth(
        "auto-delete",
        'new s3.Bucket(stack, "Data", { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });',
      );
      expect(await findings(project)).toEqual([]);

      // The same synth with the bucket policy CDK writes taken out: the role's own policies allow no S3 action.
      const template = path.join(project, "cdk.out", "AutoDelete.template.json");
      const synthesized = JSON.parse(readFileSync(template, "utf8")) as { Resources: Record<string, { Type: string }> };
      for (const [id, resource] of Object.entries(synthesized.Resources))
        if (resource.Type === "AWS::S3::BucketPolicy") delete synthesized.Resources[id];
      writeFileSync(template, JSON.stringify(synthesized, null, 1));
      const asset = readdirSync(path.join(project, "cdk.out")).find((name) => name.startsWith("asset."))!;
      const without = await findings(project);
      expect(without.length).toBeGreaterThanOrEqual(4);
      for (const finding of without) {
        expect(finding).toMatchObject({
          file: `cdk.out/${asset}/index.js`,
          ruleId: "lambda-iam/sdk-call-permissions",
          messageId: "notAllowedInConstruct",
        });
        expect(finding.message).toMatch(/ \(construct AutoDelete\/Custom::S3AutoDeleteObjectsCustomResourceProvider\/Handler\)$/u);
      }
    },
  );
});
