import rule from "../../src/rules/function-config-permissions.js";
import { LAMBDA_TRUST_DOCUMENT, ZIP_CODE, locate, locateKey, templateRuleTester, LAMBDA_TRUST as TRUST, indent } from "../rule-tester.js";

const BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const VPC_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
const DEPLOY = "CloudFormation fails to create the function";
const INTERFACES = "the network interfaces of the stack's account and region";

/** Role WorkerRole with `managed` policies and `inline` statements; function Worker with `functionLines`. */
function cfn(managed: string[], functionLines: string, resources = "", inline = ""): string {
  const policies = inline
    ? `\n      Policies:\n        - PolicyName: Access\n          PolicyDocument:\n            Statement:\n${indent(inline, 14)}`
    : "";
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
      ManagedPolicyArns: [${managed.join(", ")}]${policies}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt WorkerRole.Arn
${indent(functionLines, 6)}
${indent(resources, 2)}`;
}

const VPC = "VpcConfig: {SubnetIds: [subnet-0abc], SecurityGroupIds: [sg-0abc1234]}";
const noLogs = cfn([], "");
const vpcWithoutEni = cfn([BASIC], VPC);
const tracingWithoutXray = cfn([BASIC], "TracingConfig: {Mode: Active}");
const dlq = cfn([BASIC], "DeadLetterConfig: {TargetArn: !GetAtt Dead.Arn}", "Dead:\n  Type: AWS::SQS::Queue\n");
const destination = cfn(
  [BASIC],
  "",
  "Results:\n  Type: AWS::SNS::Topic\nAsync:\n  Type: AWS::Lambda::EventInvokeConfig\n  Properties:\n    FunctionName: !Ref Worker\n    Qualifier: $LATEST\n    DestinationConfig: {OnSuccess: {Destination: !Ref Results}}\n",
);
/** The destination topic chosen by Fn::If on condition HasDlq, and a role with `inline` statements. */
const destinationUnderIf = (inline = "") =>
  cfn(
    [BASIC],
    "",
    "Results:\n  Type: AWS::SNS::Topic\nAsync:\n  Type: AWS::Lambda::EventInvokeConfig\n  Properties:\n    FunctionName: !Ref Worker\n    Qualifier: $LATEST\n    DestinationConfig: {OnSuccess: !If [HasDlq, {Destination: !Ref Results}, !Ref AWS::NoValue]}\n",
    inline,
  ).replace("Resources:", "Parameters:\n  Dlq: {Type: String}\nConditions:\n  HasDlq: !Equals [!Ref Dlq, 'yes']\nResources:");
const deniedEni = cfn([BASIC, VPC_POLICY], VPC, "", "- {Effect: Deny, Action: 'ec2:DeleteNetworkInterface', Resource: '*'}");
const samWithRole = `Transform: AWS::Serverless-2016-10-31
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
      ManagedPolicyArns: [${BASIC}]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      Role: !GetAtt WorkerRole.Arn
      Tracing: Active
`;

/** A VpcConfig under condition InVpc, and a role whose VPC policy exists under the same condition. */
const conditionalVpc = cfn(
  [BASIC, `!If [InVpc, ${VPC_POLICY}, !Ref AWS::NoValue]`],
  "VpcConfig: !If [InVpc, {SubnetIds: [subnet-0abc], SecurityGroupIds: [sg-0abc1234]}, !Ref AWS::NoValue]",
).replace("Resources:", "Parameters:\n  Vpc: {Type: String}\nConditions:\n  InVpc: !Equals [!Ref Vpc, 'yes']\nResources:");
const vpcUnderIf = cfn(
  [BASIC],
  "VpcConfig: !If [InVpc, {SubnetIds: [subnet-0abc], SecurityGroupIds: [sg-0abc1234]}, !Ref AWS::NoValue]",
).replace("Resources:", "Parameters:\n  Vpc: {Type: String}\nConditions:\n  InVpc: !Equals [!Ref Vpc, 'yes']\nResources:");
/** A dead-letter queue under condition HasDlq (Fn::If around the config, or around its TargetArn), and a role with `inline` statements. */
const dlqUnderIf = (configuration: string, inline = "") =>
  cfn([BASIC], `DeadLetterConfig: ${configuration}`, "Dead:\n  Type: AWS::SQS::Queue\n", inline).replace(
    "Resources:",
    "Parameters:\n  Dlq: {Type: String}\nConditions:\n  HasDlq: !Equals [!Ref Dlq, 'yes']\nResources:",
  );
const DLQ_IF = "!If [HasDlq, {TargetArn: !GetAtt Dead.Arn}, !Ref AWS::NoValue]";
const dlqSpare = dlqUnderIf(
  "{TargetArn: !If [HasDlq, !GetAtt Dead.Arn, !GetAtt Spare.Arn]}",
  "- {Effect: Allow, Action: 'sqs:SendMessage', Resource: !GetAtt Dead.Arn}",
).replace("Dead:\n", "Spare:\n    Type: AWS::SQS::Queue\n  Dead:\n");
const telemetryOnly = cfn(
  [BASIC],
  "TracingConfig: {Mode: Active}",
  "",
  "- {Effect: Allow, Action: 'xray:PutTraceSegments', Resource: '*'}",
);

function error(code: string, at: string, message: string) {
  return { message, ...locate(code, at) };
}

/** The suggestion to attach `policy` (at `path`) to WorkerRole, whose output is `code` with `search` replaced. */
function attach(policy: string, path: string, code: string, search: string, replacement: (arn: string) => string) {
  if (!code.includes(search)) throw new Error(`test is wrong: no ${search}`);
  const arn = `arn:\${AWS::Partition}:iam::aws:policy/${path}${policy}`;
  return [{ messageId: "addManagedPolicy", data: { policy, role: "WorkerRole" }, output: code.replace(search, replacement(arn)) }];
}
const afterBasic = (code: string, policy: string, path = "service-role/") =>
  attach(policy, path, code, `ManagedPolicyArns: [${BASIC}]`, (arn) => `ManagedPolicyArns: [${BASIC}, !Sub "${arn}"]`);

templateRuleTester().run("function-config-permissions", rule as never, {
  valid: [
    { name: "the basic execution policy covers logging", filename: "template.yaml", code: cfn([BASIC], "") },
    { name: "the VPC policy covers the ENI actions", filename: "template.yaml", code: cfn([VPC_POLICY], VPC) },
    {
      name: "ENI actions scoped to the account's EC2 ARNs, DescribeNetworkInterfaces on *",
      filename: "template.yaml",
      code: cfn(
        [BASIC],
        VPC,
        "",
        "- {Effect: Allow, Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'], Resource: !Sub 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*/*'}\n- {Effect: Allow, Action: ec2:DescribeNetworkInterfaces, Resource: '*'}",
      ),
    },
    {
      name: "an EventInvokeConfig destination under Fn::If, allowed",
      filename: "template.yaml",
      code: destinationUnderIf("- {Effect: Allow, Action: 'sns:Publish', Resource: !Ref Results}"),
    },
    {
      name: "a DeadLetterConfig under Fn::If with a role that allows sqs:SendMessage on it",
      filename: "template.yaml",
      code: dlqUnderIf(DLQ_IF, "- {Effect: Allow, Action: 'sqs:SendMessage', Resource: !GetAtt Dead.Arn}"),
    },
    {
      name: "a DeadLetterConfig whose TargetArn is chosen by Fn::If, each branch allowed",
      filename: "template.yaml",
      code: dlqUnderIf(
        "{TargetArn: !If [HasDlq, !GetAtt Dead.Arn, !GetAtt Spare.Arn]}",
        "- {Effect: Allow, Action: 'sqs:SendMessage', Resource: [!GetAtt Dead.Arn, !GetAtt Spare.Arn]}",
      ).replace("Dead:\n", "Spare:\n    Type: AWS::SQS::Queue\n  Dead:\n"),
    },
    {
      name: "a VpcConfig under Fn::If is checked against the role as it is under that condition",
      filename: "template.yaml",
      code: conditionalVpc,
    },
    {
      name: "a tracing mode under Fn::If that is never Active needs no X-Ray",
      filename: "template.yaml",
      code: cfn([BASIC], "TracingConfig: {Mode: !If [InVpc, PassThrough, PassThrough]}").replace(
        "Resources:",
        "Parameters:\n  Vpc: {Type: String}\nConditions:\n  InVpc: !Equals [!Ref Vpc, 'yes']\nResources:",
      ),
    },
    {
      name: "a VpcConfig without subnets creates no ENI",
      filename: "template.yaml",
      code: cfn([BASIC], "VpcConfig: {SubnetIds: [], SecurityGroupIds: []}"),
    },
    { name: "PassThrough tracing needs nothing", filename: "template.yaml", code: cfn([BASIC], "TracingConfig: {Mode: PassThrough}") },
    {
      name: "logs on the function's own group, declared in the template, need no CreateLogGroup",
      filename: "template.yaml",
      code: cfn(
        [],
        "",
        // Named by the function's FunctionName: !Sub '/aws/lambda/${Worker}' would make a circular dependency through the role.
        "Logs:\n  Type: AWS::Logs::LogGroup\n  Properties: {LogGroupName: /aws/lambda/worker}\n",
        "- {Effect: Allow, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: !GetAtt Logs.Arn}",
      ),
    },
    {
      name: "logs granted as log-group:<name>:* with CreateLogGroup on the same pattern",
      filename: "template.yaml",
      code: cfn(
        [],
        "",
        "",
        "- {Effect: Allow, Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: !Sub 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/worker:*'}",
      ),
    },
    {
      name: "CreateLogGroup granted on <group>:log-stream:*, the ARN Lambda's access-denied message names",
      filename: "template.yaml",
      code: cfn(
        [],
        "",
        "",
        "- {Effect: Allow, Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: !Sub 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/worker:log-stream:*'}",
      ),
    },
    { name: "ignore: [Logging] skips logging", filename: "template.yaml", code: noLogs, options: [{ ignore: ["Logging"] }] },
    {
      name: "SAM's generated role gets the X-Ray policy",
      filename: "template.yaml",
      // Without Role, SAM generates WorkerRole: the template's role goes by another name.
      code: samWithRole.replace("      Role: !GetAtt WorkerRole.Arn\n", "").replace("  WorkerRole:\n", "  UnusedRole:\n"),
    },
    ...["'*'", "[Tracing]"].map((ignored) => ({
      name: `Globals' tracing does not apply to a function with IgnoreGlobals: ${ignored}`,
      filename: "template.yaml",
      code: samWithRole
        .replace("      Tracing: Active\n", "")
        .replace("Resources:", "Globals:\n  Function:\n    Tracing: Active\nResources:")
        .replace("    Type: AWS::Serverless::Function\n", `    Type: AWS::Serverless::Function\n    IgnoreGlobals: ${ignored}\n`),
    })),
    {
      name: "a role whose Properties merge a shared base (<<: *base) gets the base's policies",
      filename: "template.yaml",
      code: cfn([BASIC], "")
        .replace(
          "  WorkerRole:\n    Type: AWS::IAM::Role\n    Properties:\n",
          "  BaseRole:\n    Type: AWS::IAM::Role\n    Properties: &base\n      " +
            TRUST +
            "\n      ManagedPolicyArns: [" +
            BASIC +
            "]\n  WorkerRole:\n    Type: AWS::IAM::Role\n    Properties:\n      <<: *base\n      Path: /workers/\n",
        )
        .replace(`      ${TRUST}\n      ManagedPolicyArns: [${BASIC}]\n  Worker:`, "  Worker:"),
    },
    {
      name: "a role from another stack: silent",
      filename: "template.yaml",
      code: noLogs.replace("Role: !GetAtt WorkerRole.Arn", "Role: !ImportValue worker-role"),
    },
  ],
  invalid: [
    {
      name: "a VpcConfig under Fn::If is checked in its branch",
      filename: "template.yaml",
      code: vpcUnderIf,
      errors: [
        {
          ...error(
            vpcUnderIf,
            "VpcConfig",
            `Worker: role WorkerRole does not allow ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface on ${INTERFACES}, which its VPC configuration needs (${DEPLOY})`,
          ),
          suggestions: afterBasic(vpcUnderIf, "AWSLambdaVPCAccessExecutionRole"),
        },
        {
          ...error(
            vpcUnderIf,
            "VpcConfig",
            `Worker: role WorkerRole does not allow ec2:DescribeNetworkInterfaces on *, which its VPC configuration needs (${DEPLOY})`,
          ),
          suggestions: afterBasic(vpcUnderIf, "AWSLambdaVPCAccessExecutionRole"),
        },
      ],
    },
    {
      name: "active tracing with PutTraceSegments but not PutTelemetryRecords: deploys, without telemetry",
      filename: "template.yaml",
      code: telemetryOnly,
      errors: [
        {
          ...error(
            telemetryOnly,
            "TracingConfig",
            "Worker: role WorkerRole does not allow xray:PutTelemetryRecords on *, which its active tracing needs (the Lambda developer guide lists it among what a function needs to upload trace data to X-Ray)",
          ),
          suggestions: afterBasic(telemetryOnly, "AWSXRayDaemonWriteAccess", ""),
        },
      ],
    },
    {
      name: "a role without log permissions loses the function's logs",
      filename: "template.yaml",
      code: noLogs,
      errors: [
        {
          ...locateKey(noLogs, "Worker"),
          message:
            "Worker: role WorkerRole does not allow logs:CreateLogStream, logs:PutLogEvents, logs:CreateLogGroup on log group /aws/lambda/worker, which its CloudWatch Logs needs (its logs are silently lost)",
          suggestions: attach(
            "AWSLambdaBasicExecutionRole",
            "service-role/",
            noLogs,
            "ManagedPolicyArns: []",
            (arn) => `ManagedPolicyArns: [!Sub "${arn}"]`,
          ),
        },
      ],
    },
    {
      name: "a VPC function whose role lacks the ENI actions fails to deploy",
      filename: "template.yaml",
      code: vpcWithoutEni,
      errors: [
        {
          ...error(
            vpcWithoutEni,
            "VpcConfig",
            `Worker: role WorkerRole does not allow ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface on ${INTERFACES}, which its VPC configuration needs (${DEPLOY})`,
          ),
          suggestions: afterBasic(vpcWithoutEni, "AWSLambdaVPCAccessExecutionRole"),
        },
        {
          ...error(
            vpcWithoutEni,
            "VpcConfig",
            `Worker: role WorkerRole does not allow ec2:DescribeNetworkInterfaces on *, which its VPC configuration needs (${DEPLOY})`,
          ),
          suggestions: afterBasic(vpcWithoutEni, "AWSLambdaVPCAccessExecutionRole"),
        },
      ],
    },
    {
      name: "an explicit Deny of an ENI action names its statement",
      filename: "template.yaml",
      code: deniedEni,
      errors: [
        error(
          deniedEni,
          "VpcConfig",
          `Worker: statement 1 of inline policy "Access" of role WorkerRole explicitly denies role WorkerRole ec2:DeleteNetworkInterface on ${INTERFACES}, which its VPC configuration needs (${DEPLOY})`,
        ),
      ],
    },
    {
      name: "active tracing without X-Ray permissions loses traces",
      filename: "template.yaml",
      code: tracingWithoutXray,
      errors: [
        {
          ...error(
            tracingWithoutXray,
            "TracingConfig",
            "Worker: role WorkerRole does not allow xray:PutTraceSegments, xray:PutTelemetryRecords on *, which its active tracing needs (CloudFormation fails to create the function)",
          ),
          suggestions: afterBasic(tracingWithoutXray, "AWSXRayDaemonWriteAccess", ""),
        },
      ],
    },
    {
      name: "a DeadLetterConfig under Fn::If is checked in its branch",
      filename: "template.yaml",
      code: dlqUnderIf(DLQ_IF),
      errors: [
        error(
          dlqUnderIf(DLQ_IF),
          "DeadLetterConfig",
          `Worker: role WorkerRole does not allow sqs:SendMessage on Dead, which its dead-letter queue needs (${DEPLOY})`,
        ),
      ],
    },
    {
      name: "a DeadLetterConfig whose TargetArn is chosen by Fn::If: the branch the role does not allow",
      filename: "template.yaml",
      code: dlqSpare,
      errors: [
        error(
          dlqSpare,
          "DeadLetterConfig",
          `Worker: role WorkerRole does not allow sqs:SendMessage on Spare, which its dead-letter queue needs (${DEPLOY})`,
        ),
      ],
    },
    {
      name: "a dead-letter queue needs sqs:SendMessage",
      filename: "template.yaml",
      code: dlq,
      errors: [
        error(
          dlq,
          "DeadLetterConfig",
          `Worker: role WorkerRole does not allow sqs:SendMessage on Dead, which its dead-letter queue needs (${DEPLOY})`,
        ),
      ],
    },
    {
      name: "an EventInvokeConfig destination topic needs sns:Publish",
      filename: "template.yaml",
      code: destination,
      errors: [
        error(
          destination,
          "Async",
          "Worker: role WorkerRole does not allow sns:Publish on Results, which its OnSuccess destination needs (Lambda may reject the configuration when CloudFormation creates it; otherwise records are not delivered (DestinationDeliveryFailures))",
        ),
      ],
    },
    {
      name: "an EventInvokeConfig destination under Fn::If is checked in its branch",
      filename: "template.yaml",
      code: destinationUnderIf(),
      errors: [
        error(
          destinationUnderIf(),
          "Async",
          "Worker: role WorkerRole does not allow sns:Publish on Results, which its OnSuccess destination needs (Lambda may reject the configuration when CloudFormation creates it; otherwise records are not delivered (DestinationDeliveryFailures))",
        ),
      ],
    },
    {
      name: "a SAM function with Role is told that SAM would have added the X-Ray policy",
      filename: "template.yaml",
      code: samWithRole,
      errors: [
        {
          ...error(
            samWithRole,
            "Tracing",
            "Worker: role WorkerRole does not allow xray:PutTraceSegments, xray:PutTelemetryRecords on *, which its active tracing needs (CloudFormation fails to create the function); SAM adds AWSXrayWriteOnlyAccess only to the role it generates when the function has no Role",
          ),
          suggestions: afterBasic(samWithRole, "AWSXRayDaemonWriteAccess", ""),
        },
      ],
    },
    (() => {
      const code = samWithRole
        .replace("      Tracing: Active\n", "")
        .replace("Resources:", "Globals:\n  Function:\n    Tracing: Active\nResources:");
      return {
        name: "Globals' tracing applies to a function that does not ignore it",
        filename: "template.yaml",
        code,
        errors: [
          {
            ...error(
              code,
              "Tracing",
              "Worker: role WorkerRole does not allow xray:PutTraceSegments, xray:PutTelemetryRecords on *, which its active tracing needs (CloudFormation fails to create the function); SAM adds AWSXrayWriteOnlyAccess only to the role it generates when the function has no Role",
            ),
            suggestions: afterBasic(code, "AWSXRayDaemonWriteAccess", ""),
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
              Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST_DOCUMENT, ManagedPolicyArns: [BASIC] },
            },
            Worker: {
              Type: "AWS::Lambda::Function",
              Properties: {
                Role: { "Fn::GetAtt": ["WorkerRole", "Arn"] },
                VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-0123abcd"] },
                ...ZIP_CODE,
              },
            },
          },
        },
        null,
        2,
      );
      return {
        name: "JSON templates are reported at the VpcConfig key",
        filename: "template.json",
        code,
        errors: [
          ...[`ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface on ${INTERFACES}`, "ec2:DescribeNetworkInterfaces on *"].map(
            (missing) => ({
              ...error(
                code,
                '"VpcConfig"',
                `Worker: role WorkerRole does not allow ${missing}, which its VPC configuration needs (${DEPLOY})`,
              ),
              suggestions: attach(
                "AWSLambdaVPCAccessExecutionRole",
                "service-role/",
                code,
                `"${BASIC}"`,
                (arn) => `"${BASIC}",\n          { "Fn::Sub": "${arn}" }`,
              ),
            }),
          ),
        ],
      };
    })(),
  ],
});
