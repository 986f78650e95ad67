import rule from "../../src/rules/no-shared-execution-role.js";
import { LAMBDA_TRUST_DOCUMENT, ZIP_CODE, locate, templateRuleTester, yaml } from "../rule-tester.js";

const ROLE = yaml`
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole`;

/** What a Lambda function needs beside its role to deploy, as indented YAML properties. */
const CODE = '    Runtime: nodejs22.x\n    Handler: index.handler\n    Code: {ZipFile: "exports.handler = async () => {};"}\n';

/** A YAML template whose Resources are the shared role plus the given resource lines. */
function template(resources: string, head = ""): string {
  const indented = (text: string) =>
    text
      .split("\n")
      .map((line) => (line ? `  ${line}` : line))
      .join("\n");
  return `AWSTemplateFormatVersion: "2010-09-09"\n${head}Resources:\n${indented(ROLE)}\n${indented(resources)}\n`;
}

function fn(name: string, role: string, extra = ""): string {
  return `${name}:\n  Type: AWS::Lambda::Function\n${extra}  Properties:\n    Role: ${role}\n${CODE}`;
}

/** The expected finding for `fnName`, at the `nth` occurrence of `roleText` in `code`. */
function shared(code: string, fnName: string, role: string, others: string, roleText: string, nth = 0) {
  return {
    message: `Function ${fnName} shares execution role ${role} with ${others}: each function then holds the permissions of all of them. Give ${fnName} a role of its own`,
    ...locate(code, roleText, nth),
  };
}

templateRuleTester().run("no-shared-execution-role", rule as never, {
  valid: [
    {
      name: "each function has its own role",
      filename: "template.yaml",
      code: template(
        `${fn("A", "!GetAtt Role.Arn")}${yaml`
        OtherRole:
          Type: AWS::IAM::Role
          Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}}`}\n${fn("B", "!GetAtt OtherRole.Arn")}`,
      ),
    },
    {
      name: "SAM functions without Role each get a generated role",
      filename: "template.yaml",
      code: yaml`
        Transform: AWS::Serverless-2016-10-31
        Resources:
          A:
            Type: AWS::Serverless::Function
            Properties: {Handler: index.handler, Runtime: nodejs22.x, CodeUri: s3://bucket/a.zip}
          B:
            Type: AWS::Serverless::Function
            Properties: {Handler: index.handler, Runtime: nodejs22.x, CodeUri: s3://bucket/b.zip}
      `,
    },
    {
      name: "functions whose conditions exclude each other do not share",
      filename: "template.yaml",
      code: template(
        `${fn("A", "!GetAtt Role.Arn", "  Condition: IsProd\n")}${fn("B", "!GetAtt Role.Arn", "  Condition: IsDev\n")}`,
        yaml`
          Parameters:
            Env: {Type: String}
          Conditions:
            IsProd: !Equals [!Ref Env, prod]
            IsDev: !Equals [dev, !Ref Env]
        ` + "\n",
      ),
    },
    {
      name: "the two branches of one Fn::If never hold together",
      filename: "template.yaml",
      code: template(
        `${fn("A", "!If [IsProd, !GetAtt Role.Arn, !ImportValue other-role]")}${fn("B", "!If [IsProd, !ImportValue other-role, !GetAtt Role.Arn]")}`,
        "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n",
      ),
    },
    {
      name: "a role listed in allowedRoles may be shared",
      filename: "template.yaml",
      options: [{ allowedRoles: ["Role"] }],
      code: template(`${fn("A", "!GetAtt Role.Arn")}${fn("B", "!GetAtt Role.Arn")}`),
    },
    {
      name: "literal ARNs that differ are different roles",
      filename: "template.yaml",
      code: template(`${fn("A", "arn:aws:iam::123456789012:role/a")}${fn("B", "arn:aws:iam::123456789012:role/b")}`),
    },
    {
      name: "a literal ARN and a Sub ARN with the stack's account are not proven to be the same role",
      filename: "template.yaml",
      code: template(`${fn("A", "arn:aws:iam::123456789012:role/x")}${fn("B", "!Sub arn:aws:iam::${AWS::AccountId}:role/x")}`),
    },
    {
      name: "cfn-include subtrees are opaque and prove nothing",
      filename: "template.yaml",
      code: template(`${fn("A", "!Include role.yaml")}${fn("B", "!Include role.yaml")}`),
    },
    {
      name: "Metadata suppresses the rule for one resource (YAML)",
      filename: "template.yaml",
      code: template(
        `${fn("A", "!GetAtt Role.Arn", "  Metadata:\n    lambda-iam:\n      ignore_checks: [no-shared-execution-role]\n")}${fn("B", "!GetAtt Role.Arn", "  Metadata:\n    lambda-iam:\n      rules_to_suppress:\n        - id: no-shared-execution-role\n          reason: legacy\n")}`,
      ),
    },
    {
      name: "template-level Metadata suppresses the rule for the whole file (JSON)",
      filename: "template.json",
      code: JSON.stringify({
        Metadata: { "lambda-iam": { ignore_checks: ["lambda-iam/no-shared-execution-role"] } },
        Resources: {
          Role: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST_DOCUMENT } },
          A: { Type: "AWS::Lambda::Function", Properties: { Role: { "Fn::GetAtt": ["Role", "Arn"] }, ...ZIP_CODE } },
          B: { Type: "AWS::Lambda::Function", Properties: { Role: { "Fn::GetAtt": ["Role", "Arn"] }, ...ZIP_CODE } },
        },
      }),
    },
    {
      name: "a file that is not a template is left alone",
      filename: "deployment.yaml",
      code: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    },
  ],
  invalid: [
    (() => {
      const code = template(`${fn("A", "!GetAtt Role.Arn")}${fn("B", '{"Fn::GetAtt": [Role, Arn]}')}`);
      return {
        name: "GetAtt in short and long form name the same role",
        filename: "template.yaml",
        code,
        errors: [shared(code, "A", "Role", "B", "!GetAtt Role.Arn"), shared(code, "B", "Role", "A", '{"Fn::GetAtt": [Role, Arn]}')],
      };
    })(),
    (() => {
      const sub = '!Sub "${Role.Arn}"';
      const code = template(`${fn("A", sub)}${fn("B", "!GetAtt Role.Arn")}`);
      return {
        name: 'Role: !Sub "${Role.Arn}" is the role itself',
        filename: "template.yaml",
        code,
        errors: [shared(code, "A", "Role", "B", sub), shared(code, "B", "Role", "A", "!GetAtt Role.Arn")],
      };
    })(),
    (() => {
      const sub = "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}";
      const join = '!Join ["", ["arn:", !Ref "AWS::Partition", ":iam::", !Ref "AWS::AccountId", ":role/", !Ref Role]]';
      const code = template(`${fn("A", sub)}${fn("B", join)}`);
      return {
        name: "an ARN built with Sub or Join from the role's name is the role",
        filename: "template.yaml",
        code,
        errors: [shared(code, "A", "Role", "B", sub), shared(code, "B", "Role", "A", join)],
      };
    })(),
    (() => {
      const code = template(
        [
          fn("A", "arn:aws:iam::123456789012:role/x"),
          fn("B", '!Sub "arn:aws:iam::123456789012:role/x"'),
          fn("C", "!Ref RoleArn"),
          fn("D", "!Ref RoleArn"),
          fn("E", "!ImportValue shared-role"),
          fn("F", '{"Fn::ImportValue": shared-role}'),
          fn("G", "!GetStackOutput {StackName: roles, OutputName: WorkerRole}"),
          fn("H", "{Fn::GetStackOutput: {StackName: roles, OutputName: WorkerRole}}"),
          fn("I", "{Fn::GetStackOutput: {StackName: roles, OutputName: WorkerRole, Region: eu-west-1}}"),
        ].join(""),
        "Parameters:\n  RoleArn: {Type: String}\n",
      );
      const arn = "arn:aws:iam::123456789012:role/x";
      return {
        name: "the same literal ARN, parameter, import or stack output is the same role (another Region's output is another value)",
        filename: "template.yaml",
        code,
        errors: [
          shared(code, "A", arn, "B", arn),
          shared(code, "B", arn, "A", `!Sub "${arn}"`),
          shared(code, "C", "parameter RoleArn", "D", "!Ref RoleArn", 0),
          shared(code, "D", "parameter RoleArn", "C", "!Ref RoleArn", 1),
          shared(code, "E", "!ImportValue shared-role", "F", "!ImportValue shared-role"),
          shared(code, "F", "!ImportValue shared-role", "E", '{"Fn::ImportValue": shared-role}'),
          shared(code, "G", "output WorkerRole of stack roles", "H", "!GetStackOutput {StackName: roles, OutputName: WorkerRole}"),
          shared(code, "H", "output WorkerRole of stack roles", "G", "{Fn::GetStackOutput: {StackName: roles, OutputName: WorkerRole}}"),
        ],
      };
    })(),
    (() => {
      const code = template(
        `${fn("A", "!If [IsProd, !GetAtt Role.Arn, !ImportValue other-role]")}${fn("B", "!GetAtt Role.Arn")}`,
        "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n",
      );
      return {
        name: "a Fn::If branch is reported when another function can use the same role at the same time",
        filename: "template.yaml",
        code,
        errors: [shared(code, "A", "Role", "B", "!GetAtt Role.Arn", 0), shared(code, "B", "Role", "A", "!GetAtt Role.Arn", 1)],
      };
    })(),
    (() => {
      const code = yaml`
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Function
            Properties: {Handler: index.handler, Runtime: nodejs22.x, CodeUri: s3://bucket/a.zip}
          Worker:
            Type: AWS::Lambda::Function
            Properties:
              Role: !GetAtt ApiRole.Arn
              Runtime: nodejs22.x
              Handler: index.handler
              Code: {ZipFile: "exports.handler = async () => {};"}
      `;
      return {
        name: "a function that names SAM's generated role shares it with the SAM function",
        filename: "template.yaml",
        code,
        errors: [shared(code, "Worker", "ApiRole", "Api", "!GetAtt ApiRole.Arn")],
      };
    })(),
    (() => {
      const code = `{
  "Resources": {
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
    "A": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Runtime": "nodejs22.x", "Handler": "index.handler", "Code": {"ZipFile": "exports.handler = async () => {};"}}},
    "B": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": "Role.Arn"}, "Runtime": "nodejs22.x", "Handler": "index.handler", "Code": {"ZipFile": "exports.handler = async () => {};"}}}
  }
}`;
      return {
        name: "JSON templates are reported at the Role value",
        filename: "template.json",
        code,
        errors: [
          shared(code, "A", "Role", "B", '{"Fn::GetAtt": ["Role", "Arn"]}'),
          shared(code, "B", "Role", "A", '{"Fn::GetAtt": "Role.Arn"}'),
        ],
      };
    })(),
    (() => {
      const names = ["A", "B", "C", "D", "E", "F", "G", "H"];
      const code = template(names.map((name) => fn(name, "!GetAtt Role.Arn")).join(""));
      return {
        name: "a long list of other functions is shortened",
        filename: "template.yaml",
        code,
        options: [{ allowedRoles: ["SomeOtherRole"] }],
        errors: names.map((name, index) => {
          const others = names.filter((other) => other !== name);
          return shared(code, name, "Role", `${others.slice(0, 5).join(", ")} and 2 more`, "!GetAtt Role.Arn", index);
        }),
      };
    })(),
  ],
});
