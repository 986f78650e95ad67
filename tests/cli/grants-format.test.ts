import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { executionRoleNeeds } from "../../src/analyzers/role-needs.js";
import { readTemplateText } from "../../src/analyzers/template-text.js";
import { formatGrants, templateGrants } from "../../src/cli/grants-format.js";
import { functionCodeReader } from "../../src/handlers/function-code.js";
import { ProjectFiles } from "../../src/handlers/project-files.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const orders = path.join(root, "tests/fixtures/least-privilege/orders/template.yaml");

describe("--format grants", () => {
  const [report] = templateGrants([orders], root);

  it("gives each role's needs with their reasons, its grants, what is unused or too wide, and the minimal policy", () => {
    const text = formatGrants([report!]);
    expect(text.split("\n").slice(0, 18)).toEqual([
      "tests/fixtures/least-privilege/orders/template.yaml",
      "  OrdersRole, the execution role of OrdersFunction",
      "    needs (the functions' configuration and all of their code are read):",
      "      logs:CreateLogStream on log group /aws/lambda/${OrdersFunction.Name}: CloudWatch Logs",
      "      logs:PutLogEvents on log group /aws/lambda/${OrdersFunction.Name}: CloudWatch Logs",
      "      logs:CreateLogGroup on log group /aws/lambda/${OrdersFunction.Name}: CloudWatch Logs",
      "      dynamodb:GetItem on Orders: tests/fixtures/least-privilege/orders/src/app.mjs:8 GetItemCommand",
      "      dynamodb:PutItem on Orders: tests/fixtures/least-privilege/orders/src/app.mjs:9 PutItemCommand",
      "      dynamodb:Query on Orders: tests/fixtures/least-privilege/orders/src/app.mjs:10 QueryCommand",
      "    grants:",
      '      inline policy "orders" of role OrdersRole (line 24): dynamodb:GetItem, dynamodb:PutItem, dynamodb:DeleteItem on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders.Name}',
      '      inline policy "orders" of role OrdersRole (line 30): dynamodb:Query on *',
      '      inline policy "orders" of role OrdersRole (line 33): s3:GetObject on *',
      "      AWS managed policy AWSLambdaBasicExecutionRole (line 19): logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on *",
      '    unused: dynamodb:DeleteItem (inline policy "orders" of role OrdersRole, line 28); s3:GetObject (inline policy "orders" of role OrdersRole, line 34)',
      '    wider than needed: dynamodb:Query on * (inline policy "orders" of role OrdersRole, line 32), needed only on Orders',
      "    minimal policy (a PolicyDocument for this template):",
      "      {",
    ]);
  });

  it("lists what calls may use by their input or target, which is never called unused nor put in the minimal policy", () => {
    const conditional = path.join(root, "tests/fixtures/least-privilege/conditional/template.yaml");
    const lines = formatGrants(templateGrants([conditional], root)).split("\n");
    const file = "tests/fixtures/least-privilege/conditional/app.mjs";
    expect(lines.filter((line) => line.startsWith("    unused") || line.startsWith("    may also use"))).toEqual([
      `    may also use, by their input or target (never called unused; add to the minimal policy what your calls do): s3:ListBucket (${file}:8 GetObjectCommand: optional: without it a missing key yields 403 AccessDenied instead of 404 NoSuchKey); s3:PutObjectAcl (${file}:11 PutObjectCommand: ACL or Grant* headers present)`,
    ]);
    expect(lines.join("\n")).not.toMatch(/"s3:(?:ListBucket|PutObjectAcl)"/u);
  });

  it("says what a template holds that is not expanded (cfn-include's functions), whose roles it then does not read", () => {
    const include = path.join(root, "tests/fixtures/cfn-include/template.yaml");
    expect(formatGrants(templateGrants([include], root))).toBe(
      [
        "tests/fixtures/cfn-include/template.yaml",
        "  not expanded, so what it makes is not read: cfn-include's Fn::Merge in Resources (line 4)",
        "  not read: Standalone, whose execution role is neither an AWS::IAM::Role of this template nor one SAM generates",
        "",
      ].join("\n"),
    );
  });

  it("writes a minimal policy that allows every need, and names no function from its own role's policy (a circular dependency)", () => {
    const role = "roles" in report! ? report.roles[0]! : undefined;
    const policy = JSON.stringify(role!.minimalPolicy);
    expect(policy).not.toContain("${OrdersFunction");
    // The template again, its role granted the minimal policy alone: the IAM engine allows each need.
    const text = readFileSync(orders, "utf8")
      .replace(/      ManagedPolicyArns:\n.*\n/u, "")
      .replace(
        /      Policies:\n[\s\S]*?(?=\n  OrdersFunction:)/u,
        `      Policies:\n        - PolicyName: minimal\n          PolicyDocument: ${policy}`,
      );
    const analysed = readTemplateText(text);
    if (analysed.kind !== "template") throw new Error("not a template");
    const [needs] = executionRoleNeeds(analysed.analysis, functionCodeReader(new ProjectFiles(root), orders));
    const index = analysed.analysis.iam.roleIndex("OrdersRole");
    const needed = needs!.needs!.filter((need) => need.standing === "needed");
    expect(needed.length).toBe(6);
    for (const need of needed)
      expect([need.anyOf[0], index.evaluate(need.anyOf[0]!, need.resource).outcome]).toEqual([need.anyOf[0], "allowed"]);
  });

  it("is in wiring-json as data, beside the graph", () => {
    const run = spawnSync(process.execPath, [path.join(root, "dist/cli/bin.js"), "--no-config-lookup", "-f", "wiring-json", orders], {
      cwd: root,
      encoding: "utf8",
    });
    const [entry] = JSON.parse(run.stdout) as Array<{ picture: object; roles: Array<{ role: string; unused: Array<{ action: string }> }> }>;
    expect(entry!.picture).toBeDefined();
    expect(entry!.roles.map((role) => [role.role, role.unused.map((unused) => unused.action)])).toEqual([
      ["OrdersRole", ["dynamodb:DeleteItem", "s3:GetObject"]],
    ]);
  });

  it("names the narrower SAM policy template for a role SAM generates", () => {
    const text = formatGrants(templateGrants([path.join(root, "tests/fixtures/least-privilege/sam-writer.yaml")], root));
    expect(text).toContain("  WriterRole (generated by SAM), the execution role of Writer\n");
    expect(text).toContain("      dynamodb:PutItem on Orders: tests/fixtures/least-privilege/writer/app.mjs:6 PutItemCommand\n");
    expect(text).toContain(
      "    narrower policy template: DynamoDBWritePolicy instead of DynamoDBCrudPolicy (line 20) serves all it serves\n",
    );
  });

  it("says why when the needs are not known whole, and which functions' roles it does not read", () => {
    const text = `Parameters:
  WorkerRoleArn: { Type: String }
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      Code: { S3Bucket: artifacts, S3Key: worker.zip }
      Role: !Ref WorkerRoleArn
`;
    const analysed = readTemplateText(text);
    if (analysed.kind !== "template") throw new Error("not a template");
    expect(
      formatGrants([
        { file: "template.yaml", roles: [], otherFunctions: analysed.analysis.functions.map((fn) => fn.logicalId), unexpanded: [] },
      ]),
    ).toBe("template.yaml\n  not read: Worker, whose execution role is neither an AWS::IAM::Role of this template nor one SAM generates\n");
    expect(
      formatGrants([
        {
          file: "t.yaml",
          roles: [
            {
              role: "R",
              functions: ["A", "B"],
              needs: undefined,
              mayUse: [],
              unknown: ["A: its code is inline"],
              grants: [{ policy: 'inline policy "p" of role R', actions: ["s3:*"], resources: ["*"], line: 9 }],
              unused: [],
              wider: [],
              templates: [],
              managed: [],
              minimalPolicy: undefined,
            },
          ],
          otherFunctions: [],
          unexpanded: [],
        },
      ]),
    ).toBe(
      [
        "t.yaml",
        "  R, the execution role of A and B",
        "    needs not known whole, so no grant is called unused:",
        "      - A: its code is inline",
        "    grants:",
        '      inline policy "p" of role R (line 9): s3:* on *',
        "",
      ].join("\n"),
    );
  });
});
