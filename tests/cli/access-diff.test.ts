// `--diff <git-ref>`: what a change grants, read from a real git repository made for the test.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiffMarkdown } from "../../src/cli/access-diff.js";
import { COMMENT_LIMIT, WORKFLOW_ROOM } from "../../src/cli/wiring-formats.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = path.join(root, "dist/cli/bin.js");
let repo: string;

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: repo, encoding: "utf8" });
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: "utf8" });

/** The change under review: a wider grant, an SNS invoker without a source, a public URL; a grant taken away. */
const ADDED = `  OrdersUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !GetAtt OrdersFunction.Arn
  OrdersUrlPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunctionUrl
      FunctionName: !Ref OrdersFunction
      Principal: "*"
      FunctionUrlAuthType: NONE
  TopicPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref OrdersFunction
      Principal: sns.amazonaws.com
`;

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "lambda-iam-diff-"));
  cpSync(path.join(root, "tests/fixtures/least-privilege/orders"), path.join(repo, "orders"), { recursive: true });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "base");
  const template = path.join(repo, "orders/template.yaml");
  const text = readFileSync(template, "utf8")
    .replace("Action: s3:GetObject", "Action: [s3:GetObject, s3:PutObject]")
    .replace("                  - dynamodb:DeleteItem\n", "");
  writeFileSync(template, text + ADDED);
  cpSync(path.join(root, "tests/fixtures/least-privilege/sam-writer.yaml"), path.join(repo, "orders/new.yaml"));
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("--diff", () => {
  it("says per function what the change grants and takes away, reading the base with git, changing no file", () => {
    const run = cli("--diff", "HEAD", "orders");
    expect(run.stdout).toBe(
      [
        "orders/new.yaml",
        "  new since HEAD",
        "  Writer (added since HEAD)",
        ...[
          "dynamodb:BatchGetItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:ConditionCheckItem",
          "dynamodb:DeleteItem",
          "dynamodb:DescribeTable",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "dynamodb:UpdateItem",
        ].flatMap((action) => [
          `    + grants ${action} on arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${Orders.Name}`,
          `    + grants ${action} on arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${Orders.Name}/index/*`,
        ]),
        "    + grants logs:CreateLogGroup on *",
        "    + grants logs:CreateLogStream on *",
        "    + grants logs:PutLogEvents on *",
        "",
        "orders/template.yaml",
        "  OrdersFunction",
        "    + grants s3:PutObject on *",
        "    - grants dynamodb:DeleteItem on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders.Name}",
        "    + may be invoked by sns.amazonaws.com from any source",
        "    + public: function URL OrdersUrl (AuthType NONE)",
        '    + public: permission OrdersUrlPermission lets anyone (Principal "*") invoke it',
        "",
      ].join("\n"),
    );
    expect(run.status).toBe(0);
    expect(git("status", "--porcelain")).toBe(" M orders/template.yaml\n?? orders/new.yaml\n");
  });

  it("writes JSON, and Markdown for a pull request comment", () => {
    const json = JSON.parse(cli("--diff", "HEAD", "--format", "json", "orders/template.yaml").stdout) as {
      base: string;
      templates: Array<{ file: string; functions: Array<{ added: Record<string, string[]>; removed: Record<string, string[]> }> }>;
    };
    expect(json.base).toBe("HEAD");
    expect(json.templates[0]!.functions[0]!.removed).toEqual({
      grants: ["dynamodb:DeleteItem on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders.Name}"],
    });
    const markdown = cli("--diff", "HEAD", "--format", "markdown", "orders/template.yaml").stdout;
    expect(markdown).toContain("### orders/template.yaml\n- **OrdersFunction**\n  - ➕ grants s3:PutObject on \\*\n");
    expect(markdown).toContain('  - ➕ public: permission OrdersUrlPermission lets anyone (Principal "\\*") invoke it\n');
  });

  it("writes the comment the README shows", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const start = readme.indexOf("> **What this change grants**");
    const shown = readme
      .slice(start, readme.indexOf("\n\n", readme.indexOf("> - **OrdersFunction**", start)))
      .split("\n")
      .map((line) => line.replace(/^> ?/u, ""))
      .join("\n");
    expect(cli("--diff", "HEAD", "--format", "markdown", "orders/template.yaml").stdout).toBe(`${shown.replace("`main`", "`HEAD`")}\n`);
  });

  it("says when nothing changed, and refuses what is no revision", () => {
    expect(cli("--diff", "HEAD", "orders/template.yaml").stdout).toContain("OrdersFunction");
    git("stash", "-q", "--include-untracked");
    try {
      expect(cli("--diff", "HEAD", "orders/template.yaml").stdout).toBe(
        "orders/template.yaml\n  no change to what its functions may do or who may invoke them\n",
      );
    } finally {
      git("stash", "pop", "-q");
    }
    const bad = cli("--diff", "no-such-branch", "orders");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--diff: "no-such-branch" is no commit of this repository');
    expect(cli("--diff=--output=x", "orders").stderr).toContain('--diff needs a git revision, not "--output=x"');
    expect(cli("--diff", "HEAD", "--format", "sarif", "orders").stderr).toContain('--diff writes stylish, json, markdown, not "sarif"');
    expect(cli("--diff", "HEAD", "-").stderr).toContain(
      "--diff compares files of the working tree with a git revision: it does not read standard input",
    );
  });

  it("says a template the base has in a directory given, and the working tree does not, is removed with its functions", () => {
    git("mv", "orders/template.yaml", "orders/.template.yaml.bak");
    try {
      const lines = cli("--diff", "HEAD", "orders").stdout.split("\n");
      const start = lines.indexOf("orders/template.yaml");
      expect(lines.slice(start, start + 4)).toEqual([
        "orders/template.yaml",
        "  removed since HEAD",
        "  OrdersFunction (removed since HEAD)",
        "    - grants dynamodb:DeleteItem on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders.Name}",
      ]);
      // Named as a file, only that file is compared: a removed template elsewhere is not looked for.
      expect(cli("--diff", "HEAD", "orders/new.yaml").stdout).not.toContain("removed since");
    } finally {
      git("mv", "orders/.template.yaml.bak", "orders/template.yaml");
    }
  });

  it("keeps the Markdown within a pull request comment, saying what it left out", () => {
    const many = Array.from({ length: 400 }, (_, index) => ({
      file: `t${index}.yaml`,
      base: "present" as const,
      head: "present" as const,
      functions: [
        {
          function: "F",
          status: "changed" as const,
          added: { grants: [`s3:GetObject on arn:aws:s3:::bucket-${index}/${"k".repeat(200)}`] },
          removed: {},
        },
      ],
    }));
    const markdown = formatDiffMarkdown(many, "main");
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT - WORKFLOW_ROOM);
    expect(markdown).toMatch(
      /\n_\d+ of 400 templates left out: a comment holds at most 65,536 characters\. --diff with --format json has them all\._\n$/u,
    );
  });
});
