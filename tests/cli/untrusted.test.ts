import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { formatMermaid, templatePictures } from "../../src/cli/wiring-formats.js";
import { parseTemplate } from "../../src/language/parse.js";
import { buildTemplate } from "../../src/template/model.js";

// Every byte of a linted tree may come from a pull request. Each test builds a hostile tree in a temporary
// directory: `repo/` is what is linted, `outside/` what it must never read or write.

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = path.join(root, "dist/cli/bin.js");
const accessLog = pathToFileURL(path.join(root, "tests/support/file-access-log.mjs")).href;
const base = mkdtempSync(path.join(tmpdir(), "lambda-iam-untrusted-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A new hostile tree: its linted root and the directory beside it that must stay untouched. */
function tree(name: string): { repo: string; outside: string } {
  const repo = path.join(base, name, "repo");
  const outside = path.join(base, name, "outside");
  mkdirSync(repo, { recursive: true });
  mkdirSync(outside, { recursive: true });
  return { repo, outside };
}

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** The CLI in this process, linting from `cwd`. */
async function cli(cwd: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

/** The built CLI in a process of its own, with every file it opens recorded. */
function spawnWithAccessLog(cwd: string, ...args: string[]) {
  const log = path.join(base, `access-${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync(process.execPath, ["--import", accessLog, bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FILE_ACCESS_LOG: log },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, opened: JSON.parse(readFileSync(log, "utf8")) as string[] };
}

interface JsonMessage {
  ruleId: string | null;
  messageId?: string;
  line: number;
  column: number;
  message: string;
  fatal?: boolean;
}
const messagesOf = (stdout: string) =>
  (JSON.parse(stdout) as Array<{ filePath: string; messages: JsonMessage[] }>).flatMap((result) =>
    result.messages.map((message) => ({ file: result.filePath, ...message })),
  );

const CROSS_ACCOUNT = path.join(root, "examples/cross-account/broken");
const SECRET = "SecretOnlyOutsideTheRoot";
/** A SAM template whose one function (named SECRET) runs `handler.mjs` beside it. */
const SAM_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ${SECRET}:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ., Handler: handler.handler, Runtime: nodejs22.x}
`;
const HANDLER =
  'import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";\nconst s3 = new S3Client({});\nexport const handler = () => s3.send(new ListBucketsCommand({}));\n';

describe("2. paths from the linted tree: read only inside the linted root, else one located message", () => {
  it("a CDK manifest's templateFile, a templates or accounts setting, cdk.json's output and a template link out of the root are not read, and each says so", () => {
    const { repo, outside } = tree("paths");
    // The manifest places account 222222222222's stack outside the root; the app's mapping reads a queue there.
    cpSync(path.join(CROSS_ACCOUNT, "app/template.yaml"), path.join(repo, "cdk.out/App.template.yaml"));
    write(
      path.join(outside, "secret.template.json"),
      readFileSync(path.join(CROSS_ACCOUNT, "data/template.yaml"), "utf8").replace("OrderEvents", SECRET),
    );
    const manifest = write(
      path.join(repo, "cdk.out/manifest.json"),
      JSON.stringify({
        version: "36.0.0",
        artifacts: {
          App: {
            type: "aws:cloudformation:stack",
            environment: "aws://111111111111/us-east-1",
            properties: { templateFile: "App.template.yaml" },
          },
          data: {
            type: "aws:cloudformation:stack",
            environment: "aws://222222222222/us-east-1",
            properties: { templateFile: "../../outside/secret.template.json" },
          },
        },
      }),
    );
    // A handler whose nearest template is a link out of the root.
    write(path.join(outside, "template.yaml"), SAM_TEMPLATE);
    write(path.join(repo, "svc/handler.mjs"), HANDLER);
    symlinkSync(path.join(outside, "template.yaml"), path.join(repo, "svc/template.yaml"));
    // A CDK project whose assembly is outside the root, holding a copy of its handler.
    write(path.join(repo, "cdkapp/cdk.json"), '{\n  "app": "node app.mjs",\n  "output": "../../outside/cdk.out"\n}\n');
    write(path.join(repo, "cdkapp/src/fn.mjs"), HANDLER);
    write(path.join(outside, "cdk.out/asset.1/fn.mjs"), HANDLER);
    // A config (trusted, outside the tree) whose settings name templates outside the root.
    const config = write(
      path.join(base, "paths/config.mjs"),
      `import plugin from ${JSON.stringify(pathToFileURL(path.join(root, "dist/index.js")).href)};
export default [...plugin.configs.recommended, { settings: { "lambda-iam": {
  templates: ["../outside/template.yaml"],
  accounts: { "cdk.out/App.template.yaml": "111111111111" } } } }];\n`,
    );
    // An accounts setting that names a file outside the root is refused before anything is linted.
    const outsideAccounts = write(
      path.join(base, "paths/accounts-config.mjs"),
      `import plugin from ${JSON.stringify(pathToFileURL(path.join(root, "dist/index.js")).href)};
export default [...plugin.configs.recommended, { settings: { "lambda-iam": { accounts: { "../outside/secret.template.json": "333333333333" } } } }];\n`,
    );
    const refused = spawnWithAccessLog(repo, "-c", outsideAccounts, ".");
    expect(refused.opened.filter((file) => file.startsWith(outside))).toEqual([]);
    expect(refused.stderr).toContain(`the "accounts" setting names ../outside/secret.template.json, which is no file inside ${repo}`);
    expect(refused.status).toBe(2);

    const bare = spawnWithAccessLog(repo, "--format", "json", ".");
    const configured = spawnWithAccessLog(repo, "--format", "json", "-c", config, ".");
    for (const run of [bare, configured]) {
      // The log sees what is read (so its silence about outside/ means something).
      expect(run.opened).toContain(path.join(repo, "cdk.out/manifest.json"));
      expect(run.opened.filter((file) => file.startsWith(outside))).toEqual([]);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.status).toBe(1);
    }
    const notRead = (stdout: string) =>
      messagesOf(stdout)
        .filter((message) => message.messageId === "notRead")
        .map(({ file, line, column, message }) => [path.relative(repo, file), line, column, message]);
    const leads = (file: string) => `it leads outside the linted root, to ${path.join(outside, file)}`;
    expect(notRead(bare.stdout)).toEqual([
      [
        "cdk.out/App.template.yaml",
        1,
        1,
        `secret.template.json, named by cdk.out/manifest.json:1:${readFileSync(manifest, "utf8").indexOf('"../../outside') + 1}, was not read: ${leads("secret.template.json")}; what it holds is unknown, and no check relies on it`,
      ],
      // Each handler's project (cdkapp/ with its cdk.json; the rest of the tree) is searched for the functions that run it.
      [
        "cdkapp/src/fn.mjs",
        1,
        1,
        `cdk.out, named by cdkapp/cdk.json:3:13, was not read: ${leads("cdk.out")}; what it holds is unknown, and no check relies on it`,
      ],
      [
        "svc/handler.mjs",
        1,
        1,
        `svc/template.yaml, named by the project's templates, was not read: ${leads("template.yaml")}; what it holds is unknown, and no check relies on it`,
      ],
    ]);
    expect(notRead(configured.stdout)).toEqual(
      expect.arrayContaining([
        [
          "cdkapp/src/fn.mjs",
          1,
          1,
          `template.yaml, named by the "templates" setting, was not read: ${leads("template.yaml")}; what it holds is unknown, and no check relies on it`,
        ],
      ]),
    );
    // The walk does not follow the link, and says so.
    expect(bare.stderr).toContain(
      `lambda-iam-lint: not following ${path.join(repo, "svc/template.yaml")}: it is a symbolic link that leads outside ${repo}`,
    );
  });

  it("a file named on the command line that is a link out of the root is not read: one located message", async () => {
    const { repo, outside } = tree("named-link");
    write(path.join(outside, "shadow.yaml"), SAM_TEMPLATE);
    symlinkSync(path.join(outside, "shadow.yaml"), path.join(repo, "template.yaml"));
    const run = spawnWithAccessLog(repo, "--format", "json", "template.yaml");
    expect(run.opened.filter((file) => file.startsWith(outside))).toEqual([]);
    expect(messagesOf(run.stdout).map(({ line, column, message, fatal }) => ({ line, column, message, fatal }))).toEqual([
      {
        line: 1,
        column: 1,
        fatal: true,
        message: `Cannot read this file: it leads outside the linted root, to ${path.join(outside, "shadow.yaml")}; it was not linted`,
      },
    ]);
    expect(run.status).toBe(1);
  });
});

describe("3. the report: never written through a committed link", () => {
  it("-o replaces a symbolic link of that name with the report, and leaves its target as it was", async () => {
    const { repo, outside } = tree("output-link");
    write(path.join(repo, "template.yaml"), SAM_TEMPLATE);
    const victim = write(path.join(outside, "victim"), "precious\n");
    symlinkSync(victim, path.join(repo, "lambda-iam.sarif"));
    expect((await cli(repo, "--format", "sarif", "-o", "lambda-iam.sarif", ".")).status).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(path.join(repo, "lambda-iam.sarif")).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(path.join(repo, "lambda-iam.sarif"), "utf8")).version).toBe("2.1.0");
  });

  it("-o into a directory that a committed link leads out of the root is refused, and nothing is written there", async () => {
    const { repo, outside } = tree("output-directory-link");
    write(path.join(repo, "template.yaml"), SAM_TEMPLATE);
    symlinkSync(outside, path.join(repo, "reports"));
    const run = await cli(repo, "-o", "reports/lambda-iam.sarif", ".");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("its directory leads outside");
    expect(readdirSync(outside)).toEqual([]);
  });

  it("-o names a device or a pipe outside the working directory: written to, never replaced", async () => {
    const { repo, outside } = tree("output-device");
    write(path.join(repo, "template.yaml"), SAM_TEMPLATE);
    // A link to /dev/null, not /dev/null itself: were it replaced, only the link would be lost.
    const sink = path.join(outside, "sink");
    symlinkSync("/dev/null", sink);
    expect((await cli(repo, "-o", sink, ".")).status).toBe(0);
    expect(lstatSync(sink).isSymbolicLink()).toBe(true);
    const fifo = path.join(outside, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (chunk: Buffer) => (read += chunk.toString("utf8")));
    const closed = new Promise((resolve) => reader.on("close", resolve));
    expect((await cli(repo, "--format", "sarif", "-o", fifo, ".")).status).toBe(0);
    await closed;
    expect(JSON.parse(read).version).toBe("2.1.0");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("two runs writing the same -o at once leave one whole report, and no temporary file", async () => {
    const { repo } = tree("output-race");
    write(path.join(repo, "template.yaml"), SAM_TEMPLATE);
    const run = () =>
      new Promise<number | null>((resolve) => {
        spawn(process.execPath, [bin, "--format", "sarif", "-o", "report.sarif", "."], { cwd: repo, stdio: "ignore" }).on("exit", resolve);
      });
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
    expect(JSON.parse(readFileSync(path.join(repo, "report.sarif"), "utf8")).runs).toHaveLength(1);
    expect(readdirSync(repo).sort()).toEqual(["report.sarif", "template.yaml"]);
  });
});

describe("4. expansions are bounded", () => {
  it("an Fn::ForEach of 50,000 values times 200 resources is not expanded: unknown, and said where it is", () => {
    const values = Array.from({ length: 50_000 }, (_, index) => `v${index}`).join(",");
    const body = Array.from({ length: 200 }, (_, index) => `        Topic\${X}N${index}: {Type: AWS::SNS::Topic}\n`).join("");
    const text = `AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::LanguageExtensions\nParameters:\n  L: {Type: CommaDelimitedList, Default: "${values}"}\nResources:\n  Fn::ForEach::Topics:\n    - X\n    - !Ref L\n    -\n${body}`;
    const parsed = parseTemplate(text);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const template = buildTemplate(parsed.ast);
    expect(template.resources.size).toBe(0);
    expect(template.unexpanded.map((part) => [part.what, part.node.loc.start.line])).toEqual([
      ["the Fn::ForEach::Topics loop (not expanded: it would generate 10,000,000 resources, and a template holds at most 500)", 6],
    ]);
  });

  it("loops that together would pass 500 resources: the first ones are expanded, the one that passes it is not", () => {
    const loop = (name: string, count: number) =>
      `  Fn::ForEach::${name}:\n    - X\n    - [${Array.from({ length: count }, (_, index) => `${name}${index}`).join(", ")}]\n    - Topic\${X}: {Type: AWS::SNS::Topic}\n`;
    const parsed = parseTemplate(
      `AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::LanguageExtensions\nResources:\n${loop("A", 300)}${loop("B", 200)}${loop("C", 1)}`,
    );
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const template = buildTemplate(parsed.ast);
    expect(template.resources.size).toBe(500);
    expect(template.unexpanded.map((part) => part.what)).toEqual([
      "the Fn::ForEach::C loop (not expanded: it would generate 1 resources, and a template holds at most 500)",
    ]);
  });
});

describe("5. --no-config-lookup: no code of the linted tree runs", () => {
  it("lints with the recommended config, and never loads the tree's eslint.config.js", async () => {
    const { repo, outside } = tree("config");
    write(path.join(repo, "template.yaml"), SAM_TEMPLATE);
    const marker = path.join(outside, "config-ran");
    write(
      path.join(repo, "eslint.config.js"),
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "ran");\nexport default [];\n`,
    );
    const run = await cli(repo, "--no-config-lookup", "--format", "json", ".");
    expect(existsSync(marker)).toBe(false);
    expect(run.status).toBe(0);
    expect(messagesOf(run.stdout)).toEqual([]);
    // Without the flag the tree's config is what ESLint runs, as the README warns.
    await cli(repo, "--format", "json", ".");
    expect(existsSync(marker)).toBe(true);
  });

  it("refuses --config beside it", async () => {
    const { repo } = tree("config-and-flag");
    expect(await cli(repo, "--no-config-lookup", "-c", "eslint.config.js", ".")).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "lambda-iam-lint: --no-config-lookup loads no config, so it cannot be combined with --config\nRun lambda-iam-lint --help for usage.\n",
    });
  });
});

/** Controls a terminal acts on: everything below space but the line feed stylish prints, DEL and C1. */
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

/** Two functions sharing a role, one of them named by `name` (a YAML double-quoted string's content). */
const sharedRole = (name: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  "${name}":
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt Shared.Arn, Handler: index.handler, Runtime: nodejs22.x, Code: {ZipFile: "x"}}
  Other:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt Shared.Arn, Handler: index.handler, Runtime: nodejs22.x, Code: {ZipFile: "x"}}
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
`;

describe("6. nothing from the tree drives the terminal", () => {
  it("escape sequences, BEL and CR in a logical ID and in a directory's name are printed as escapes, in every text format", async () => {
    const { repo } = tree("terminal");
    const directory = path.join(repo, "dir\u001b]8;;x\u0007\u009b2J");
    write(path.join(directory, "template.yaml"), sharedRole("Fn\\e]52;c;aGk=\\a\\e[2J\\r\\u009b"));
    for (const args of [
      ["--no-color"],
      ["--color"],
      ["--format", "json"],
      ["--format", "sarif"],
      ["--format", "mermaid"],
      ["--format", "wiring-json"],
    ]) {
      const run = await cli(repo, ...args, ".");
      expect(run.stdout).toContain("Fn");
      expect(TERMINAL_CONTROLS.test(args[0] === "--color" ? run.stdout.replace(/\u001b\[\d+(?:;\d+)*m/gu, "") : run.stdout)).toBe(false);
      expect(TERMINAL_CONTROLS.test(run.stderr)).toBe(false);
    }
    const stylish = (await cli(repo, "--no-color", ".")).stdout;
    expect(stylish).toContain("dir\\u001b]8;;x\\u0007\\u009b2J");
    expect(stylish).toContain("Function Fn\\u001b]52;c;aGk=\\u0007\\u001b[2J\\u000d\\u009b shares execution role Shared with Other");
  });

  it("a note about a file prints its name escaped", async () => {
    const { repo, outside } = tree("terminal-note");
    write(path.join(outside, "t.yaml"), SAM_TEMPLATE);
    symlinkSync(path.join(outside, "t.yaml"), path.join(repo, "\u001b[2Jx.yaml"));
    const run = await cli(repo, ".");
    expect(run.stderr).toContain("not following");
    expect(TERMINAL_CONTROLS.test(run.stderr)).toBe(false);
  });
});

describe("7. nothing from the tree adds Mermaid, Markdown or SARIF syntax", () => {
  it("a line break, a click line, a directive or a fence in a logical ID stay inside one label of one chart", () => {
    const { repo } = tree("mermaid");
    const chart = (name: string) =>
      formatMermaid(templatePictures([write(path.join(repo, "template.yaml"), sharedRole(name))], repo)).split("\n");
    const clicking = chart("A\\n%%{init: {}}%%\\nclick A call x");
    expect(clicking.filter((line) => line.startsWith("```"))).toEqual(["```mermaid", "```"]);
    expect(clicking.filter((line) => /^\s*(?:click|%%\{)/u.test(line))).toEqual([]);
    expect(clicking).toContain('  n0["A\\u000a%%{init: {}}%%\\u000aclick A call x"]');
    const fenced = chart('B\\n```\\n\\"q\\"#lt;');
    expect(fenced.filter((line) => line.startsWith("```"))).toEqual(["```mermaid", "```"]);
    expect(fenced).toContain('  n0["B\\u000a#96;#96;#96;\\u000a#34;q#34;#35;lt;"]');
  });

  it("a file name with a line break and Markdown stays one plain heading", () => {
    const { repo } = tree("markdown");
    const file = write(path.join(repo, "x\n```mermaid\nclick [a](x) *b* www.example.com #.yaml"), sharedRole("Fn"));
    const markdown = formatMermaid(templatePictures([file], repo));
    // The escapes of the line breaks are shown as written: their backslash is escaped too.
    expect(markdown.split("\n")[0]).toBe("### x\\\\u000a\\`\\`\\`mermaid\\\\u000aclick \\[a\\](x) \\*b\\* www\\.example.com \\#.yaml");
    expect(markdown.split("\n").filter((line) => line.startsWith("```"))).toEqual(["```mermaid", "```"]);
  });

  it("a Markdown link in a logical ID is escaped in SARIF message text, so it is no embedded link", async () => {
    const { repo } = tree("sarif");
    write(path.join(repo, "template.yaml"), sharedRole("[text](1)"));
    const sarif = JSON.parse((await cli(repo, "--format", "sarif", ".")).stdout) as {
      runs: Array<{ results: Array<{ message: { text: string } }> }>;
    };
    const texts = sarif.runs[0]!.results.map((result) => result.message.text);
    // Only the links the CLI writes to its related locations remain: `(see [Other also uses Shared](0))`.
    expect(texts).toContain(
      "Function \\[text\\](1) shares execution role Shared with Other: each function then holds the permissions of all of them. Give \\[text\\](1) a role of its own (see [Other also uses Shared](0))",
    );
    expect(texts.join("\n")).not.toMatch(/(?<!\\)\[text/u);
  });
});

describe("8. every parse failure is located", () => {
  it("a TypeScript handler nested 20,000 deep: refused where the nesting is (parsing it could exhaust the stack)", async () => {
    const { repo } = tree("nesting");
    const code = `import { S3Client } from "@aws-sdk/client-s3";\nexport const x = ${"{a:".repeat(20_000)}1${"}".repeat(20_000)};\n`;
    write(path.join(repo, "handler.ts"), code);
    const [message] = messagesOf((await cli(repo, "--format", "json", ".")).stdout);
    expect(message).toMatchObject({
      fatal: true,
      line: 2,
      column: 17 + 3 * 19_999 + 1,
      message: "Parsing error: the code nests 20000 levels deep here, more than the 1000 this linter reads",
    });
  });
});

describe("9. the directory walk follows no link out of the root", () => {
  it("a link to a template or a handler outside is not read, and a note names it; a link inside is linted", () => {
    const { repo, outside } = tree("walk");
    write(path.join(outside, "template.yaml"), SAM_TEMPLATE);
    write(path.join(outside, "handler.mjs"), HANDLER);
    symlinkSync(path.join(outside, "template.yaml"), path.join(repo, "linked.yaml"));
    symlinkSync(path.join(outside, "handler.mjs"), path.join(repo, "linked.mjs"));
    write(path.join(repo, "real/template.yaml"), sharedRole("Fn"));
    symlinkSync(path.join(repo, "real/template.yaml"), path.join(repo, "inside.yaml"));
    const run = spawnWithAccessLog(repo, "--format", "json", ".");
    expect(run.opened).toContain(path.join(repo, "real/template.yaml"));
    expect(run.opened.filter((file) => file.startsWith(outside))).toEqual([]);
    expect(run.stderr.split("\n").filter(Boolean)).toEqual([
      `lambda-iam-lint: not following ${path.join(repo, "linked.mjs")}: it is a symbolic link that leads outside ${repo}`,
      `lambda-iam-lint: not following ${path.join(repo, "linked.yaml")}: it is a symbolic link that leads outside ${repo}`,
    ]);
    expect([...new Set(messagesOf(run.stdout).map((message) => path.relative(repo, message.file)))]).toEqual([
      "inside.yaml",
      "real/template.yaml",
    ]);
  });
});

describe("10. odd files", () => {
  it("a FIFO named on the command line is refused at once, not read (which would wait forever)", () => {
    const { repo } = tree("fifo");
    const fifo = path.join(repo, "template.yaml");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const run = spawnSync(process.execPath, [bin, "template.yaml"], { cwd: repo, encoding: "utf8", timeout: 20_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 2,
      stderr:
        "lambda-iam-lint: Not a file or directory that can be linted: template.yaml is a FIFO\nRun lambda-iam-lint --help for usage.\n",
    });
  });

  it("/dev/null named is said to be a device, not a file that vanished", async () => {
    expect((await cli(base, "/dev/null")).stderr).toBe(
      "lambda-iam-lint: Not a file or directory that can be linted: /dev/null is a character device\nRun lambda-iam-lint --help for usage.\n",
    );
  });

  it("a template with a stray NUL byte found in a directory gets one located message and fails the run", async () => {
    const { repo } = tree("nul");
    const text = SAM_TEMPLATE.replace("Runtime: nodejs22.x", "Runtime: nodejs22.x\u0000");
    write(path.join(repo, "template.yaml"), text);
    const run = await cli(repo, "--format", "json", ".");
    const column = text.split("\n")[5]!.indexOf("\u0000") + 1;
    expect(messagesOf(run.stdout).map(({ line, column, message }) => [line, column, message])).toEqual([
      [6, column, "Parsing error: File is binary (it contains a NUL byte), not a YAML or JSON template"],
    ]);
    expect(run.status).toBe(1);
  });

  it("an implicit YAML key over 1,024 characters is a located parse error; as an explicit key, or in JSON, it is read", () => {
    const key = "K".repeat(2000);
    const yamlOutcome = parseTemplate(`AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ${key}: {Type: AWS::SNS::Topic}\n`);
    expect(yamlOutcome.ok ? undefined : yamlOutcome.problem).toEqual({
      line: 3,
      column: 3,
      message:
        'A YAML key longer than 1024 characters: YAML 1.2 allows at most 1024 before the ":" of an implicit key, and PyYAML (so cfn-lint) refuses it; shorten it, or write it as an explicit key ("? key")',
    });
    const flow = parseTemplate(`AWSTemplateFormatVersion: "2010-09-09"\nResources: {${key}: {Type: AWS::SNS::Topic}}\n`);
    expect(flow.ok ? undefined : flow.problem.line).toBe(2);
    expect(parseTemplate(`AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ? ${key}\n  : {Type: AWS::SNS::Topic}\n`).ok).toBe(true);
    expect(parseTemplate(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"${key}": {"Type": "AWS::SNS::Topic"}}}`).ok).toBe(true);
  });
});
