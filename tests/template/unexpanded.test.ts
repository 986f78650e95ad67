import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";

/**
 * What this linter does not expand (includes, transforms, loops, modules) makes exactly what it could add
 * unknown: no finding may rest on its absence, and findings it cannot touch stay.
 */
const BASE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ec2.amazonaws.com }
            Action: sts:AssumeRole
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code: { ZipFile: "def handler(e, c): pass" }
      Role: !GetAtt WorkerRole.Arn
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Worker.Arn
`;

const TRUST = "lambda-iam/execution-role-trust";
const LOGS = "lambda-iam/function-config-permissions";
const INVOKE = "lambda-iam/require-invoke-permission";

function rulesReported(text: string): string[] {
  const messages = new Linter({ configType: "flat" }).verify(text, plugin.configs.recommended!, "template.yaml");
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return [...new Set(messages.map((message) => message.ruleId!))].sort();
}

const INCLUDE = "{Name: AWS::Include, Parameters: {Location: s3://bucket/snippet.yaml}}";
const addResource = (text: string) => BASE.replace("  Uploads:\n", `${text}  Uploads:\n`);
const roleProperties = (replacement: string) => BASE.replace("    Properties:\n      AssumeRolePolicyDocument:", replacement);
const loop = (type: string) =>
  addResource(
    `  Fn::ForEach::Extras:\n    - Name\n    - [A, B]\n    - Extra\${Name}:\n        Type: ${type}\n        Properties: {PolicyName: x, PolicyDocument: {Statement: []}, Roles: [!Ref WorkerRole]}\n`,
  );

describe("parts of a template that are not expanded", () => {
  it.each([
    ["nothing unexpanded: every finding", BASE, [TRUST, LOGS, INVOKE]],
    ["an AWS::Include transform of the whole template: nothing", BASE.replace("Resources:\n", `Transform: ${INCLUDE}\nResources:\n`), []],
    [
      "a macro we do not run: nothing",
      BASE.replace("Resources:\n", "Transform: [AWS::Serverless-2016-10-31, CompanyMacro]\nResources:\n"),
      [],
    ],
    [
      "an Fn::Transform in Resources: the role's permissions and the invokers are unknown, its trust is not",
      addResource(`  Fn::Transform: ${INCLUDE}\n`),
      [TRUST],
    ],
    ["a rain module: as an include", addResource("  Storage:\n    Type: !Rain::Module ./storage.yaml\n"), [TRUST]],
    ["a registry module: as an include", addResource("  Network:\n    Type: Company::Network::Vpc::MODULE\n"), [TRUST]],
    [
      "an Fn::Transform in the role's Properties: its permissions and trust are unknown",
      roleProperties(`    Properties:\n      Fn::Transform: ${INCLUDE}\n      AssumeRolePolicyDocument:`),
      [INVOKE],
    ],
    [
      "cfn-include's !Include as the role's Properties: its permissions and trust are unknown",
      BASE.replace(
        / {4}Properties:\n {6}AssumeRolePolicyDocument:[\s\S]*?sts:AssumeRole\n/u,
        "    Properties: !Include role-properties.yaml\n",
      ),
      [INVOKE],
    ],
    ["an Fn::ForEach that makes policies: the role's permissions are unknown", loop("AWS::IAM::Policy"), [INVOKE, TRUST]],
    ["an Fn::ForEach that makes queues only: every finding", loop("AWS::SQS::Queue"), [TRUST, LOGS, INVOKE]],
  ])("%s", (_name, text, rules) => {
    expect(rulesReported(text)).toEqual([...rules].sort());
  });
});

describe("what is not expanded, told to a user who asks for unverifiable notes", () => {
  it("names the part and what it may do", () => {
    const text = BASE.replace("Resources:\n", "Transform: CompanyMacro\nResources:\n");
    const config = [
      ...plugin.configs.recommended!,
      { files: ["**/*.yaml"], rules: { [LOGS]: ["error", { reportUnverifiable: true }] } },
    ] as Linter.Config[];
    const messages = new Linter({ configType: "flat" }).verify(text, config, "template.yaml").filter((message) => message.ruleId === LOGS);
    expect(messages[0]?.message).toBe(
      "Worker: cannot verify that role WorkerRole allows logs:CreateLogStream on log group /aws/lambda/${Worker.Name} for its CloudWatch Logs: the CompanyMacro macro, which this linter does not expand, may attach policies to the role",
    );
  });
});
