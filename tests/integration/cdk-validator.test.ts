import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript script, shared with `npm run synth:cdk-example`.
import { synthesize } from "../../scripts/synth-cdk-example.js";
import { LambdaIamValidator } from "../../src/cdk/validator.js";
import { runCli } from "../../src/cli/main.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outdirs = mkdtempSync(path.join(tmpdir(), "lambda-iam-cdk-"));
afterAll(() => rmSync(outdirs, { recursive: true, force: true }));

type Synth = (options: { outdir: string; fixed: boolean; validate: boolean }) => { status: number | null; output: string };

describe("LambdaIamValidator in a real synth of the example CDK app (aws-cdk-lib, offline)", () => {
  it("fails the synth on the deliberate mistakes, naming each construct, and passes the fixed app", { timeout: 120_000 }, () => {
    const broken = (synthesize as Synth)({ outdir: path.join(outdirs, "broken"), fixed: false, validate: true });
    expect(broken.status).not.toBe(0);
    for (const line of [
      "ERROR Batch14E90808: its execution role BatchRoleC28B5511 does not trust lambda.amazonaws.com",
      "   OrdersStack/Batch (Batch14E90808) aws-cdk-lib.aws_lambda.Function",
      "   Acknowledge with 'eslint-plugin-lambda-iam::lambda-iam/execution-role-trust'",
      "WARNING Function Worker11F36D0F shares execution role SharedRoleD1D02F7E with Reporter08098DAC",
    ]) {
      expect(broken.output).toContain(line);
    }
    const fixed = (synthesize as Synth)({ outdir: path.join(outdirs, "fixed"), fixed: true, validate: true });
    // (esbuild says what it bundled; the validator has nothing to say.)
    expect(fixed.output).not.toMatch(/eslint-plugin-lambda-iam|ERROR|WARNING/u);
    expect(fixed.status).toBe(0);
  });

  it("reports each finding as a violation of its resource, construct path and property, errors failing", () => {
    const template = path.join(root, "examples/cdk-app/cdk.out/OrdersStack.template.json");
    const report = new LambdaIamValidator().validate({ templatePaths: [template] });
    expect(report.success).toBe(false);
    const trust = report.violations.find((violation) => violation.description.startsWith("Batch14E90808: its execution role"));
    expect(trust).toMatchObject({
      ruleName: "lambda-iam/execution-role-trust",
      severity: "error",
      fix: "See https://github.com/lambda-iam/eslint-plugin-lambda-iam/blob/main/docs/rules/execution-role-trust.md",
      violatingResources: [
        { templatePath: template, resourceLogicalId: "Batch14E90808", constructPath: "OrdersStack/Batch", locations: ["Properties/Role"] },
      ],
    });
    // Options as in a flat config: the shared role allowed, the logs finding switched off, the trust kept.
    const relaxed = new LambdaIamValidator({
      rules: {
        "lambda-iam/no-shared-execution-role": ["warn", { allowedRoles: ["SharedRoleD1D02F7E"] }],
        "lambda-iam/function-config-permissions": "off",
      },
    }).validate({ templatePaths: [template] });
    expect([...new Set(relaxed.violations.map((violation) => violation.ruleName))]).toEqual(["lambda-iam/execution-role-trust"]);
    expect(JSON.parse(readFileSync(template, "utf8")).Resources.Batch14E90808.Metadata["aws:cdk:path"]).toBe("OrdersStack/Batch/Resource");
  });
});

/** A CDK app in its own directory that uses the validator as a user's app does (`Validations.of(app).addPlugins`). */
function gatedApp(name: string, validator: string): string {
  const project = path.join(outdirs, name);
  mkdirSync(path.join(project, "node_modules"), { recursive: true });
  for (const [module, target] of [
    ["eslint-plugin-lambda-iam", root],
    ["aws-cdk-lib", path.join(root, "node_modules/aws-cdk-lib")],
    ["constructs", path.join(root, "node_modules/constructs")],
  ] as const)
    symlinkSync(target, path.join(project, "node_modules", module));
  writeFileSync(path.join(project, "cdk.json"), '{ "app": "node app.mjs" }\n');
  writeFileSync(
    path.join(project, "app.mjs"),
    [
      'import { App, Stack, Validations } from "aws-cdk-lib";',
      'import * as iam from "aws-cdk-lib/aws-iam";',
      'import * as lambda from "aws-cdk-lib/aws-lambda";',
      'import { LambdaIamValidator } from "eslint-plugin-lambda-iam/cdk";',
      "const app = new App();",
      `Validations.of(app).addPlugins(${validator});`,
      'const stack = new Stack(app, "Gate");',
      'const role = new iam.Role(stack, "Ec2Role", { assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com") });',
      'new lambda.Function(stack, "Fn", { runtime: lambda.Runtime.NODEJS_22_X, handler: "index.handler", code: lambda.Code.fromInline("exports.handler = async () => 1"), role });',
      "",
    ].join("\n"),
  );
  return project;
}

/** `cdk synth` with its default options (output to the relative `cdk.out`), as a user runs it. */
function cdkSynth(project: string) {
  const result = spawnSync(path.join(root, "node_modules/.bin/cdk"), ["synth", "--no-notices", "--no-version-reporting"], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1", CDK_DISABLE_CLI_TELEMETRY: "true" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("LambdaIamValidator under the cdk CLI's plain `cdk synth`", () => {
  it("fails the synth with the findings, its output directory being relative", { timeout: 180_000 }, () => {
    const { status, output } = cdkSynth(gatedApp("gate", "new LambdaIamValidator()"));
    expect(output).toContain(
      'ERROR Fn9270CBC0: its execution role Ec2Role2FD9A272 does not trust lambda.amazonaws.com (CloudFormation fails to create the function: "The role defined for the function cannot be assumed by Lambda") (construct Gate/Fn) (eslint-plugin-lambda-iam)',
    );
    expect(status).toBe(1);
  });

  it("fails the synth, saying why, when the validator itself cannot check (CDK alone would pass it)", { timeout: 180_000 }, () => {
    const { status, output } = cdkSynth(
      gatedApp("gate-broken", 'new LambdaIamValidator({ rules: { "lambda-iam/no-shared-execution-role": ["warn", { bogus: 1 }] } })'),
    );
    expect(output).toContain("eslint-plugin-lambda-iam could not check the synthesized templates, so none of them is checked:");
    expect(status).toBe(1);
  });
});

describe("a synth with construct traces (cdk synth --debug)", () => {
  it("gives each SARIF result on a construct the app's line that created it, as a related location", { timeout: 120_000 }, async () => {
    const outdir = path.join(outdirs, "debug");
    process.env.CDK_DEBUG = "true";
    try {
      expect((synthesize as Synth)({ outdir, fixed: false, validate: false }).status).toBe(0);
    } finally {
      delete process.env.CDK_DEBUG;
    }
    let stdout = "";
    await runCli(["--format", "sarif", path.join(outdir, "OrdersStack.template.json")], {
      cwd: root,
      stdout: (text) => (stdout += text),
      stderr: () => {},
    });
    type Located = {
      physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      message?: { text: string };
      logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }>;
    };
    type SarifResult = { message: { text: string }; locations: Located[]; relatedLocations?: Located[] };
    const results = (JSON.parse(stdout) as { runs: Array<{ results: SarifResult[] }> }).runs[0]!.results;
    const trust = results.find((result) => result.message.text.startsWith("Batch14E90808: its execution role"))!;
    // The construct is the result's logical location too.
    expect(trust.locations[0]!.logicalLocations).toEqual([{ fullyQualifiedName: "OrdersStack/Batch", kind: "resource" }]);
    // The compiled app the synth ran (with tsx or ts-node and source maps, the TypeScript line itself).
    const app = readFileSync(path.join(root, "examples/cdk-app/.synth/app.mjs"), "utf8").split("\n");
    const created = trust.relatedLocations!.find((place) => place.message?.text === "construct OrdersStack/Batch is created here")!;
    // Outside the report's source root (the assembly), so an absolute file URI.
    expect(created.physicalLocation.artifactLocation.uri).toBe(pathToFileURL(path.join(root, "examples/cdk-app/.synth/app.mjs")).href);
    expect(app[created.physicalLocation.region.startLine - 1]).toContain('new lambda.Function(stack, "Batch"');
  });
});
