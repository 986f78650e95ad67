import { describe, expect, it } from "vitest";
import { analysisOf, ask } from "./helpers.js";
import { LAMBDA_TRUST as TRUST } from "../../rule-tester.js";

/** A template with queues Jobs (named `jobs`) and Other (generated name), a table with a stream, role Role and function Fn. */
function withRole(roleProperties: string, extraResources = "", head = ""): string {
  return `${head}Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  Other:
    Type: AWS::SQS::Queue
  Orders:
    Type: AWS::DynamoDB::Table
    Properties: {StreamSpecification: {StreamViewType: NEW_IMAGE}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
${roleProperties.replace(/^/gmu, "      ")}
${extraResources.replace(/^/gmu, "  ")}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt Role.Arn}
`;
}

function inline(statements: string): string {
  return `Policies:\n  - PolicyName: Access\n    PolicyDocument:\n      Statement:\n${statements.replace(/^/gmu, "        ")}`;
}

const POLL_JOBS = "- {Effect: Allow, Action: [sqs:ReceiveMessage, sqs:DeleteMessage], Resource: !GetAtt Jobs.Arn}";

describe("where a role's permissions come from", () => {
  it.each([
    ["an inline policy", withRole(inline(POLL_JOBS)), "allowed"],
    [
      "an AWS managed policy by literal ARN",
      withRole("ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]"),
      "allowed",
    ],
    [
      "an AWS managed policy by !Sub with the partition",
      withRole('ManagedPolicyArns: [!Sub "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]'),
      "allowed",
    ],
    [
      "an AWS managed policy by Fn::Join",
      withRole(
        'ManagedPolicyArns: [!Join ["", ["arn:", !Ref "AWS::Partition", ":iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]]]',
      ),
      "allowed",
    ],
    [
      "an AWS managed policy ARN without its service-role/ path (no such policy)",
      withRole("ManagedPolicyArns: [arn:aws:iam::aws:policy/AWSLambdaSQSQueueExecutionRole]"),
      "unknown",
    ],
    ["an unrelated AWS managed policy", withRole("ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]"), "not-granted"],
    ["a customer managed policy from another stack", withRole("ManagedPolicyArns: [arn:aws:iam::123456789012:policy/poller]"), "unknown"],
    [
      "an in-template managed policy by !Ref",
      withRole(
        "ManagedPolicyArns: [!Ref Poller]",
        `Poller:\n  Type: AWS::IAM::ManagedPolicy\n  Properties:\n    PolicyDocument:\n      Statement:\n        ${POLL_JOBS}`,
      ),
      "allowed",
    ],
    [
      "an AWS::IAM::Policy attached by Roles: [!Ref Role]",
      withRole(
        "",
        `Poller:\n  Type: AWS::IAM::Policy\n  Properties:\n    PolicyName: poll\n    Roles: [!Ref Role]\n    PolicyDocument:\n      Statement:\n        ${POLL_JOBS}`,
      ),
      "allowed",
    ],
    [
      "an AWS::IAM::Policy attached by the role's literal RoleName",
      withRole(
        "RoleName: consumer",
        `Poller:\n  Type: AWS::IAM::Policy\n  Properties:\n    PolicyName: poll\n    Roles: [consumer]\n    PolicyDocument:\n      Statement:\n        ${POLL_JOBS}`,
      ),
      "allowed",
    ],
    [
      "an AWS::IAM::RolePolicy",
      withRole(
        "",
        `Poller:\n  Type: AWS::IAM::RolePolicy\n  Properties:\n    PolicyName: poll\n    RoleName: !Ref Role\n    PolicyDocument:\n      Statement:\n        ${POLL_JOBS}`,
      ),
      "allowed",
    ],
    [
      "a policy attached to a role named by a parameter (it may be ours)",
      withRole(
        "",
        `Poller:\n  Type: AWS::IAM::Policy\n  Properties:\n    PolicyName: poll\n    Roles: [!Ref RoleName]\n    PolicyDocument:\n      Statement:\n        - {Effect: Allow, Action: s3:GetObject, Resource: "*"}`,
        "Parameters:\n  RoleName: {Type: String}\n",
      ),
      "unknown",
    ],
    [
      "a policy attached to another stack's role by literal name",
      withRole(
        "RoleName: consumer",
        `Poller:\n  Type: AWS::IAM::Policy\n  Properties:\n    PolicyName: poll\n    Roles: [someone-else]\n    PolicyDocument:\n      Statement:\n        ${POLL_JOBS}`,
      ),
      "not-granted",
    ],
  ])("%s", (_name, template, outcome) => {
    expect(ask(template, "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn").outcome).toBe(outcome);
  });

  it("a role passed in as a parameter is unknown", () => {
    const template =
      "Parameters:\n  RoleArn: {Type: String}\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Role: !Ref RoleArn}\n";
    expect(ask(template, "Fn", "sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:jobs")).toMatchObject({
      outcome: "unknown",
      reason: "role parameter RoleArn is defined outside this template",
    });
  });

  describe("permissions boundary", () => {
    it("a boundary that does not allow the action makes it not granted", () => {
      const template = withRole(`${inline(POLL_JOBS)}\nPermissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`);
      expect(ask(template, "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn")).toMatchObject({ outcome: "not-granted", boundary: true });
    });

    it("a boundary that allows it keeps it allowed", () => {
      const template = withRole(`${inline(POLL_JOBS)}\nPermissionsBoundary: arn:aws:iam::aws:policy/AmazonSQSFullAccess`);
      expect(ask(template, "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn").outcome).toBe("allowed");
    });

    it("a boundary from another stack makes an allowed action unknown", () => {
      const template = withRole(`${inline(POLL_JOBS)}\nPermissionsBoundary: arn:aws:iam::123456789012:policy/boundary`);
      const decision = ask(template, "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn");
      expect(decision).toMatchObject({
        outcome: "unknown",
        reason: 'permissions boundary "arn:aws:iam::123456789012:policy/boundary" is defined outside this template',
      });
    });
  });
});

describe("conditions", () => {
  const head = "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  Never: !Equals [a, b]\n";
  const conditionalPolicy = `Policies:\n  - !If\n    - IsProd\n    - PolicyName: Poll\n      PolicyDocument:\n        Statement:\n          ${POLL_JOBS}\n    - !Ref AWS::NoValue`;

  it("a policy inside Fn::If may grant: unknown", () => {
    expect(ask(withRole(conditionalPolicy, "", head), "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn")).toMatchObject({
      outcome: "unknown",
      reason: 'statement 1 of inline policy "Poll" of role Role may grant it (it applies only when IsProd is true)',
    });
  });

  it("a policy inside Fn::If is certain for a function under the same condition", () => {
    const template = withRole(conditionalPolicy, "", head).replace(
      "    Properties: {Role: !GetAtt Role.Arn}",
      "    Condition: IsProd\n    Properties: {Role: !GetAtt Role.Arn}",
    );
    expect(ask(template, "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn").outcome).toBe("allowed");
  });

  it("a policy resource with the function's own condition is certain; with another one it is not", () => {
    const policy = (condition: string) =>
      `Poller:\n  Type: AWS::IAM::Policy\n  Condition: ${condition}\n  Properties:\n    PolicyName: poll\n    Roles: [!Ref Role]\n    PolicyDocument:\n      Statement:\n        ${POLL_JOBS}`;
    const onFunction = (template: string) =>
      template.replace("    Properties: {Role: !GetAtt Role.Arn}", "    Condition: IsProd\n    Properties: {Role: !GetAtt Role.Arn}");
    expect(ask(onFunction(withRole("", policy("IsProd"), head)), "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn").outcome).toBe("allowed");
    expect(ask(withRole("", policy("IsProd"), head), "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn").outcome).toBe("unknown");
  });

  it("a function whose condition can never hold has no role to ask about", () => {
    const template = withRole("", "", head).replace(
      "    Properties: {Role: !GetAtt Role.Arn}",
      "    Condition: Never\n    Properties: {Role: !GetAtt Role.Arn}",
    );
    expect(analysisOf(template).functions.find((fn) => fn.logicalId === "Fn")!.candidates).toEqual([]);
  });
});

describe("SAM's generated role", () => {
  const sam = (properties: string, extra = "") => `Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
${extra}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      CodeUri: s3://bucket/key.zip
${properties.replace(/^/gmu, "      ")}
`;

  it.each([
    ["always gets AWSLambdaBasicExecutionRole", "", "logs:PutLogEvents", "*", "allowed"],
    [
      "reads a managed policy by short name",
      "Policies: [AmazonSQSReadOnlyAccess]",
      "sqs:GetQueueAttributes",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "reads a managed policy ARN",
      "Policies: [arn:aws:iam::aws:policy/AmazonSQSFullAccess]",
      "sqs:SendMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "expands a policy template with its parameters",
      "Policies:\n  - SQSPollerPolicy: {QueueName: !GetAtt Jobs.QueueName}",
      "sqs:DeleteMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "expands a policy template: a grant on one queue is not a grant on another",
      "Policies:\n  - SNSPublishMessagePolicy: {TopicName: !GetAtt Topic.TopicName}",
      "sqs:DeleteMessage",
      "!GetAtt Jobs.Arn",
      "not-granted",
    ],
    [
      "reads an inline statement",
      "Policies:\n  - Statement: [{Effect: Allow, Action: sns:Publish, Resource: !Ref Topic}]",
      "sns:Publish",
      "!Ref Topic",
      "allowed",
    ],
    [
      "adds the VPC policy for VpcConfig",
      "VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}",
      "ec2:CreateNetworkInterface",
      "*",
      "allowed",
    ],
    ["adds X-Ray for Tracing: Active", "Tracing: Active", "xray:PutTraceSegments", "*", "allowed"],
    ["adds nothing for Tracing: Disabled", "Tracing: Disabled", "xray:PutTraceSegments", "*", "not-granted"],
    [
      "adds SendMessage for an SQS dead-letter queue",
      "DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Jobs.Arn}",
      "sqs:SendMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "adds Publish for an SNS destination",
      "EventInvokeConfig:\n  DestinationConfig:\n    OnFailure: {Type: SNS, Destination: !Ref Topic}",
      "sns:Publish",
      "!Ref Topic",
      "allowed",
    ],
    [
      "adds the Kinesis policy for a Kinesis event",
      "Events:\n  S:\n    Type: Kinesis\n    Properties: {Stream: !GetAtt Stream.Arn, StartingPosition: LATEST}",
      "kinesis:GetRecords",
      "!GetAtt Stream.Arn",
      "allowed",
    ],
    [
      "an MQ event's policy grants mq:DescribeBroker on its broker",
      "Events:\n  Q:\n    Type: MQ\n    Properties: {Broker: arn:aws:mq:us-east-1:123456789012:broker:b:b-1, Queues: [q], SourceAccessConfigurations: [{Type: BASIC_AUTH, URI: !Ref Secret}]}",
      "mq:DescribeBroker",
      "arn:aws:mq:us-east-1:123456789012:broker:b:b-1",
      "allowed",
    ],
    [
      "an MQ event's policy grants nothing else",
      "Events:\n  Q:\n    Type: MQ\n    Properties: {Broker: arn:aws:mq:us-east-1:123456789012:broker:b:b-1, Queues: [q], SourceAccessConfigurations: [{Type: BASIC_AUTH, URI: !Ref Secret}]}",
      "sqs:SendMessage",
      "!GetAtt Jobs.Arn",
      "not-granted",
    ],
    [
      "a self-managed Kafka event's policy grants the secret and the VPC actions",
      "Events:\n  K:\n    Type: SelfManagedKafka\n    Properties: {KafkaBootstrapServers: ['b:9092'], Topics: [t], SourceAccessConfigurations: [{Type: SASL_SCRAM_512_AUTH, URI: !Ref Secret}, {Type: VPC_SUBNET, URI: subnet:subnet-1}, {Type: VPC_SECURITY_GROUP, URI: security_group:sg-1}]}",
      "ec2:CreateNetworkInterface",
      "*",
      "allowed",
    ],
    [
      "a self-managed Kafka event leaves other services known (an encrypted queue's kms:Decrypt)",
      "Events:\n  K:\n    Type: SelfManagedKafka\n    Properties: {KafkaBootstrapServers: ['b:9092'], Topics: [t], SourceAccessConfigurations: [{Type: SASL_SCRAM_512_AUTH, URI: !Ref Secret}]}",
      "kms:Decrypt",
      "!GetAtt Key.Arn",
      "not-granted",
    ],
    [
      "a schema registry leaves glue unknown",
      "Events:\n  K:\n    Type: SelfManagedKafka\n    Properties: {KafkaBootstrapServers: ['b:9092'], Topics: [t], SourceAccessConfigurations: [{Type: SASL_SCRAM_512_AUTH, URI: !Ref Secret}], SchemaRegistryConfig: {SchemaRegistryURI: !Ref Registry}}",
      "glue:GetRegistry",
      "*",
      "unknown",
    ],
    ["reads an unknown managed policy name as unknown", "Policies: [SomeCustomerPolicy]", "sqs:SendMessage", "!GetAtt Jobs.Arn", "unknown"],
  ])("%s", (_name, properties, action, resource, outcome) => {
    expect(ask(sam(properties), "Fn", action, resource).outcome).toBe(outcome);
  });

  it("ignores Policies when Role is given: the role's own policies decide", () => {
    const template = sam(
      "Role: !GetAtt Role.Arn\nPolicies: [AmazonSQSFullAccess]",
      `  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ${TRUST}`,
    );
    expect(ask(template, "Fn", "sqs:SendMessage", "!GetAtt Jobs.Arn").outcome).toBe("not-granted");
  });
});

describe("evaluation", () => {
  const evaluate = (statements: string, action: string, resource: string) => ask(withRole(inline(statements)), "Fn", action, resource);

  it.each([
    [
      "actions match case-insensitively",
      "- {Effect: Allow, Action: SQS:receivemessage, Resource: '*'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "action wildcards match",
      "- {Effect: Allow, Action: 'sqs:Receive*', Resource: '*'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "? matches one character",
      "- {Effect: Allow, Action: 'sqs:?eceiveMessage', Resource: '*'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "NotAction grants everything else",
      "- {Effect: Allow, NotAction: 'iam:*', Resource: '*'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "NotAction excludes what it lists",
      "- {Effect: Allow, NotAction: 'sqs:*', Resource: '*'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "not-granted",
    ],
    [
      "NotResource grants other resources: a generated name is never a name the template writes",
      "- {Effect: Allow, Action: 'sqs:*', NotResource: !GetAtt Other.Arn}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "a generated name never equals a name written as text",
      "- {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:123456789012:jobs'}",
      "sqs:ReceiveMessage",
      "!GetAtt Other.Arn",
      "not-granted",
    ],
    [
      "a generated name may match a name built from the stack's name",
      "- {Effect: Allow, Action: 'sqs:*', Resource: !Sub 'arn:aws:sqs:us-east-1:123456789012:${AWS::StackName}-Other-1A2B3C'}",
      "sqs:ReceiveMessage",
      "!GetAtt Other.Arn",
      "unknown",
    ],
    [
      "a generated name may match a wildcard in its segment",
      "- {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:123456789012:orders-*'}",
      "sqs:ReceiveMessage",
      "!GetAtt Other.Arn",
      "unknown",
    ],
    [
      "NotResource excludes the resource it names",
      "- {Effect: Allow, Action: 'sqs:*', NotResource: !GetAtt Jobs.Arn}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "not-granted",
    ],
    [
      "an explicit Deny wins",
      "- {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n- {Effect: Deny, Action: sqs:ReceiveMessage, Resource: !GetAtt Jobs.Arn}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "denied",
    ],
    [
      "a Deny elsewhere does not apply",
      "- {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n- {Effect: Deny, Action: sqs:ReceiveMessage, Resource: arn:aws:sqs:*:*:archive}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "a Condition we cannot prove makes an Allow unknown",
      "- {Effect: Allow, Action: 'sqs:*', Resource: '*', Condition: {StringEquals: {aws:SourceVpc: vpc-1}}}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "unknown",
    ],
    [
      "a conditional Deny makes an Allow unknown",
      "- {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n- {Effect: Deny, Action: 'sqs:*', Resource: '*', Condition: {Bool: {aws:SecureTransport: false}}}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "unknown",
    ],
    [
      "a Sub ARN equals the GetAtt ARN",
      "- {Effect: Allow, Action: 'sqs:*', Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Jobs.QueueName}'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "a Sub ARN with the queue's literal name equals the GetAtt ARN",
      "- {Effect: Allow, Action: 'sqs:*', Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "allowed",
    ],
    [
      "Ref of a queue is its URL, which no ARN pattern matches",
      "- {Effect: Allow, Action: 'sqs:*', Resource: !Ref Jobs}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "not-granted",
    ],
    [
      "a grant on the table does not cover its stream",
      "- {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Orders.Arn}",
      "dynamodb:GetRecords",
      "!GetAtt Orders.StreamArn",
      "not-granted",
    ],
    [
      "a grant on table/*/stream/* covers the stream",
      "- {Effect: Allow, Action: 'dynamodb:*', Resource: !Sub '${Orders.Arn}/stream/*'}",
      "dynamodb:GetRecords",
      "!GetAtt Orders.StreamArn",
      "allowed",
    ],
    [
      "a wildcard ARN covers a literal ARN",
      "- {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:*:*:jobs-*'}",
      "sqs:ReceiveMessage",
      "arn:aws:sqs:eu-west-1:123456789012:jobs-high",
      "allowed",
    ],
    [
      "a wildcard ARN that cannot match a literal ARN",
      "- {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:*:*:jobs-*'}",
      "sqs:ReceiveMessage",
      "arn:aws:sqs:eu-west-1:123456789012:mail",
      "not-granted",
    ],
    [
      "ARNs are case-sensitive",
      "- {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:*:*:JOBS'}",
      "sqs:ReceiveMessage",
      "arn:aws:sqs:eu-west-1:123456789012:jobs",
      "not-granted",
    ],
    [
      "a literal ARN against a deploy-time ARN cannot be decided",
      "- {Effect: Allow, Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:123456789012:jobs'}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "unknown",
    ],
    [
      "an import equals only the same import",
      "- {Effect: Allow, Action: 'sqs:*', Resource: !ImportValue jobs-arn}",
      "sqs:ReceiveMessage",
      "!ImportValue jobs-arn",
      "allowed",
    ],
    [
      "an import against another value cannot be decided",
      "- {Effect: Allow, Action: 'sqs:*', Resource: !ImportValue jobs-arn}",
      "sqs:ReceiveMessage",
      "!GetAtt Jobs.Arn",
      "unknown",
    ],
  ])("%s", (_name, statements, action, resource, outcome) => {
    expect(evaluate(statements, action, resource).outcome).toBe(outcome);
  });
});

describe("explanations", () => {
  it("name the deciding statement, policy and role", () => {
    expect(ask(withRole(inline(POLL_JOBS)), "Fn", "sqs:ReceiveMessage", "!GetAtt Jobs.Arn").explanation).toBe(
      'role Role allows sqs:ReceiveMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs through statement 1 of inline policy "Access" of role Role',
    );
  });

  it("say which statement denies", () => {
    const template = withRole(inline(`${POLL_JOBS}\n- {Effect: Deny, Action: 'sqs:Delete*', Resource: '*'}`));
    expect(ask(template, "Fn", "sqs:DeleteMessage", "!GetAtt Jobs.Arn").explanation).toBe(
      'role Role explicitly denies sqs:DeleteMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs in statement 2 of inline policy "Access" of role Role',
    );
  });

  it("show what the role grants instead when it does not grant the question", () => {
    expect(ask(withRole(inline(POLL_JOBS)), "Fn", "sqs:ReceiveMessage", "!GetAtt Other.Arn").explanation).toBe(
      'role Role does not allow sqs:ReceiveMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Other.Name} (statement 1 of inline policy "Access" of role Role grants sqs:ReceiveMessage, sqs:DeleteMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs)',
    );
    expect(ask(withRole(inline(POLL_JOBS)), "Fn", "sqs:SendMessage", "!GetAtt Jobs.Arn").explanation).toBe(
      'role Role does not allow sqs:SendMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs (statement 1 of inline policy "Access" of role Role grants sqs:ReceiveMessage, sqs:DeleteMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs)',
    );
  });
});

describe("JSON templates", () => {
  const template = JSON.stringify(
    {
      Resources: {
        Jobs: { Type: "AWS::SQS::Queue" },
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            AssumeRolePolicyDocument: {},
            ManagedPolicyArns: [{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }],
            Policies: [
              {
                PolicyName: "Poll",
                PolicyDocument: {
                  Statement: [{ Effect: "Allow", Action: ["sqs:ReceiveMessage"], Resource: { "Fn::GetAtt": ["Jobs", "Arn"] } }],
                },
              },
            ],
          },
        },
        Fn: { Type: "AWS::Lambda::Function", Properties: { Role: { "Fn::GetAtt": ["Role", "Arn"] } } },
      },
    },
    null,
    2,
  );

  it.each([
    ["sqs:ReceiveMessage", "!GetAtt Jobs.Arn", "allowed"],
    ["sqs:DeleteMessage", "!GetAtt Jobs.Arn", "not-granted"],
    ["logs:CreateLogGroup", "*", "allowed"],
  ])("%s on %s is %s", (action, resource, outcome) => {
    expect(ask(template, "Fn", action, resource).outcome).toBe(outcome);
  });
});

describe("SAM connectors", () => {
  const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt Role.Arn}
    Connectors:
      ToJobs:
        Properties:
          Destination: {Id: Jobs}
          Permissions: [Write]
`;

  it("make the role's permissions for the connected service unknown", () => {
    expect(ask(template, "Fn", "sqs:SendMessage", "!GetAtt Jobs.Arn")).toMatchObject({
      outcome: "unknown",
      reason: "SAM connector Fn.ToJobs adds policies that are not modelled",
    });
  });

  it("leave other services as they are", () => {
    expect(ask(template, "Fn", "logs:CreateLogStream", "*").outcome).toBe("not-granted");
  });
});
