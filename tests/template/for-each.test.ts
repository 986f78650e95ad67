import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { buildTemplate } from "../../src/template/model.js";
import { parseTemplate } from "../../src/language/parse.js";

/** `Fn::ForEach` loops of AWS::LanguageExtensions, expanded where the template proves the collection. */
const template = (collection: string, extra = "") => `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
${extra}Resources:
  SharedRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
  Fn::ForEach::Workers:
    - Name
    - ${collection}
    - Worker\${Name}:
        Type: AWS::Lambda::Function
        Properties:
          FunctionName: !Sub worker-\${Name}
          Runtime: python3.12
          Handler: index.handler
          Code: {ZipFile: "def handler(e, c): pass"}
          Role: !GetAtt SharedRole.Arn
`;

function resourceIds(text: string): string[] {
  const parsed = parseTemplate(text);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return [...buildTemplate(parsed.ast).resources.keys()];
}

function messages(text: string) {
  return new Linter({ configType: "flat" })
    .verify(text, plugin.configs.recommended!, "template.yaml")
    .map(({ ruleId, message, line, column }) => ({ ruleId, message, line, column }));
}

describe("Fn::ForEach", () => {
  it.each([
    ["a literal list", "[Orders, Billing]", "", ["SharedRole", "WorkerOrders", "WorkerBilling"]],
    [
      "a CommaDelimitedList parameter's default",
      "!Ref Names",
      "Parameters:\n  Names: {Type: CommaDelimitedList, Default: 'Orders, Billing'}\n",
      ["SharedRole", "WorkerOrders", "WorkerBilling"],
    ],
    [
      "a mapping",
      "!FindInMap [Teams, prod, names]",
      "Mappings:\n  Teams:\n    prod:\n      names: [Orders, Billing]\n",
      ["SharedRole", "WorkerOrders", "WorkerBilling"],
    ],
    [
      "a parameter without a default: not expanded, never invented",
      "!Ref Names",
      "Parameters:\n  Names: {Type: CommaDelimitedList}\n",
      ["SharedRole"],
    ],
  ])("expands a loop over %s", (_name, collection, extra, ids) => {
    expect(resourceIds(template(collection, extra))).toEqual(ids);
  });

  it("keeps what a loop generates that is no plain resource (a module) unknown, never dropped", () => {
    const text = template("[Orders]").replace("Type: AWS::Lambda::Function", "Type: Company::Network::Vpc::MODULE");
    const parsed = parseTemplate(text);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(buildTemplate(parsed.ast).unexpanded.map((part) => part.what)).toEqual([
      "resource WorkerOrders, whose Type this linter cannot read (a module, say)",
    ]);
  });

  it("is not expanded without the AWS::LanguageExtensions transform", () => {
    expect(resourceIds(template("[Orders, Billing]").replace("Transform: AWS::LanguageExtensions\n", ""))).toEqual(["SharedRole"]);
  });

  it("substitutes the identifier in Fn::Sub and Ref, and reports at the loop body", () => {
    const text = template("[Orders, Billing]");
    const shared = messages(text).filter((message) => message.ruleId === "lambda-iam/no-shared-execution-role");
    const line = text.split("\n").findIndex((row) => row.includes("Role: !GetAtt SharedRole.Arn")) + 1;
    expect(shared).toEqual([
      {
        ruleId: "lambda-iam/no-shared-execution-role",
        message:
          "Function WorkerOrders shares execution role SharedRole with WorkerBilling: each function then holds the permissions of all of them. Give WorkerOrders a role of its own",
        line,
        column: 17,
      },
      {
        ruleId: "lambda-iam/no-shared-execution-role",
        message:
          "Function WorkerBilling shares execution role SharedRole with WorkerOrders: each function then holds the permissions of all of them. Give WorkerBilling a role of its own",
        line,
        column: 17,
      },
    ]);
  });

  it("says so when a finding rests on the Default of the parameter a loop was expanded with", () => {
    const text = template("!Ref Names", "Parameters:\n  Names: {Type: CommaDelimitedList, Default: 'Orders, Billing'}\n");
    const shared = messages(text).filter((message) => message.ruleId === "lambda-iam/no-shared-execution-role");
    expect(shared.map((message) => message.message)).toEqual([
      "Function WorkerOrders shares execution role SharedRole with WorkerBilling: each function then holds the permissions of all of them. Give WorkerOrders a role of its own (assuming parameter Names keeps its Default, which the Fn::ForEach loop was expanded with)",
      "Function WorkerBilling shares execution role SharedRole with WorkerOrders: each function then holds the permissions of all of them. Give WorkerBilling a role of its own (assuming parameter Names keeps its Default, which the Fn::ForEach loop was expanded with)",
    ]);
  });

  it("replaces ${Identifier} in every string of the body, GetAtt and Ref names included: an invoker a loop generates without its permission is reported", () => {
    const buckets = (permitted: string) => `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: index.handler, Code: {ZipFile: x}, Role: "arn:aws:iam::123456789012:role/worker"}
  Fn::ForEach::Buckets:
    - Name
    - [Orders, Billing]
    - Bucket\${Name}:
        Type: AWS::S3::Bucket
        Properties:
          NotificationConfiguration:
            LambdaConfigurations:
              - {Event: "s3:ObjectCreated:*", Function: !GetAtt Fn.Arn}
  Fn::ForEach::Permissions:
    - Name
    - ${permitted}
    - Permission\${Name}:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !Ref Fn
          Principal: s3.amazonaws.com
          SourceAccount: !Ref AWS::AccountId
          SourceArn: !GetAtt Bucket\${Name}.Arn
`;
    const invokeFindings = (text: string) => messages(text).filter((message) => message.ruleId === "lambda-iam/require-invoke-permission");
    expect(invokeFindings(buckets("[Orders]"))).toEqual([
      {
        ruleId: "lambda-iam/require-invoke-permission",
        message:
          "BucketBilling makes s3.amazonaws.com invoke Fn, but the SourceArn of permission PermissionOrders cannot match arn:${AWS::Partition}:s3:::${BucketBilling.Name} (CloudFormation fails to create it)",
        line: 15,
        column: 57,
      },
    ]);
    expect(invokeFindings(buckets("[Orders, Billing]"))).toEqual([]);
  });

  it("leaves what a loop with an unknown collection may add unknown", () => {
    const text = template("!Ref Names", "Parameters:\n  Names: {Type: CommaDelimitedList}\n").replace(
      "Type: AWS::Lambda::Function",
      "Type: AWS::IAM::Policy",
    );
    expect(messages(text)).toEqual([]);
  });
});

describe("functions the template proves", () => {
  const roles = (transform: string, role: string) => `AWSTemplateFormatVersion: "2010-09-09"
${transform}Mappings:
  Roles:
    prod: {arn: "arn:aws:iam::123456789012:role/worker"}
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: index.handler, Code: {ZipFile: x}, Role: "arn:aws:iam::123456789012:role/worker"}
  B:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: index.handler, Code: {ZipFile: x}, Role: ${role}}
`;
  const sharedWith = (text: string) =>
    messages(text)
      .filter((message) => message.ruleId === "lambda-iam/no-shared-execution-role")
      .map((message) => message.message.split(":")[0]);

  it.each([
    [
      "Fn::FindInMap with literal keys is the mapping's value",
      "",
      "!FindInMap [Roles, prod, arn]",
      ["Function A shares execution role arn", "Function B shares execution role arn"],
    ],
    [
      "its DefaultValue, with AWS::LanguageExtensions, when the keys are not in the mapping",
      "Transform: AWS::LanguageExtensions\n",
      '!FindInMap [Roles, dev, arn, {DefaultValue: "arn:aws:iam::123456789012:role/worker"}]',
      ["Function A shares execution role arn", "Function B shares execution role arn"],
    ],
    [
      "a DefaultValue without the transform is not applied",
      "",
      '!FindInMap [Roles, dev, arn, {DefaultValue: "arn:aws:iam::123456789012:role/worker"}]',
      [],
    ],
    ["a key known only at deploy time leaves it unknown", "", "!FindInMap [Roles, !Ref AWS::Region, arn]", []],
  ])("%s", (_name, transform, role, expected) => {
    expect(sharedWith(roles(transform, role))).toEqual(expected);
  });
});
