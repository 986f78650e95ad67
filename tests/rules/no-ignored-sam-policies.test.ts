import rule from "../../src/rules/no-ignored-sam-policies.js";
import { locate, locateKey, templateRuleTester, LAMBDA_TRUST, indent } from "../rule-tester.js";

/** A SAM function Worker with `properties`, beside a bucket and a role of the template (and the condition OwnRole, when used). */
function sam(properties: string): string {
  const condition = properties.includes("OwnRole")
    ? `Parameters:\n  UseOwnRole: {Type: String, AllowedValues: ["yes", "no"]}\nConditions:\n  OwnRole: !Equals [!Ref UseOwnRole, "yes"]\n`
    : "";
  return `Transform: AWS::Serverless-2016-10-31
${condition}Resources:
  Bucket:
    Type: AWS::S3::Bucket
  OwnedRole:
    Type: AWS::IAM::Role
    Properties:
      ${LAMBDA_TRUST}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
${indent(properties, 6)}
`;
}

const withBoth = sam(
  "Role: !GetAtt OwnedRole.Arn\nPolicies:\n  - S3ReadPolicy: {BucketName: !Ref Bucket}\n  - AmazonSQSReadOnlyAccess\n  - Statement: [{Effect: Allow, Action: sns:Publish, Resource: '*'}]",
);
const conditionalRole = sam("Role: !If [OwnRole, !GetAtt OwnedRole.Arn, !Ref AWS::NoValue]\nPolicies: [AmazonSQSReadOnlyAccess]");

templateRuleTester().run("no-ignored-sam-policies", rule as never, {
  valid: [
    {
      name: "Policies without Role: SAM generates a role with them",
      filename: "template.yaml",
      code: sam("Policies: [AmazonSQSReadOnlyAccess]"),
    },
    { name: "Role without Policies", filename: "template.yaml", code: sam("Role: !GetAtt OwnedRole.Arn") },
    {
      name: "plain CloudFormation functions have no Policies property to ignore",
      filename: "template.yaml",
      code: 'Resources:\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties: {Role: arn:aws:iam::123456789012:role/r, Runtime: python3.12, Handler: index.handler, Code: {ZipFile: "def handler(e, c): pass"}}\n',
    },
  ],
  invalid: [
    {
      name: "Role and Policies together: reported at Policies, naming what is lost",
      filename: "template.yaml",
      code: withBoth,
      errors: [
        {
          ...locateKey(withBoth, "Policies"),
          message:
            "Worker sets Role (OwnedRole), so SAM ignores its Policies (S3ReadPolicy, AmazonSQSReadOnlyAccess and an inline statement) and grants none of them. Put these permissions on the role, or drop Role and let SAM generate one",
        },
      ],
    },
    {
      name: "a Role that is set only under a condition still makes SAM ignore Policies then",
      filename: "template.yaml",
      code: conditionalRole,
      errors: [
        {
          ...locateKey(conditionalRole, "Policies"),
          message:
            "Worker sets Role (OwnedRole), so SAM ignores its Policies (AmazonSQSReadOnlyAccess) and grants none of them. Put these permissions on the role, or drop Role and let SAM generate one",
        },
      ],
    },
    (() => {
      const code = JSON.stringify(
        {
          Transform: "AWS::Serverless-2016-10-31",
          Resources: {
            Worker: {
              Type: "AWS::Serverless::Function",
              Properties: {
                Role: "arn:aws:iam::123456789012:role/worker",
                Policies: ["AWSLambdaBasicExecutionRole"],
                Runtime: "python3.12",
                Handler: "index.handler",
                CodeUri: "s3://bucket/code.zip",
              },
            },
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
            message:
              "Worker sets Role (arn:aws:iam::123456789012:role/worker), so SAM ignores its Policies (AWSLambdaBasicExecutionRole) and grants none of them. Put these permissions on the role, or drop Role and let SAM generate one",
            ...locate(code, '"Policies"'),
          },
        ],
      };
    })(),
  ],
});
