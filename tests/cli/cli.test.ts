import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import type { Unreadable } from "../../src/cli/discover.js";
import { lintReadable, runCli } from "../../src/cli/main.js";
import { lineHashes } from "../../src/cli/line-hash.js";
import { FORMAT_SUMMARIES } from "../../src/cli/format-names.js";
import plugin from "../../src/index.js";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = path.join(root, "dist/cli/bin.js");
const fixtures = path.join(root, "tests/fixtures/cli");
const RULE = "lambda-iam/no-shared-execution-role";

/** The CLI in this process, as bin.ts runs it: what it prints and its exit code. */
async function cli(...args: string[]) {
  return cliIn(fixtures, ...args);
}

/** The same, working in another directory. */
async function cliIn(cwd: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

/** A SAM template whose one function `Fn` runs `handler.ts` beside it, with more properties when given. */
const samApp = (properties = "") =>
  `AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ., Handler: handler.handler, Runtime: nodejs22.x${properties}}\n`;

/** The built CLI in a process of its own, where the process boundary is the point (the bin, its exit code). */
function spawnCli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: fixtures, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; line: number; column: number; severity: number; fatal?: boolean; message: string }>;
  warningCount: number;
  errorCount: number;
}

async function jsonResults(...args: string[]): Promise<JsonResult[]> {
  const { stdout } = await cli("--format", "json", ...args);
  return JSON.parse(stdout) as JsonResult[];
}

const outputDir = mkdtempSync(path.join(tmpdir(), "lambda-iam-cli-"));
afterAll(() => rmSync(outputDir, { recursive: true, force: true }));

describe("finding files", () => {
  it("searches directories for templates, skipping node_modules and hidden directories but not cdk.out", async () => {
    const files = (await jsonResults("nested", "shared.yaml")).map((r) => path.relative(fixtures, r.filePath));
    expect(files).toEqual(["nested/cdk.out/Stack.template.json", "nested/clean.yml", "shared.yaml"]);
  });

  it("says so on stderr and exits 0 when there is no template", async () => {
    expect(await cli("no-templates")).toEqual({
      status: 0,
      stdout: "",
      stderr: "lambda-iam-lint: no CloudFormation or SAM templates found in no-templates\n",
    });
  });
});

describe("files that cannot be read", () => {
  it("lints a symbolic link to a template and reports a dangling one, located, then lints the rest", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "lambda-iam-links-"));
    try {
      mkdirSync(path.join(folder, "real"));
      cpSync(path.join(fixtures, "shared.yaml"), path.join(folder, "real", "shared.yaml"));
      symlinkSync(path.join(folder, "real", "shared.yaml"), path.join(folder, "linked.yaml"));
      symlinkSync(path.join(folder, "missing.yaml"), path.join(folder, "dangling.yaml"));
      const { status, stdout } = await cli("--format", "json", folder);
      const results = (JSON.parse(stdout) as JsonResult[]).map((r) => [
        path.basename(r.filePath),
        r.messages.map((m) => [m.ruleId, m.line, m.column]),
      ]);
      expect(results).toEqual([
        ["dangling.yaml", [[null, 1, 1]]],
        ...["linked.yaml", "shared.yaml"].map((name) => [
          name,
          [
            [RULE, 28, 13],
            [RULE, 34, 13],
          ],
        ]),
      ]);
      expect(status).toBe(1);
      expect((await cli(folder)).stdout).toContain(
        "Cannot read this file: it is a symbolic link to a file that does not exist; it was not linted",
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("sets aside a file that vanished before ESLint read it, and lints the others", async () => {
    const unreadable: Unreadable[] = [];
    let calls = 0;
    const eslint = {
      lintFiles: async (files: string[]) => {
        calls++;
        if (files.includes("/gone.yaml"))
          throw Object.assign(new Error("ENOENT: no such file or directory, open '/gone.yaml'"), { code: "ENOENT", path: "/gone.yaml" });
        return files.filter((file) => file !== "/skipped.yaml").map((filePath) => ({ filePath }) as ESLint.LintResult);
      },
    };
    const results = await lintReadable(eslint, ["/a.yaml", "/gone.yaml", "/skipped.yaml"], unreadable);
    expect(results.map((result) => result.filePath)).toEqual(["/a.yaml"]);
    expect(unreadable).toEqual([
      { file: "/gone.yaml", reason: "it no longer exists" },
      { file: "/skipped.yaml", reason: "it no longer exists" },
    ]);
    expect(calls).toBe(2);
  });
});

describe("templates in UTF-16 and UTF-32", () => {
  it("are decoded by their byte order mark, linted, and warned about; a UTF-16 manifest stays silent", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "lambda-iam-encodings-"));
    try {
      const text = readFileSync(path.join(fixtures, "shared.yaml"), "utf8");
      const bigEndian = Buffer.from(text, "utf16le").swap16();
      const utf32 = Buffer.alloc(4 * (1 + [...text].length));
      [0xfeff, ...[...text].map((char) => char.codePointAt(0)!)].forEach((code, index) => utf32.writeUInt32LE(code, 4 * index));
      writeFileSync(path.join(folder, "le.yaml"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
      writeFileSync(path.join(folder, "be.yaml"), Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian]));
      writeFileSync(path.join(folder, "utf32.yaml"), utf32);
      writeFileSync(
        path.join(folder, "manifest.yaml"),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("apiVersion: v1\nkind: ConfigMap\n", "utf16le")]),
      );
      const results = (JSON.parse((await cli("--format", "json", folder)).stdout) as JsonResult[]).map((r) => [
        path.basename(r.filePath),
        r.messages.map((m) => [m.ruleId, m.line, m.column, m.ruleId ? "" : m.message]),
      ]);
      const warning = (encoding: string) =>
        `File is ${encoding} (it starts with a byte order mark): linted as decoded, but CloudFormation reads templates as UTF-8 only; save it as UTF-8`;
      const findings = (encoding: string) => [
        [null, 1, 1, warning(encoding)],
        [RULE, 28, 13, ""],
        [RULE, 34, 13, ""],
      ];
      expect(results).toEqual([
        ["be.yaml", findings("UTF-16BE")],
        ["le.yaml", findings("UTF-16LE")],
        ["utf32.yaml", findings("UTF-32LE")],
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("worker threads", () => {
  // Worker threads load the built plugin: a process of its own, as users run it.
  it("--concurrency 2 reports exactly what one thread reports", () => {
    const single = spawnCli("--format", "json", "nested", "shared.yaml", "broken.yaml");
    const threaded = spawnCli("--format", "json", "--concurrency", "2", "nested", "shared.yaml", "broken.yaml");
    expect(threaded.status).toBe(single.status);
    expect(JSON.parse(threaded.stdout)).toEqual(JSON.parse(single.stdout));
    expect((JSON.parse(single.stdout) as JsonResult[]).flatMap((r) => r.messages).length).toBeGreaterThan(2);
  });
});

describe("TypeScript handlers", () => {
  it("with TypeScript 7 installed (which has no JavaScript API), are read by the plugin's own parser and checked", async () => {
    const project = path.join(outputDir, "typescript-7");
    mkdirSync(path.join(project, "node_modules", "typescript"), { recursive: true });
    writeFileSync(
      path.join(project, "node_modules", "typescript", "package.json"),
      '{"name": "typescript", "version": "7.0.0", "main": "index.js"}',
    );
    writeFileSync(path.join(project, "node_modules", "typescript", "index.js"), 'throw new Error("TypeScript 7 has no JavaScript API");');
    const code = [
      'import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";',
      "interface Event { id: string }",
      "const s3 = new S3Client({});",
      "export const handler = async (event: Event): Promise<number> => (await s3.send(new ListBucketsCommand({}))).Buckets!.length;",
      "",
    ].join("\n");
    writeFileSync(path.join(project, "handler.ts"), code);
    writeFileSync(path.join(project, "template.yaml"), samApp());
    const { status, stdout, stderr } = await cliIn(project, "--format", "json", ".");
    expect(stderr).toBe("");
    const handler = (JSON.parse(stdout) as JsonResult[]).find((result) => result.filePath.endsWith("handler.ts"))!;
    expect(handler.messages.map(({ ruleId, line, column }) => [ruleId, line, column])).toEqual([
      ["lambda-iam/sdk-call-permissions", 4, code.split("\n")[3]!.indexOf("new ListBucketsCommand") + 1],
    ]);
    expect(status).toBe(1);
  });
});

describe("a project's own ESLint comments", () => {
  it("about rules the CLI does not run are not judged; one about this plugin's rules still is", async () => {
    const project = path.join(outputDir, "foreign-directives");
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, "template.yaml"), samApp(", Policies: [AmazonS3ReadOnlyAccess]"));
    const code = [
      'import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";',
      "// eslint-disable-next-line @typescript-eslint/no-unused-vars",
      "const unused = 1;",
      "/* eslint-disable no-console */",
      "const s3 = new S3Client({});",
      "// eslint-disable-next-line lambda-iam/sdk-call-permissions",
      "export const handler = async () => s3.send(new ListBucketsCommand({}));",
      "",
    ].join("\n");
    writeFileSync(path.join(project, "handler.ts"), code);
    const { status, stdout } = await cliIn(project, "--format", "json", ".");
    const handler = (JSON.parse(stdout) as JsonResult[]).find((result) => result.filePath.endsWith("handler.ts"))!;
    expect(handler.messages.map(({ ruleId, line, message }) => [ruleId, line, message])).toEqual([
      [null, 6, "Unused eslint-disable directive (no problems were reported from 'lambda-iam/sdk-call-permissions')."],
    ]);
    expect([handler.errorCount, handler.warningCount, status]).toEqual([0, 1, 0]);
  });
});

describe("handler files that cannot be checked", () => {
  it("are listed on standard error, by why, and pass as neither clean nor failed", async () => {
    const project = path.join(outputDir, "unchecked");
    mkdirSync(path.join(project, "scripts"), { recursive: true });
    const files: Record<string, string> = {
      "template.yaml": samApp(),
      "scripts/seed.ts":
        'import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";\nexport const run = () => new S3Client({}).send(new ListBucketsCommand({}));\n',
      "handler.ts":
        'import { PutItemCommand } from "@aws-sdk/client-dynamodb";\nexport const handler = (db: { send(c: unknown): unknown }) => db.send(new PutItemCommand({ TableName: "t", Item: {} }));\n',
      "more.yaml":
        samApp().replace("Handler: handler.handler", "Handler: transcribe.handler") +
        "  Legacy:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ., Handler: legacy.handler, Runtime: nodejs16.x}\n" +
        "  Presign:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ., Handler: presign.handler, Runtime: python3.12}\n",
      "presign.py":
        'import boto3\n\ns3 = boto3.client("s3")\n\n\ndef handler(event, context):\n    return s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"})\n',
      "transcribe.ts":
        'import { TranscribeClient, StartTranscriptionJobCommand } from "@aws-sdk/client-transcribe";\nconst transcribe = new TranscribeClient({});\nexport const handler = () => transcribe.send(new StartTranscriptionJobCommand({ TranscriptionJobName: "j" }));\n',
      "legacy.js": 'const AWS = require("aws-sdk");\nexports.handler = () => new AWS.S3().listBuckets().promise();\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
    const { status, stdout, stderr } = await cliIn(project, "--format", "json", ".");
    expect(stderr).toBe(
      [
        "lambda-iam-lint: not checked: 1 file calls AWS through the SDK, but the role that signs a call in it is not shown: handler.ts:2:71",
        "lambda-iam-lint: not checked: 1 file calls AWS through the SDK, but it uses the AWS SDK for JavaScript v2, which the plugin does not read: legacy.js:1:13",
        "lambda-iam-lint: not checked: 1 file calls AWS through the SDK, but it presigns a request, whose permission is not checked: presign.py:7:12",
        "lambda-iam-lint: not checked: 1 file calls AWS through the SDK, but no function's handler in its project's templates reaches it: scripts/seed.ts",
        "lambda-iam-lint: not checked: 1 file calls AWS through the SDK, but the IAM actions of a call in it are not in the plugin's SDK data: transcribe.ts:3:46",
        "",
      ].join("\n"),
    );
    expect((JSON.parse(stdout) as JsonResult[]).flatMap((result) => result.messages)).toEqual([]);
    expect(status).toBe(0);
  });
});

describe("a CDK app's handlers and their copies in cdk.out", () => {
  const example = path.join(root, "examples/cdk-app");
  const codeFindings = async (...paths: string[]) => {
    const { stdout } = await cliIn(example, "--format", "json", ...paths);
    return (JSON.parse(stdout) as JsonResult[]).flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === "lambda-iam/sdk-call-permissions")
        .map(() => path.relative(example, result.filePath)),
    );
  };
  it("report each finding once: at the source when the run lints it, else at the copy", async () => {
    expect(await codeFindings(".")).toEqual(["src/audit.ts", "src/worker/index.mjs"]);
    expect((await codeFindings("cdk.out")).map((file) => file.replace(/asset\.[0-9a-f]+/u, "asset"))).toEqual([
      "cdk.out/asset/index.mjs",
      "cdk.out/asset/index.js",
    ]);
  });

  it("do so for Python too: Code.fromAsset's copy of a .py handler", async () => {
    const project = path.join(root, "tests/fixtures/handlers/cdk-python");
    const python = async (...paths: string[]) => {
      const { stdout } = await cliIn(project, "--format", "json", ...paths);
      return (JSON.parse(stdout) as JsonResult[]).flatMap((result) =>
        result.messages
          .filter((message) => message.ruleId === "lambda-iam/sdk-call-permissions")
          .map(() => path.relative(project, result.filePath)),
      );
    };
    expect(await python(".")).toEqual(["lambda/index.py"]);
    expect(await python("cdk.out")).toEqual(["cdk.out/asset.0a1b2c3d/index.py"]);
  });
});

describe("a template that names a macro", () => {
  it("gets a located note that what the macro may change is not checked, never silence", async () => {
    const project = path.join(outputDir, "macro");
    mkdirSync(project, { recursive: true });
    writeFileSync(
      path.join(project, "template.yaml"),
      'AWSTemplateFormatVersion: "2010-09-09"\nTransform: [AWS::Serverless-2016-10-31, CompanyMacro]\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k.zip}\n',
    );
    expect(await cliIn(project, "--no-config-lookup", ".")).toEqual({
      status: 0,
      stdout: "",
      stderr:
        "lambda-iam-lint: template.yaml:2:41: the CompanyMacro macro is not expanded (CloudFormation runs it when it deploys): what it may add or change in the template is not checked\n",
    });
  });
});

describe("a Serverless Framework service", () => {
  it("is linted through the template serverless package writes, and without it a note says how to get one", async () => {
    const service = path.join(outputDir, "serverless-service");
    mkdirSync(service, { recursive: true });
    writeFileSync(path.join(service, "serverless.yml"), "service: orders\nprovider: {name: aws}\n");
    const note = `lambda-iam-lint: ${path.join(service, "serverless.yml")} is a Serverless Framework service, not a template: run \`serverless package\` in ${service}, which writes .serverless/cloudformation-template-update-stack.json, to lint what it deploys\n`;
    // The directory, and serverless.yml named on the command line: the same note, never a silent pass.
    for (const target of [service, path.join(service, "serverless.yml")]) {
      const before = await cli("--format", "json", target);
      expect(before.stdout).toBe("[]\n");
      expect(before.stderr).toContain(note);
    }
    // A template of its own beside it (a resources file) is linted, and the note claims no more than it knows.
    cpSync(path.join(fixtures, "shared.yaml"), path.join(service, "resources.yaml"));
    const beside = await cli("--format", "json", service);
    expect((JSON.parse(beside.stdout) as JsonResult[]).map((result) => path.relative(service, result.filePath))).toEqual([
      "resources.yaml",
    ]);
    expect(beside.stderr).toContain(note);
    rmSync(path.join(service, "resources.yaml"));
    mkdirSync(path.join(service, ".serverless"));
    cpSync(path.join(fixtures, "shared.yaml"), path.join(service, ".serverless", "cloudformation-template-update-stack.json"));
    const after = JSON.parse((await cli("--format", "json", service)).stdout) as JsonResult[];
    expect(after.map((result) => path.relative(service, result.filePath))).toEqual([
      ".serverless/cloudformation-template-update-stack.json",
    ]);
    expect(after[0]!.messages.map((message) => message.ruleId)).toEqual([RULE, RULE]);
    const named = JSON.parse((await cli("--format", "json", path.join(service, "serverless.yml"))).stdout) as JsonResult[];
    expect(named.map((result) => path.relative(service, result.filePath))).toEqual([
      ".serverless/cloudformation-template-update-stack.json",
    ]);
  });
});

describe("output formats", () => {
  it("writes a valid, empty report when no template is found, so that a following upload step has one", async () => {
    const empty = path.join(outputDir, "empty");
    mkdirSync(empty, { recursive: true });
    expect(await cli("--format", "json", empty)).toEqual({
      status: 0,
      stdout: "[]\n",
      stderr: `lambda-iam-lint: no CloudFormation or SAM templates found in ${empty}\n`,
    });
    const sarif = JSON.parse((await cli("--format", "sarif", empty)).stdout);
    expect(sarif.runs[0].results).toEqual([]);
    const target = path.join(outputDir, "empty-report", "report.sarif");
    expect((await cli("--format", "sarif", "--output-file", target, empty)).status).toBe(0);
    expect(JSON.parse(readFileSync(target, "utf8")).version).toBe("2.1.0");
  });

  it("stylish lists each finding with its position and rule", async () => {
    const { status, stdout } = await cli("shared.yaml");
    expect(status).toBe(0);
    expect(stdout).toContain("shared.yaml");
    expect(stdout).toMatch(/28:13\s+warning\s+Function CreateOrderFunction shares execution role OrdersRole with ShipOrderFunction/u);
    expect(stdout).toMatch(/34:13\s+warning\s+Function ShipOrderFunction shares execution role OrdersRole with CreateOrderFunction/u);
    expect(stdout).toContain("2 problems (0 errors, 2 warnings)");
  });

  it("json is ESLint's JSON results", async () => {
    const [result] = await jsonResults("shared.yaml");
    expect(result!.messages.map((m) => [m.ruleId, m.line, m.column, m.severity])).toEqual([
      [RULE, 28, 13, 1],
      [RULE, 34, 13, 1],
    ]);
    expect(result!.warningCount).toBe(2);
  });

  it("sarif is valid SARIF 2.1.0 with rule metadata, results and parse errors as notifications", async () => {
    const { stdout, status } = await cli("--format", "sarif", "shared.yaml", "broken.yaml");
    expect(status).toBe(1);
    const log = JSON.parse(stdout);
    const Ajv = require("ajv");
    const ajv = new Ajv({ schemaId: "id", allErrors: true });
    ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
    const validate = ajv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // A synthesized CDK template's results carry their construct as a logical location, valid too.
    const cdk = JSON.parse((await cli("--format", "sarif", path.join(root, "examples/cdk-app/cdk.out/OrdersStack.template.json"))).stdout);
    expect(validate(cdk), JSON.stringify(validate.errors)).toBe(true);
    expect(cdk.runs[0].results[0].locations[0].logicalLocations[0].kind).toBe("resource");

    const run = log.runs[0];
    expect(run.tool.driver.rules).toContainEqual(
      expect.objectContaining({ id: RULE, helpUri: expect.stringMatching(/docs\/rules\/no-shared-execution-role\.md$/u) }),
    );
    expect(
      run.results.map(
        (r: {
          ruleId: string;
          level: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
        }) => [
          r.ruleId,
          r.level,
          r.locations[0]!.physicalLocation.artifactLocation.uri,
          r.locations[0]!.physicalLocation.region.startLine,
          r.locations[0]!.physicalLocation.region.startColumn,
        ],
      ),
    ).toEqual([
      // A template that cannot be read is a result too, so that code scanning shows it in place.
      // Paths are relative to the repository's top (this repository), as code scanning resolves them.
      ["lambda-iam/parse-error", "error", "tests/fixtures/cli/broken.yaml", 2, 17],
      [RULE, "warning", "tests/fixtures/cli/shared.yaml", 28, 13],
      [RULE, "warning", "tests/fixtures/cli/shared.yaml", 34, 13],
    ]);
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe(pathToFileURL(root).href.replace(/\/?$/u, "/"));
    // Each shared-role finding points at the other function's Role as a related location.
    expect(run.results.map((r: { relatedLocations?: unknown }) => r.relatedLocations)).toEqual([
      undefined,
      [
        {
          id: 0,
          physicalLocation: {
            artifactLocation: { uri: "tests/fixtures/cli/shared.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 34, startColumn: 13, endLine: 34, endColumn: 81 },
          },
          message: { text: "ShipOrderFunction also uses OrdersRole" },
        },
      ],
      [
        {
          id: 0,
          physicalLocation: {
            artifactLocation: { uri: "tests/fixtures/cli/shared.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 28, startColumn: 13, endLine: 28, endColumn: 35 },
          },
          message: { text: "CreateOrderFunction also uses OrdersRole" },
        },
      ],
    ]);
    // GitHub's documented limits (code scanning's "results exceed limit"): runs, results, rules, tags shown, locations.
    expect(log.runs.length).toBeLessThanOrEqual(20);
    expect(run.results.length).toBeLessThanOrEqual(25_000);
    expect(run.tool.driver.rules.length).toBeLessThanOrEqual(25_000);
    for (const rule of run.tool.driver.rules) expect(rule.properties.tags.length).toBeLessThanOrEqual(10);
    for (const result of run.results) expect(result.locations.length + (result.relatedLocations?.length ?? 0)).toBeLessThanOrEqual(100);
    // GitHub links a related location only from the message: `[text](id)`.
    expect(run.results[1].message.text).toMatch(/ \(see \[ShipOrderFunction also uses OrdersRole\]\(0\)\)$/u);
    // What GitHub code scanning reads: help (the rule's doc), tags, precision and, for an exposure, security severity.
    const rules = run.tool.driver.rules;
    const shared = rules.find((rule: { id: string }) => rule.id === RULE);
    expect(shared).toMatchObject({
      fullDescription: { text: "Require each Lambda function to have an execution role of its own" },
      help: { markdown: readFileSync(path.join(root, "docs/rules/no-shared-execution-role.md"), "utf8") },
      properties: { tags: ["security", "suggestion"], precision: "high", "security-severity": "5.0" },
    });
    expect(rules.find((rule: { id: string }) => rule.id === "lambda-iam/invoke-permission-scope").properties).toMatchObject({
      tags: ["security", "suggestion"],
      "security-severity": "8.0",
    });
    // A wiring that fails is a bug, not a vulnerability: no security severity.
    expect(rules.find((rule: { id: string }) => rule.id === "lambda-iam/require-invoke-permission").properties).toEqual({
      tags: ["correctness", "problem"],
      precision: "high",
    });
    // The one fingerprint code scanning uses, as upload-sarif computes it (line 28's and 34's hashes of shared.yaml).
    const text = readFileSync(path.join(fixtures, "shared.yaml"), "utf8");
    const expected = lineHashes(text, new Set([2, 28, 34]));
    expect(run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints)).toEqual([
      { primaryLocationLineHash: lineHashes(readFileSync(path.join(fixtures, "broken.yaml"), "utf8"), new Set([2])).get(2) },
      { primaryLocationLineHash: expected.get(28) },
      { primaryLocationLineHash: expected.get(34) },
    ]);
    const notifications = run.invocations[0].toolExecutionNotifications;
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      level: "error",
      message: { text: expect.stringMatching(/^Parsing error: /u) },
      locations: [
        { physicalLocation: { artifactLocation: { uri: "tests/fixtures/cli/broken.yaml" }, region: { startLine: 2, startColumn: 17 } } },
      ],
    });
  });

  it("sarif fingerprints survive an edit elsewhere in the file (the lines move, the fingerprints stay)", async () => {
    const folder = path.join(outputDir, "fingerprints");
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, "template.yaml");
    const results = async () => {
      const run = JSON.parse((await cli("--format", "sarif", file)).stdout).runs[0];
      return run.results.map(
        (r: {
          partialFingerprints: Record<string, string>;
          locations: Array<{ physicalLocation: { region: { startLine: number } } }>;
        }) => ({
          fingerprint: r.partialFingerprints.primaryLocationLineHash,
          line: r.locations[0]!.physicalLocation.region.startLine,
        }),
      );
    };
    const original = readFileSync(path.join(fixtures, "shared.yaml"), "utf8");
    writeFileSync(file, original);
    const before = await results();
    writeFileSync(file, `# owned by the orders team\n\n${original}`);
    const after = await results();
    expect(before.every((r: { fingerprint?: string }) => /^[0-9a-f]+:\d+$/u.test(r.fingerprint ?? ""))).toBe(true);
    expect(after.map((r: { fingerprint: string }) => r.fingerprint)).toEqual(before.map((r: { fingerprint: string }) => r.fingerprint));
    expect(after.map((r: { line: number }) => r.line)).toEqual(before.map((r: { line: number }) => r.line + 2));
  });

  it("mermaid and wiring-json draw the findings of the rules the configuration runs, and exit like every format", async () => {
    const invocation = path.join(root, "examples/invocation/template.yaml");
    const red = (json: string) =>
      (JSON.parse(json) as Array<{ picture: { edges: Array<{ status: string; rule?: string }> } }>).flatMap((entry) =>
        entry.picture.edges.filter((edge) => edge.status === "missing").map((edge) => edge.rule),
      );
    const all = await cliIn(root, "--no-config-lookup", "-f", "wiring-json", invocation);
    expect(all.status).toBe(1);
    expect(new Set(red(all.stdout))).toEqual(new Set(["require-invoke-permission"]));
    const off = await cliIn(
      root,
      "--no-config-lookup",
      "-f",
      "wiring-json",
      "--rule",
      "lambda-iam/require-invoke-permission: off",
      invocation,
    );
    // The public URL's edge stays red: invoke-permission-scope, still on, reports it.
    expect(red(off.stdout)).toEqual(["invoke-permission-scope"]);
    const mermaid = await cliIn(root, "--no-config-lookup", "-f", "mermaid", invocation);
    expect([mermaid.status, mermaid.stdout.includes("✗ require-invoke-permission")]).toEqual([1, true]);
  });

  it("sarif gives a finding that only the user's options make its related locations, as the rule computed them", async () => {
    const folder = path.join(outputDir, "options-related");
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, "template.yaml"),
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Resources:",
        "  Jobs:",
        "    Type: AWS::SQS::Queue",
        "  ConsumerRole:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}",
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole, !ImportValue consumer-policy]",
        "  Consumer:",
        "    Type: AWS::Lambda::Function",
        '    Properties: {Role: !GetAtt ConsumerRole.Arn, Handler: index.handler, Runtime: python3.12, Code: {ZipFile: "x"}}',
        "  JobsMapping:",
        "    Type: AWS::Lambda::EventSourceMapping",
        "    Properties: {FunctionName: !Ref Consumer, EventSourceArn: !GetAtt Jobs.Arn}",
        "",
      ].join("\n"),
    );
    const { stdout } = await cliIn(
      folder,
      "--no-config-lookup",
      "-f",
      "sarif",
      "--rule",
      "lambda-iam/event-source-permissions: [warn, {reportUnverifiable: true}]",
      "template.yaml",
    );
    const [result] = JSON.parse(stdout).runs[0].results;
    expect(result.message.text).toMatch(/^JobsMapping: cannot verify that role ConsumerRole allows sqs:ReceiveMessage on Jobs/u);
    expect(
      result.relatedLocations.map((place: { physicalLocation: { region: { startLine: number } }; message: { text: string } }) => [
        place.physicalLocation.region.startLine,
        place.message.text,
      ]),
    ).toEqual([
      [12, "the function's Role: ConsumerRole"],
      [5, "role ConsumerRole"],
      [3, "the source Jobs"],
    ]);
  });

  it("--help lists every format, as --format accepts them", async () => {
    const { stdout } = await cli("--help");
    const listed = [...stdout.matchAll(/^ {28}(\S+) +\S/gmu)].map((match) => match[1]);
    expect(listed).toEqual(Object.keys(FORMAT_SUMMARIES));
    for (const name of listed)
      expect((await cli("--format", name!, "--max-warnings", "0", "no-such-dir")).stderr).not.toMatch(/Unknown format/u);
  });

  it("--output-file writes the report to a file", async () => {
    const target = path.join(outputDir, "report", "out.json");
    const { status, stdout } = await cli("-f", "json", "-o", target, "shared.yaml");
    expect({ status, stdout }).toEqual({ status: 0, stdout: "" });
    expect((JSON.parse(readFileSync(target, "utf8")) as JsonResult[])[0]!.warningCount).toBe(2);
  });
});

describe("exit codes", () => {
  it("0 when there are only warnings and no limit", async () => {
    expect((await cli("shared.yaml")).status).toBe(0);
  });

  it("1 when warnings exceed --max-warnings", async () => {
    const { status, stderr } = await cli("--max-warnings", "1", "shared.yaml");
    expect(status).toBe(1);
    expect(stderr).toBe("lambda-iam-lint found too many warnings (2; the limit is 1).\n");
  });

  it("0 when warnings are within --max-warnings", async () => {
    expect((await cli("--max-warnings", "2", "shared.yaml")).status).toBe(0);
  });

  it("1 when a template cannot be parsed", async () => {
    const { status, stdout } = await cli("broken.yaml");
    expect(status).toBe(1);
    expect(stdout).toMatch(/2:17\s+error\s+Parsing error:/u);
  });

  it("--quiet reports errors only", async () => {
    const { stdout } = await cli("--quiet", "shared.yaml", "broken.yaml");
    expect(stdout).toContain("broken.yaml");
    expect(stdout).not.toContain("shares execution role");
  });

  it("--quiet keeps the grants and the picture of a template whose findings are all warnings", async () => {
    // shared.yaml has warnings only: its lists of findings are empty, its grants and picture are not.
    expect((await cli("--quiet", "--format", "json", "shared.yaml")).stdout).toBe("[]\n");
    expect((await cli("--quiet", "--format", "grants", "shared.yaml")).stdout).toContain("OrdersRole, the execution role of");
    expect((await cli("--quiet", "--format", "mermaid", "shared.yaml")).stdout).toContain("OrdersRole");
  });

  it.each([
    [["--format", "xml"], 'lambda-iam-lint: Unknown format "xml": use stylish, json, sarif'],
    [["--max-warnings", "many"], 'lambda-iam-lint: --max-warnings needs a whole number of 0 or more, not "many"'],
    [["--frobnicate"], "lambda-iam-lint: Unknown option '--frobnicate'."],
    [["--concurrency", "0"], 'lambda-iam-lint: --concurrency needs a whole number of 1 or more, auto or off, not "0"'],
    [["missing.yaml"], "lambda-iam-lint: No such file or directory: missing.yaml"],
  ])("2 with a one-line message for bad usage %j", async (args, message) => {
    const { status, stderr, stdout } = await cli(...args);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.split("\n")[0]!.startsWith(message)).toBe(true);
    expect(stderr).toMatch(/Run lambda-iam-lint --help for usage\.\n$/u);
  });

  it("lints with the project's eslint.config.js when it lints templates (its rule options count), else with recommended and a note", async () => {
    const project = path.join(outputDir, "with-config");
    mkdirSync(path.join(project, "node_modules"), { recursive: true });
    symlinkSync(root, path.join(project, "node_modules", "eslint-plugin-lambda-iam"));
    cpSync(path.join(fixtures, "shared.yaml"), path.join(project, "template.yaml"));
    const run = async (...args: string[]) => {
      let stdout = "";
      let stderr = "";
      const status = await runCli(["--format", "json", ...args], {
        cwd: project,
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
      });
      return {
        status,
        messages: stdout ? (JSON.parse(stdout) as JsonResult[]).flatMap((result) => result.messages.map((message) => message.ruleId)) : [],
        stderr,
      };
    };
    writeFileSync(
      path.join(project, "eslint.config.js"),
      'import lambdaIam from "eslint-plugin-lambda-iam";\nexport default [...lambdaIam.configs.recommended, { files: ["**/*.yaml"], rules: { "lambda-iam/no-shared-execution-role": ["warn", { allowedRoles: ["OrdersRole"] }] } }];\n',
    );
    expect(await run(".")).toEqual({ status: 0, messages: [], stderr: "" });
    writeFileSync(path.join(project, "js-only.config.js"), 'export default [{ files: ["**/*.js"], rules: { "no-undef": "error" } }];\n');
    expect(await run("--config", "js-only.config.js", ".")).toEqual({
      status: 0,
      messages: [RULE, RULE],
      stderr: "lambda-iam-lint: js-only.config.js does not lint templates with eslint-plugin-lambda-iam: using the recommended config\n",
    });
    expect((await run("--config", "missing.config.js", ".")).status).toBe(2);
    // A wrong accounts setting would turn the checks across accounts off without a word: one line, exit 2.
    writeFileSync(
      path.join(project, "accounts.config.js"),
      'import lambdaIam from "eslint-plugin-lambda-iam";\nexport default [...lambdaIam.configs.recommended, { settings: { "lambda-iam": { accounts: { "template.yaml": "1111", "gone.yaml": "222222222222" } } } }];\n',
    );
    expect(await run("--config", "accounts.config.js", ".")).toEqual({
      status: 2,
      messages: [],
      stderr: `lambda-iam-lint: accounts.config.js: the "accounts" setting gives template.yaml the account "1111", which is not a 12-digit AWS account ID: it is ignored; the "accounts" setting names gone.yaml, which is no file inside ${project}: it places no template\nRun lambda-iam-lint --help for usage.\n`,
    });
  });

  it("--rule sets a rule's severity and options as a flat config would (a Serverless project's one shared role, allowed)", async () => {
    expect(
      await cli("--format", "json", "--rule", "lambda-iam/no-shared-execution-role: [warn, {allowedRoles: [OrdersRole]}]", "shared.yaml"),
    ).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('"messages":[]'),
    });
    const raised = JSON.parse(
      (await cli("--format", "json", "--rule", "lambda-iam/no-shared-execution-role: error", "shared.yaml")).stdout,
    ) as JsonResult[];
    expect(raised[0]!.messages.map((message) => [message.ruleId, message.severity])).toEqual([
      [RULE, 2],
      [RULE, 2],
    ]);
    expect(await cli("--rule", "lambda-iam/no-shared-execution-role: loud", "shared.yaml")).toMatchObject({
      status: 2,
      stderr:
        'lambda-iam-lint: --rule lambda-iam/no-shared-execution-role needs a severity (off, warn or error), not "loud"\nRun lambda-iam-lint --help for usage.\n',
    });
    expect((await cli("--rule", "no-undef: error", "shared.yaml")).status).toBe(2);
  });

  it("reads a template from standard input with -, linted as --stdin-filename", async () => {
    let stdout = "";
    const text = readFileSync(path.join(fixtures, "shared.yaml"), "utf8");
    const status = await runCli(["--format", "json", "-", "--stdin-filename", "infra/template.yaml"], {
      cwd: fixtures,
      stdin: async () => text,
      stdout: (chunk) => (stdout += chunk),
      stderr: () => {},
    });
    const [result] = JSON.parse(stdout) as JsonResult[];
    expect(path.relative(fixtures, result!.filePath)).toBe(path.join("infra", "template.yaml"));
    expect(result!.messages.map((message) => [message.ruleId, message.line])).toEqual([
      [RULE, 28],
      [RULE, 34],
    ]);
    expect(status).toBe(0);
    expect((await cli("-", "shared.yaml")).status).toBe(2);
  });

  it("reports the picture and the grants of the text read from standard input, not of the file --stdin-filename names", async () => {
    const piped = readFileSync(path.join(fixtures, "shared.yaml"), "utf8");
    const onDisk = path.join(fixtures, "nested/clean.yml");
    for (const format of ["grants", "mermaid"]) {
      let stdout = "";
      await runCli(["--no-config-lookup", "--format", format, "-", "--stdin-filename", onDisk], {
        cwd: fixtures,
        stdin: async () => piped,
        stdout: (chunk) => (stdout += chunk),
        stderr: () => {},
      });
      // shared.yaml's OrdersRole is what was linted; clean.yml, on disk at that path, has none.
      expect([format, stdout]).toEqual([format, expect.stringContaining("OrdersRole")]);
      expect(readFileSync(onDisk, "utf8")).not.toContain("OrdersRole");
    }
  });

  it("shows a progress line on a terminal for a long run, and lints every file", async () => {
    const many = path.join(outputDir, "many");
    mkdirSync(many, { recursive: true });
    const text = readFileSync(path.join(fixtures, "shared.yaml"), "utf8");
    for (let index = 0; index < 120; index++) writeFileSync(path.join(many, `template-${String(index).padStart(3, "0")}.yaml`), text);
    const lines: string[] = [];
    let stdout = "";
    await runCli(["--format", "json", many], {
      cwd: many,
      progress: (line) => lines.push(line),
      stdout: (chunk) => (stdout += chunk),
      stderr: () => {},
    });
    expect(lines).toEqual([
      "lambda-iam-lint: linted 0 of 120 files",
      "lambda-iam-lint: linted 50 of 120 files",
      "lambda-iam-lint: linted 100 of 120 files",
      "",
    ]);
    expect((JSON.parse(stdout) as JsonResult[]).filter((result) => result.warningCount === 2)).toHaveLength(120);
  });

  it("--color forces colours in stylish output and --no-color turns them off", async () => {
    const ansi = /\u001b\[/u;
    expect((await cli("--color", "shared.yaml")).stdout).toMatch(ansi);
    expect((await cli("--no-color", "shared.yaml")).stdout).not.toMatch(ansi);
    expect((await cli("--no-color", "shared.yaml")).stdout).toContain("lambda-iam/no-shared-execution-role");
  });

  it("--list-rules lists every rule: name, recommended severity, description, docs URL", async () => {
    const { status, stdout } = await cli("--list-rules");
    expect(status).toBe(0);
    const rows = stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.split("\t"));
    expect(rows.map(([name]) => name)).toEqual(Object.keys(plugin.rules).map((name) => `lambda-iam/${name}`));
    expect(rows.find(([name]) => name === RULE)).toEqual([
      RULE,
      "warn",
      "Require each Lambda function to have an execution role of its own",
      expect.stringMatching(/\/docs\/rules\/no-shared-execution-role\.md$/u),
    ]);
  });

  it("without ESLint installed: one line that says what to install, and exit 2; --help and --version still answer", () => {
    // The package as a project sees it, with every dependency but ESLint.
    const project = path.join(outputDir, "no-eslint");
    mkdirSync(path.join(project, "node_modules"), { recursive: true });
    cpSync(path.join(root, "dist"), path.join(project, "dist"), { recursive: true });
    cpSync(path.join(root, "package.json"), path.join(project, "package.json"));
    for (const name of readdirSync(path.join(root, "node_modules"))) {
      if (name !== "eslint") symlinkSync(path.join(root, "node_modules", name), path.join(project, "node_modules", name));
    }
    const result = spawnSync(process.execPath, [path.join(project, "dist/cli/bin.js"), "shared.yaml"], { cwd: fixtures, encoding: "utf8" });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "lambda-iam-lint: ESLint is not installed; install it beside this package: npm install --save-dev eslint (9.15 or later; with Yarn, yarn add --dev eslint)\n",
    });
    // --help and --version load neither ESLint nor the plugin: they answer all the same.
    const version = spawnSync(process.execPath, [path.join(project, "dist/cli/bin.js"), "--version"], { encoding: "utf8" });
    expect({ status: version.status, stdout: version.stdout }).toEqual({
      status: 0,
      stdout: `${(require(path.join(root, "package.json")) as { version: string }).version}\n`,
    });
    const help = spawnSync(process.execPath, [path.join(project, "dist/cli/bin.js"), "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lambda-iam-lint/u);
  });

  it("--help and --version print and exit 0", async () => {
    expect(spawnCli("--help")).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Usage: lambda-iam-lint/u) });
    const { version } = require(path.join(root, "package.json")) as { version: string };
    expect(spawnCli("--version")).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("the cross-account example, as npm start lints it (examples/eslint.config.js gives the accounts)", () => {
  it("reports each deliberate mistake of the broken project, on both accounts' sides, and nothing in the fixed one", () => {
    const examples = path.join(root, "examples");
    const { stdout } = spawnSync(process.execPath, [bin, "--format", "json", "cross-account"], { cwd: examples, encoding: "utf8" });
    const found = (JSON.parse(stdout) as JsonResult[]).flatMap((result) =>
      result.messages.map((message) => `${path.relative(examples, result.filePath)}:${message.line}:${message.column} ${message.ruleId}`),
    );
    expect(found).toEqual([
      "cross-account/broken/app/src/audit.ts:6:16 lambda-iam/cross-account-access",
      // LedgerFunction reads B's table with its own role, which the table (with no resource policy) does not allow.
      "cross-account/broken/app/src/ledger.ts:7:11 lambda-iam/cross-account-access",
      "cross-account/broken/app/src/orders.ts:9:5 lambda-iam/cross-account-access",
      "cross-account/broken/app/src/orders.ts:9:5 lambda-iam/cross-account-access",
      // EventsFunction's queue is account B's, whose queue policy does not allow its role.
      "cross-account/broken/app/template.yaml:86:9 lambda-iam/event-source-permissions",
      "cross-account/broken/data/template.yaml:28:20 lambda-iam/cross-account-trust-scope",
      // B's rule invokes A's NotifyFunction with B's role, which NotifyFunction's permission does not admit.
      "cross-account/broken/data/template.yaml:104:16 lambda-iam/require-invoke-permission",
    ]);
  });
});
