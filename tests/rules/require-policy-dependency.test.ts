import rule from "../../src/rules/require-policy-dependency.js";
import { locateKey, templateRuleTester, LAMBDA_TRUST as TRUST, indent } from "../rule-tester.js";

const POLL = "{Effect: Allow, Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: !GetAtt Jobs.Arn}";

/** Queue Jobs, role ConsumerRole and a separate policy Poller on it with `statement`: what both forms below share. */
function pollingResources(statement: string): string {
  return `  Jobs:
    Type: AWS::SQS::Queue
  ConsumerRole:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
  Poller:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: poll
      Roles: [!Ref ConsumerRole]
      PolicyDocument:
        Statement:
          - ${statement}
`;
}

/** Queue Jobs, role ConsumerRole, a separate policy Poller on it, function Consumer, mapping JobsMapping. */
function template({ mappingDependsOn = "", functionLines = "", policyStatement = POLL, extra = "" } = {}): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${pollingResources(policyStatement)}  Consumer:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt ConsumerRole.Arn
${indent(functionLines, 6)}
  JobsMapping:
    Type: AWS::Lambda::EventSourceMapping
${mappingDependsOn ? `    DependsOn: ${mappingDependsOn}\n` : ""}    Properties:
      FunctionName: !Ref Consumer
      EventSourceArn: !GetAtt Jobs.Arn
${extra}`;
}

const noDependency = template();
const tracing = template({
  functionLines: "TracingConfig: {Mode: Active}",
  policyStatement: "{Effect: Allow, Action: ['sqs:*', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*'}",
  mappingDependsOn: "Poller",
});
const vpc = template({
  functionLines: "VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-0123abcd]}",
  policyStatement:
    "{Effect: Allow, Action: ['sqs:*', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'], Resource: '*'}",
  mappingDependsOn: "Poller",
});
const sam = `Transform: AWS::Serverless-2016-10-31
Resources:
${pollingResources("{Effect: Allow, Action: 'sqs:*', Resource: !GetAtt Jobs.Arn}")}  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      Role: !GetAtt ConsumerRole.Arn
      Events:
        Poll:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn}
`;

templateRuleTester().run("require-policy-dependency", rule as never, {
  valid: [
    {
      name: "kms:Decrypt from a separate policy needs no DependsOn: Lambda does not check it when it creates the mapping",
      filename: "template.yaml",
      code: template({
        mappingDependsOn: "Poller",
        extra:
          "  Key:\n    Type: AWS::KMS::Key\n    Properties: {KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}}\n" +
          "  Decrypter:\n    Type: AWS::IAM::Policy\n    Properties: {PolicyName: decrypt, Roles: [!Ref ConsumerRole], PolicyDocument: {Statement: [{Effect: Allow, Action: kms:Decrypt, Resource: !GetAtt Key.Arn}]}}\n",
      }).replace(
        "  Jobs:\n    Type: AWS::SQS::Queue\n",
        "  Jobs:\n    Type: AWS::SQS::Queue\n    Properties: {KmsMasterKeyId: !GetAtt Key.Arn}\n",
      ),
    },
    { name: "DependsOn the policy", filename: "template.yaml", code: template({ mappingDependsOn: "Poller" }) },
    {
      name: "a dependency through another resource",
      filename: "template.yaml",
      code: template({ mappingDependsOn: "Gate", extra: "  Gate:\n    Type: AWS::SNS::Topic\n    DependsOn: Poller\n" }),
    },
    {
      name: "a dependency through a Ref",
      filename: "template.yaml",
      code: template({ functionLines: "Environment: {Variables: {POLICY: !Ref Poller}}" }),
    },
    {
      name: "permissions inline in the role need no dependency",
      filename: "template.yaml",
      code: template().replace(
        "      " + TRUST,
        `      ${TRUST}\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]`,
      ),
    },
    {
      name: "a SAM function that depends on the policy covers its event's mapping",
      filename: "template.yaml",
      code: sam.replace("    Type: AWS::Serverless::Function\n", "    Type: AWS::Serverless::Function\n    DependsOn: Poller\n"),
    },
    {
      name: "a mapping the role does not allow at all is another rule's business",
      filename: "template.yaml",
      code: template({ policyStatement: "{Effect: Allow, Action: 'sns:Publish', Resource: '*'}" }),
    },
  ],
  invalid: [
    {
      name: "a mapping whose permissions come only from a separate policy, with no dependency on it",
      filename: "template.yaml",
      code: noDependency,
      errors: [
        {
          ...locateKey(noDependency, "JobsMapping"),
          message:
            "JobsMapping: the event source mapping needs sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes, which only Poller grants, but nothing makes CloudFormation attach that policy first; add DependsOn: Poller (without it, deployments fail intermittently)",
        },
      ],
    },
    {
      name: "a VPC function whose ENI permissions come from a separate policy",
      filename: "template.yaml",
      code: vpc,
      errors: [
        {
          ...locateKey(vpc, "Consumer"),
          message:
            "Consumer: the function (its VPC configuration) needs ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface, which only Poller grants, but nothing makes CloudFormation attach that policy first; add DependsOn: Poller (without it, deployments fail intermittently)",
        },
      ],
    },
    {
      name: "an actively traced function whose X-Ray permission comes from a separate policy (PutTraceSegments is checked at creation)",
      filename: "template.yaml",
      code: tracing,
      errors: [
        {
          ...locateKey(tracing, "Consumer"),
          message:
            "Consumer: the function (its active tracing) needs xray:PutTraceSegments, which only Poller grants, but nothing makes CloudFormation attach that policy first; add DependsOn: Poller (without it, deployments fail intermittently)",
        },
      ],
    },
    {
      name: "a SAM event's mapping: the dependency goes on the function",
      filename: "template.yaml",
      code: sam,
      errors: [
        {
          ...locateKey(sam, "Consumer"),
          message:
            "Consumer: the event source mapping of its event Poll needs sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes, which only Poller grants, but nothing makes CloudFormation attach that policy first; add DependsOn: Poller (without it, deployments fail intermittently)",
        },
      ],
    },
  ],
});
