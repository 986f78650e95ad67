import rule from "../../src/rules/execution-role-trust.js";
import { ZIP_CODE, locate, locateKey, templateRuleTester, indent } from "../rule-tester.js";

const FAILURE = 'CloudFormation fails to create the function: "The role defined for the function cannot be assumed by Lambda"';

function template(trust: string, extraFunction = ""): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
${indent(trust, 10)}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt WorkerRole.Arn
${extraFunction}`;
}

const ec2Only = template("- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}");
const denied = template(
  "- {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}\n- {Effect: Deny, Principal: {Service: [lambda.amazonaws.com]}, Action: 'sts:*'}",
);
const twoFunctions = template(
  "- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}",
  "  Other:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Code: {ZipFile: x}\n      Role: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${WorkerRole}'\n",
);
const samOwnTrust = `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: states.amazonaws.com}, Action: sts:AssumeRole}
`;

templateRuleTester().run("execution-role-trust", rule as never, {
  valid: [
    {
      name: "Service lambda.amazonaws.com",
      filename: "template.yaml",
      code: template("- {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}"),
    },
    {
      name: "a list of services with Lambda@Edge",
      filename: "template.yaml",
      code: template(
        "- {Effect: Allow, Principal: {Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]}, Action: ['sts:AssumeRole']}",
      ),
    },
    {
      name: "an action wildcard",
      filename: "template.yaml",
      code: template("- {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:*'}"),
    },
    {
      name: "a principal we cannot read is unknown: silent",
      filename: "template.yaml",
      code: template("- {Effect: Allow, Principal: {Service: !Sub 'lambda.${AWS::URLSuffix}'}, Action: sts:AssumeRole}"),
    },
    {
      name: "a conditional Deny is unknown: silent",
      filename: "template.yaml",
      code: template(
        "- {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}\n- {Effect: Deny, Principal: '*', Action: sts:AssumeRole, Condition: {StringNotEquals: {aws:SourceAccount: '123456789012'}}}",
      ),
    },
    {
      name: "SAM's generated role trusts Lambda",
      filename: "template.yaml",
      code: samOwnTrust.replace(/ {6}AssumeRolePolicyDocument:[\s\S]*$/u, ""),
    },
    {
      name: "a role from another stack: silent",
      filename: "template.yaml",
      code: ec2Only.replace("Role: !GetAtt WorkerRole.Arn", "Role: arn:aws:iam::123456789012:role/worker"),
    },
  ],
  invalid: [
    (() => {
      // As the CDK synthesizes it: each resource's construct path in its metadata.
      const code = ec2Only
        .replace(
          "  WorkerRole:\n    Type: AWS::IAM::Role\n",
          "  WorkerRole:\n    Type: AWS::IAM::Role\n    Metadata: {aws:cdk:path: OrdersStack/WorkerRole/Resource}\n",
        )
        .replace(
          "  Worker:\n    Type: AWS::Lambda::Function\n",
          "  Worker:\n    Type: AWS::Lambda::Function\n    Metadata:\n      aws:cdk:path: OrdersStack/Worker/Resource\n",
        );
      return {
        name: "on a template the CDK synthesized, each message also names the construct of the resource it is on",
        filename: "cdk.out/OrdersStack.template.yaml",
        code,
        errors: [
          {
            ...locateKey(code, "AssumeRolePolicyDocument"),
            messageId: "roleNotTrustedInConstruct",
            data: { role: "WorkerRole", functions: "Worker", construct: "OrdersStack/WorkerRole" },
          },
          {
            ...locate(code, "!GetAtt WorkerRole.Arn"),
            message: `Worker: its execution role WorkerRole does not trust lambda.amazonaws.com (${FAILURE}) (construct OrdersStack/Worker)`,
          },
        ],
      };
    })(),
    {
      name: "a role that trusts only EC2 is reported at the trust policy and at the function",
      filename: "template.yaml",
      code: ec2Only,
      errors: [
        {
          ...locateKey(ec2Only, "AssumeRolePolicyDocument"),
          message: "WorkerRole is the execution role of Worker, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
        },
        {
          ...locate(ec2Only, "!GetAtt WorkerRole.Arn"),
          message: `Worker: its execution role WorkerRole does not trust lambda.amazonaws.com (${FAILURE})`,
        },
      ],
    },
    ...[
      "!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'",
      "!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/deploy'",
      "!Ref AWS::AccountId",
    ].map((principal) => {
      const code = template(`- {Effect: Allow, Principal: {AWS: ${principal}}, Action: sts:AssumeRole}`);
      return {
        name: `a role that trusts only AWS principals (${principal}) does not trust Lambda`,
        filename: "template.yaml",
        code,
        errors: [
          {
            ...locateKey(code, "AssumeRolePolicyDocument"),
            message:
              "WorkerRole is the execution role of Worker, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
          },
          {
            ...locate(code, "!GetAtt WorkerRole.Arn"),
            message: `Worker: its execution role WorkerRole does not trust lambda.amazonaws.com (${FAILURE})`,
          },
        ],
      };
    }),
    {
      name: "a Deny that removes Lambda names its statement",
      filename: "template.yaml",
      code: denied,
      errors: [
        {
          ...locateKey(denied, "AssumeRolePolicyDocument"),
          message:
            "WorkerRole is the execution role of Worker, but statement 2 of its trust policy denies sts:AssumeRole to lambda.amazonaws.com",
        },
        {
          ...locate(denied, "!GetAtt WorkerRole.Arn"),
          message: `Worker: the trust policy of its execution role WorkerRole denies sts:AssumeRole to lambda.amazonaws.com in statement 2 (${FAILURE})`,
        },
      ],
    },
    {
      name: "the trust policy finding names every function that uses the role",
      filename: "template.yaml",
      code: twoFunctions,
      errors: [
        {
          ...locateKey(twoFunctions, "AssumeRolePolicyDocument"),
          message:
            "WorkerRole is the execution role of Worker and Other, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
        },
        {
          ...locate(twoFunctions, "!GetAtt WorkerRole.Arn"),
          message: `Worker: its execution role WorkerRole does not trust lambda.amazonaws.com (${FAILURE})`,
        },
        {
          ...locate(twoFunctions, "!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${WorkerRole}'"),
          message: `Other: its execution role WorkerRole does not trust lambda.amazonaws.com (${FAILURE})`,
        },
      ],
    },
    {
      name: "a SAM function's own AssumeRolePolicyDocument must trust Lambda",
      filename: "template.yaml",
      code: samOwnTrust,
      errors: [
        {
          ...locateKey(samOwnTrust, "AssumeRolePolicyDocument"),
          message:
            "the role SAM generates for Worker is the execution role of Worker, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
        },
      ],
    },
    (() => {
      const code = template("- {Effect: Allow, Principal: {Service: !Sub 'lambda.${AWS::URLSuffix}'}, Action: sts:AssumeRole}");
      return {
        name: "reportUnverifiable notes a trust policy that cannot be read",
        filename: "template.yaml",
        code,
        options: [{ reportUnverifiable: true }],
        errors: [
          {
            ...locateKey(code, "AssumeRolePolicyDocument"),
            message:
              "Cannot verify that WorkerRole, the execution role of Worker, trusts lambda.amazonaws.com: its trust policy has a Condition, NotPrincipal or a value we cannot read",
          },
        ],
      };
    })(),
    (() => {
      const code = JSON.stringify(
        {
          Resources: {
            WorkerRole: {
              Type: "AWS::IAM::Role",
              Properties: {
                AssumeRolePolicyDocument: {
                  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                },
              },
            },
            Worker: { Type: "AWS::Lambda::Function", Properties: { Role: { "Fn::GetAtt": ["WorkerRole", "Arn"] }, ...ZIP_CODE } },
          },
        },
        null,
        2,
      );
      return {
        name: "JSON templates",
        filename: "template.json",
        code,
        errors: [
          {
            ...locate(code, '"AssumeRolePolicyDocument"'),
            message:
              "WorkerRole is the execution role of Worker, but its trust policy does not let lambda.amazonaws.com call sts:AssumeRole",
          },
          {
            ...locate(code, '{\n          "Fn::GetAtt": [\n            "WorkerRole",\n            "Arn"\n          ]\n        }'),
            message: `Worker: its execution role WorkerRole does not trust lambda.amazonaws.com (${FAILURE})`,
          },
        ],
      };
    })(),
  ],
});
