import rule from "../../src/rules/event-source-permissions.js";
import { LAMBDA_TRUST_DOCUMENT, ZIP_CODE, locate, templateRuleTester, LAMBDA_TRUST as TRUST, indent } from "../rule-tester.js";

const LOGS = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/** A plain CloudFormation template: role ConsumerRole (with `roleLines`), function Consumer, and `resources`. */
function cfn(roleLines: string, resources: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ConsumerRole:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
      ManagedPolicyArns: [${LOGS}]
${indent(roleLines, 6)}
  Consumer:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt ConsumerRole.Arn
${indent(resources, 2)}`;
}

function inline(statements: string): string {
  return `Policies:\n  - PolicyName: Access\n    PolicyDocument:\n      Statement:\n${indent(statements, 8)}`;
}

const QUEUE = "Jobs:\n  Type: AWS::SQS::Queue\n";
const SQS_MAPPING =
  "JobsMapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties:\n    FunctionName: !Ref Consumer\n    EventSourceArn: !GetAtt Jobs.Arn\n";
const siblingGrant = cfn(
  inline("- {Effect: Allow, Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: !GetAtt Other.Arn}"),
  QUEUE + "Other:\n  Type: AWS::SQS::Queue\n" + SQS_MAPPING,
);
const SQS_CONSEQUENCE = "CloudFormation fails to create the mapping";

function error(code: string, at: string, message: string, nth = 0) {
  return { message, ...locate(code, at, nth) };
}

const managedArn = (name: string) => `arn:\${AWS::Partition}:iam::aws:policy/service-role/${name}`;

/** The suggestion to attach `policy` to `role`, whose output is `code` with `search` replaced. */
function attach(policy: string, role: string, code: string, search: string, replacement: string) {
  if (!code.includes(search)) throw new Error(`test is wrong: no ${search}`);
  return [{ messageId: "addManagedPolicy", data: { policy, role }, output: code.replace(search, replacement) }];
}
const inFlowList = (code: string, policy: string) =>
  attach(policy, "ConsumerRole", code, `ManagedPolicyArns: [${LOGS}]`, `ManagedPolicyArns: [${LOGS}, !Sub "${managedArn(policy)}"]`);

const missingSqs = cfn(inline("- {Effect: Allow, Action: sqs:ReceiveMessage, Resource: !GetAtt Jobs.Arn}"), QUEUE + SQS_MAPPING);
const deniedSqs = cfn(
  "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]\n" +
    inline("- {Effect: Deny, Action: 'sqs:Delete*', Resource: '*'}"),
  QUEUE + SQS_MAPPING,
).replace(`      ManagedPolicyArns: [${LOGS}]\n`, "");
const tableGrant = cfn(
  inline("- {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Orders.Arn}"),
  "Orders:\n  Type: AWS::DynamoDB::Table\n  Properties:\n    KeySchema: [{AttributeName: id, KeyType: HASH}]\n    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n    BillingMode: PAY_PER_REQUEST\n    StreamSpecification: {StreamViewType: NEW_IMAGE}\nOrdersMapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties:\n    FunctionName: !GetAtt Consumer.Arn\n    EventSourceArn: !GetAtt Orders.StreamArn\n    StartingPosition: LATEST\n",
);
/** A key policy that lets IAM policies of the account grant access to the key (the default key policy). */
const ROOT_KEY_POLICY =
  "{Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}";
const encryptedQueue = cfn(
  "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]",
  `Key:\n  Type: AWS::KMS::Key\n  Properties: {KeyPolicy: ${ROOT_KEY_POLICY}}\nJobs:\n  Type: AWS::SQS::Queue\n  Properties: {KmsMasterKeyId: !Ref Key}\n` +
    SQS_MAPPING,
).replace(`      ManagedPolicyArns: [${LOGS}]\n`, "");
/** The encrypted queue with the key policy `statements` (YAML flow items) and the role granting kms:Decrypt by IAM. */
const keyPolicyQueue = (statements: string) =>
  encryptedQueue
    .replace(`KeyPolicy: ${ROOT_KEY_POLICY}`, `KeyPolicy: {Statement: [${statements}]}`)
    .replace(
      "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]",
      "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]\n      Policies: [{PolicyName: decrypt, PolicyDocument: {Statement: [{Effect: Allow, Action: 'kms:Decrypt', Resource: !GetAtt Key.Arn}]}}]",
    );
/** The ways a queue can name its key: through the key, an alias of the template, or an ARN built from either. */
const KEY_NAMES = [
  "!GetAtt Key.KeyId",
  "!Ref KeyAlias",
  "alias/jobs",
  "!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}'",
  "!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:${KeyAlias}'",
  "!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/jobs'",
];
/** `code` with its queue's key named by `name`, and alias `alias/jobs` of the key. */
const keyNamedBy = (code: string, name: string) =>
  code
    .replace("KmsMasterKeyId: !Ref Key", `KmsMasterKeyId: ${name}`)
    .replace("Jobs:\n", "KeyAlias:\n    Type: AWS::KMS::Alias\n    Properties: {AliasName: alias/jobs, TargetKeyId: !Ref Key}\n  Jobs:\n");
const kinesisWithDestination = cfn(
  "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole]",
  "Stream:\n  Type: AWS::Kinesis::Stream\n  Properties: {ShardCount: 1}\nFailures:\n  Type: AWS::SQS::Queue\nStreamMapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties:\n    FunctionName: !Ref Consumer\n    EventSourceArn: !GetAtt Stream.Arn\n    StartingPosition: LATEST\n    DestinationConfig: {OnFailure: {Destination: !GetAtt Failures.Arn}}\n",
).replace(`      ManagedPolicyArns: [${LOGS}]\n`, "");

const sam = (properties: string) => `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      ${TRUST}
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
${indent(properties, 6)}
      Events:
        Poll:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn}
`;

/** A Kinesis mapping through enhanced fan-out consumer `source`, with a role granting `statements`. */
const fanOut = (statements: string, source = "!GetAtt Fanout.ConsumerARN") =>
  cfn(
    inline(statements),
    "Stream:\n  Type: AWS::Kinesis::Stream\n  Properties: {ShardCount: 1}\nFanout:\n  Type: AWS::Kinesis::StreamConsumer\n  Properties: {StreamARN: !GetAtt Stream.Arn, ConsumerName: fanout}\n" +
      `StreamMapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties:\n    FunctionName: !Ref Consumer\n    EventSourceArn: ${source}\n    StartingPosition: LATEST\n`,
  );
const STREAM_READ =
  "{Effect: Allow, Action: ['kinesis:DescribeStream', 'kinesis:GetRecords', 'kinesis:GetShardIterator'], Resource: !GetAtt Stream.Arn}";
const SUBSCRIBE = "{Effect: Allow, Action: ['kinesis:SubscribeToShard'], Resource: !GetAtt Fanout.ConsumerARN}";
const ENI =
  "'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'";
/** An MSK mapping on a cluster of `clusterType`, whose role grants DescribeCluster (not V2), the brokers and the ENI actions. */
const mskMapping = (clusterType: string) =>
  cfn(
    inline(`- {Effect: Allow, Action: ['kafka:DescribeCluster', 'kafka:GetBootstrapBrokers', ${ENI}], Resource: '*'}`),
    `Cluster:\n  Type: ${clusterType}\n  Properties: ${MSK_PROPERTIES[clusterType]}\nClusterMapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties: {FunctionName: !Ref Consumer, EventSourceArn: !Ref Cluster, Topics: [orders], StartingPosition: LATEST}\n`,
  );
/** What each kind of MSK cluster needs to deploy, beside the mapping's concern. */
const MSK_PROPERTIES: Record<string, string> = {
  "AWS::MSK::Cluster":
    "{ClusterName: orders, KafkaVersion: 3.6.0, NumberOfBrokerNodes: 2, BrokerNodeGroupInfo: {InstanceType: kafka.m5.large, ClientSubnets: [subnet-0a1, subnet-0b2]}}",
  "AWS::MSK::ServerlessCluster":
    "{ClusterName: orders, ClientAuthentication: {Sasl: {Iam: {Enabled: true}}}, VpcConfigs: [{SubnetIds: [subnet-0a1, subnet-0b2]}]}",
};
/** An MQ mapping on a broker with `PubliclyAccessible: publicly`, whose role grants the broker and the secret. */
const mqMapping = (publicly: string) =>
  cfn(
    inline(
      "- {Effect: Allow, Action: 'mq:DescribeBroker', Resource: !Ref Broker}\n- {Effect: Allow, Action: 'secretsmanager:GetSecretValue', Resource: !Ref Secret}",
    ),
    `Secret:\n  Type: AWS::SecretsManager::Secret\nBroker:\n  Type: AWS::AmazonMQ::Broker\n  Properties: {PubliclyAccessible: ${publicly}, BrokerName: orders, EngineType: ACTIVEMQ, DeploymentMode: SINGLE_INSTANCE, HostInstanceType: mq.t3.micro, Users: [{Username: lambda, Password: '{{resolve:secretsmanager:mq}}'}]}\nBrokerMapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties: {FunctionName: !Ref Consumer, EventSourceArn: !Ref Broker, Queues: [orders], SourceAccessConfigurations: [{Type: BASIC_AUTH, URI: !Ref Secret}]}\n`,
  );
const samWithRole = sam("Role: !GetAtt ExecutionRole.Arn");
/** SAM's generated role, with a self-managed Kafka event beside the SQS event, on a queue encrypted with a customer managed key. */
const kafkaAndEncryptedQueue = sam("Policies: [AWSLambdaBasicExecutionRole]")
  .replace(
    "  Jobs:\n    Type: AWS::SQS::Queue\n",
    `  Key:\n    Type: AWS::KMS::Key\n    Properties: {KeyPolicy: ${ROOT_KEY_POLICY}}\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties: {KmsMasterKeyId: !Ref Key}\n  Secret:\n    Type: AWS::SecretsManager::Secret\n`,
  )
  .concat(
    "        Kafka:\n          Type: SelfManagedKafka\n          Properties: {KafkaBootstrapServers: ['broker:9092'], Topics: [orders], SourceAccessConfigurations: [{Type: SASL_SCRAM_512_AUTH, URI: !Ref Secret}]}\n",
  );

templateRuleTester().run("event-source-permissions", rule as never, {
  valid: [
    {
      name: "the SQS managed policy covers an SQS mapping",
      filename: "template.yaml",
      code: cfn("ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]", QUEUE + SQS_MAPPING).replace(
        `      ManagedPolicyArns: [${LOGS}]\n`,
        "",
      ),
    },
    {
      name: "an inline statement on the queue's Sub ARN covers it",
      filename: "template.yaml",
      code: cfn(
        inline(
          "- {Effect: Allow, Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Jobs.QueueName}'}",
        ),
        QUEUE + SQS_MAPPING,
      ),
    },
    {
      name: "SAM adds the SQS policy to the role it generates",
      filename: "template.yaml",
      code: sam("Policies: [AWSLambdaBasicExecutionRole]"),
    },
    {
      name: "a role from another stack cannot be checked: silent",
      filename: "template.yaml",
      code: cfn("", QUEUE + SQS_MAPPING).replace("Role: !GetAtt ConsumerRole.Arn", "Role: !ImportValue consumer-role"),
    },
    {
      name: "a statement with a Condition cannot be proven: silent",
      filename: "template.yaml",
      code: cfn(
        inline("- {Effect: Allow, Action: 'sqs:*', Resource: '*', Condition: {StringEquals: {aws:SourceAccount: '123456789012'}}}"),
        QUEUE + SQS_MAPPING,
      ),
    },
    {
      name: "a queue encrypted with the AWS managed key needs no kms:Decrypt",
      filename: "template.yaml",
      code: encryptedQueue.replace("KmsMasterKeyId: !Ref Key", "KmsMasterKeyId: alias/aws/sqs"),
    },
    {
      name: "a grant on the table's streams covers a DynamoDB stream mapping",
      filename: "template.yaml",
      code: tableGrant.replace("Resource: !GetAtt Orders.Arn", "Resource: !Sub '${Orders.Arn}/stream/*'"),
    },
    {
      name: "enhanced fan-out: stream actions on the stream, SubscribeToShard on the consumer",
      filename: "template.yaml",
      code: fanOut(`- ${STREAM_READ}\n- ${SUBSCRIBE}`),
    },
    {
      name: "enhanced fan-out through a consumer ARN written as text",
      filename: "template.yaml",
      code: fanOut(
        `- ${STREAM_READ}\n- {Effect: Allow, Action: 'kinesis:SubscribeToShard', Resource: !Sub 'arn:\${AWS::Partition}:kinesis:\${AWS::Region}:\${AWS::AccountId}:stream/\${Stream}/consumer/*'}`,
        "!Sub 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${Stream}/consumer/fanout:1700000000'",
      ),
    },
    {
      name: "enhanced fan-out through !GetAtt Consumer.ConsumerARN, SubscribeToShard on the stream's consumers",
      filename: "template.yaml",
      code: fanOut(`- ${STREAM_READ}\n- {Effect: Allow, Action: 'kinesis:SubscribeToShard', Resource: !Sub '\${Stream.Arn}/consumer/*'}`),
    },
    {
      name: "enhanced fan-out through !Ref of the consumer (its ARN), SubscribeToShard on the consumer",
      filename: "template.yaml",
      code: fanOut(`- ${STREAM_READ}\n- ${SUBSCRIBE}`, "!Ref Fanout"),
    },
    ...KEY_NAMES.map((name) => ({
      name: `a queue whose key is named by ${name}, with kms:Decrypt granted on the key`,
      filename: "template.yaml",
      code: keyNamedBy(keyPolicyQueue("{Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: 'kms:*', Resource: '*'}"), name),
    })),
    {
      name: "a queue whose key is an alias of another account: not the template's key, never guessed",
      filename: "template.yaml",
      code: keyNamedBy(encryptedQueue, "arn:aws:kms:us-east-1:999999999999:alias/jobs"),
    },
    {
      name: "a key policy that allows the role kms:Decrypt grants it without any IAM policy",
      filename: "template.yaml",
      code: encryptedQueue.replace(
        `KeyPolicy: ${ROOT_KEY_POLICY}`,
        "KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !GetAtt ConsumerRole.Arn}, Action: ['kms:Decrypt'], Resource: '*'}]}",
      ),
    },
    {
      name: "the account-root statement lets the role's IAM grant count",
      filename: "template.yaml",
      code: keyPolicyQueue("{Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: 'kms:*', Resource: '*'}"),
    },
    {
      name: "a key policy principal we cannot read may be the role: silent",
      filename: "template.yaml",
      code: keyPolicyQueue("{Effect: Allow, Principal: {AWS: !ImportValue admin-role}, Action: 'kms:*', Resource: '*'}"),
    },
    {
      name: "a provisioned MSK cluster: kafka:DescribeCluster is enough",
      filename: "template.yaml",
      code: mskMapping("AWS::MSK::Cluster"),
    },
    { name: "a publicly accessible MQ broker needs no network-interface actions", filename: "template.yaml", code: mqMapping("true") },
    { name: "a file that is not a template", filename: "values.yaml", code: "replicas: 2\n" },
    {
      name: "a grant on a parameter's queue may be the mapping's queue: silent",
      filename: "template.yaml",
      code: siblingGrant
        .replace("Resource: !GetAtt Other.Arn", "Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}'")
        .replace("Resources:", "Parameters:\n  QueueName: {Type: String}\nResources:"),
    },
  ],
  invalid: [
    {
      name: "a grant on the queue next to the mapping's queue (both names generated) does not cover it",
      filename: "template.yaml",
      code: siblingGrant,
      errors: [
        {
          ...error(
            siblingGrant,
            "JobsMapping",
            `JobsMapping: role ConsumerRole of Consumer does not allow sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes on Jobs, which an SQS event source mapping needs (${SQS_CONSEQUENCE})`,
          ),
          suggestions: inFlowList(siblingGrant, "AWSLambdaSQSQueueExecutionRole"),
        },
      ],
    },
    {
      name: "an SQS mapping whose role lacks DeleteMessage and GetQueueAttributes is reported at the mapping",
      filename: "template.yaml",
      code: missingSqs,
      errors: [
        {
          ...error(
            missingSqs,
            "JobsMapping",
            `JobsMapping: role ConsumerRole of Consumer does not allow sqs:DeleteMessage, sqs:GetQueueAttributes on Jobs, which an SQS event source mapping needs (${SQS_CONSEQUENCE})`,
          ),
          suggestions: inFlowList(missingSqs, "AWSLambdaSQSQueueExecutionRole"),
        },
      ],
    },
    {
      name: "an explicit Deny names its statement",
      filename: "template.yaml",
      code: deniedSqs,
      errors: [
        error(
          deniedSqs,
          "JobsMapping",
          `JobsMapping: statement 1 of inline policy "Access" of role ConsumerRole explicitly denies role ConsumerRole of Consumer sqs:DeleteMessage on Jobs, which an SQS event source mapping needs (${SQS_CONSEQUENCE})`,
        ),
      ],
    },
    {
      name: "a grant on the table does not cover its stream",
      filename: "template.yaml",
      code: tableGrant,
      errors: [
        {
          ...error(
            tableGrant,
            "OrdersMapping",
            `OrdersMapping: role ConsumerRole of Consumer does not allow dynamodb:DescribeStream, dynamodb:GetRecords, dynamodb:GetShardIterator on Orders, which a DynamoDB stream event source mapping needs (${SQS_CONSEQUENCE})`,
          ),
          suggestions: inFlowList(tableGrant, "AWSLambdaDynamoDBExecutionRole"),
        },
      ],
    },
    (() => {
      const code = fanOut(`- ${STREAM_READ}`);
      return {
        name: "enhanced fan-out without SubscribeToShard on the consumer",
        filename: "template.yaml",
        code,
        errors: [
          {
            ...error(
              code,
              "StreamMapping",
              "StreamMapping: role ConsumerRole of Consumer does not allow kinesis:SubscribeToShard on Fanout, which a Kinesis event source mapping needs (Lambda cannot subscribe to the stream's shards through the consumer)",
            ),
            suggestions: inFlowList(code, "AWSLambdaKinesisExecutionRole"),
          },
        ],
      };
    })(),
    (() => {
      const code = fanOut(
        "- {Effect: Allow, Action: ['kinesis:DescribeStream', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:SubscribeToShard'], Resource: !GetAtt Stream.Arn}",
      );
      return {
        name: "enhanced fan-out through !GetAtt Consumer.ConsumerARN: SubscribeToShard granted on the stream only",
        filename: "template.yaml",
        code,
        errors: [
          {
            ...error(
              code,
              "StreamMapping",
              "StreamMapping: role ConsumerRole of Consumer does not allow kinesis:SubscribeToShard on Fanout, which a Kinesis event source mapping needs (Lambda cannot subscribe to the stream's shards through the consumer)",
            ),
            suggestions: inFlowList(code, "AWSLambdaKinesisExecutionRole"),
          },
        ],
      };
    })(),
    (() => {
      const code = fanOut(
        "- {Effect: Allow, Action: ['kinesis:DescribeStream', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:SubscribeToShard'], Resource: !Sub 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${Stream}/consumer/*'}",
      );
      return {
        name: "enhanced fan-out: stream actions granted on the consumer do not cover the stream",
        filename: "template.yaml",
        code,
        errors: [
          {
            ...error(
              code,
              "StreamMapping",
              `StreamMapping: role ConsumerRole of Consumer does not allow kinesis:DescribeStream, kinesis:GetRecords, kinesis:GetShardIterator on Stream, which a Kinesis event source mapping needs (${SQS_CONSEQUENCE})`,
            ),
            suggestions: inFlowList(code, "AWSLambdaKinesisExecutionRole"),
          },
        ],
      };
    })(),
    (() => {
      const code = mskMapping("AWS::MSK::ServerlessCluster");
      return {
        name: "a serverless MSK cluster needs kafka:DescribeClusterV2",
        filename: "template.yaml",
        code,
        errors: [
          {
            ...error(
              code,
              "ClusterMapping",
              "ClusterMapping: role ConsumerRole of Consumer does not allow kafka:DescribeClusterV2 on Cluster, which an Amazon MSK event source mapping needs (the mapping cannot read its source)",
            ),
            suggestions: inFlowList(code, "AWSLambdaMSKExecutionRole"),
          },
        ],
      };
    })(),
    (() => {
      const code = mqMapping("false");
      return {
        name: "an MQ broker in a VPC needs the network-interface actions",
        filename: "template.yaml",
        code,
        errors: [
          error(
            code,
            "BrokerMapping",
            "BrokerMapping: role ConsumerRole of Consumer does not allow ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface, ec2:DescribeVpcs, ec2:DescribeSubnets, ec2:DescribeSecurityGroups on *, which an Amazon MQ event source mapping needs (the mapping cannot read its source)",
          ),
        ],
      };
    })(),
    {
      name: "a self-managed Kafka event leaves the generated role's other grants known: the encrypted queue's kms:Decrypt is missing",
      filename: "template.yaml",
      code: kafkaAndEncryptedQueue,
      errors: [
        error(
          kafkaAndEncryptedQueue,
          "Poll",
          "Consumer.Events.Poll: role ConsumerRole (generated by SAM) of Consumer does not allow kms:Decrypt on the KMS key of Jobs, which an SQS event source mapping needs (the mapping is created, but Lambda cannot decrypt the records it reads)",
        ),
      ],
    },
    (() => {
      const code = keyPolicyQueue(
        "{Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/key-admin'}, Action: 'kms:*', Resource: '*'}",
      );
      return {
        name: "a key policy with neither the role nor the account root makes the role's IAM grant void",
        filename: "template.yaml",
        code,
        errors: [
          error(
            code,
            "JobsMapping",
            "JobsMapping: role ConsumerRole of Consumer cannot use kms:Decrypt on the KMS key of Jobs, which an SQS event source mapping needs (the mapping is created, but Lambda cannot decrypt the records it reads): the key policy of Key neither allows the role nor lets IAM policies grant access to the key",
          ),
        ],
      };
    })(),
    (() => {
      const code = keyPolicyQueue(
        "{Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: 'kms:*', Resource: '*'}, {Effect: Deny, Principal: '*', Action: 'kms:Decrypt', Resource: '*'}",
      );
      return {
        name: "a Deny in the key policy names its statement",
        filename: "template.yaml",
        code,
        errors: [
          error(
            code,
            "JobsMapping",
            "JobsMapping: statement 2 of the key policy of Key explicitly denies role ConsumerRole of Consumer kms:Decrypt on the KMS key of Jobs, which an SQS event source mapping needs (the mapping is created, but Lambda cannot decrypt the records it reads)",
          ),
        ],
      };
    })(),
    ...KEY_NAMES.map((name) => {
      const code = keyNamedBy(encryptedQueue, name);
      return {
        name: `a queue whose key is named by ${name} needs kms:Decrypt on that key`,
        filename: "template.yaml",
        code,
        errors: [
          error(
            code,
            "JobsMapping",
            "JobsMapping: role ConsumerRole of Consumer does not allow kms:Decrypt on the KMS key of Jobs, which an SQS event source mapping needs (the mapping is created, but Lambda cannot decrypt the records it reads)",
          ),
        ],
      };
    }),
    {
      name: "a queue encrypted with a customer managed key needs kms:Decrypt on the key",
      filename: "template.yaml",
      code: encryptedQueue,
      errors: [
        error(
          encryptedQueue,
          "JobsMapping",
          "JobsMapping: role ConsumerRole of Consumer does not allow kms:Decrypt on the KMS key of Jobs, which an SQS event source mapping needs (the mapping is created, but Lambda cannot decrypt the records it reads)",
        ),
      ],
    },
    {
      name: "a Kinesis mapping's OnFailure queue needs sqs:SendMessage",
      filename: "template.yaml",
      code: kinesisWithDestination,
      errors: [
        error(
          kinesisWithDestination,
          "StreamMapping",
          `StreamMapping: role ConsumerRole of Consumer does not allow sqs:SendMessage on Failures, which a Kinesis event source mapping needs (records that fail processing are not sent to the OnFailure destination)`,
        ),
      ],
    },
    {
      name: "a SAM SQS event with an explicit Role says that SAM would have added the policy",
      filename: "template.yaml",
      code: samWithRole,
      errors: [
        {
          ...error(
            samWithRole,
            "Poll",
            `Consumer.Events.Poll: role ExecutionRole of Consumer does not allow sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes on Jobs, which an SQS event source mapping needs (${SQS_CONSEQUENCE}); SAM adds AWSLambdaSQSQueueExecutionRole only to the role it generates when the function has no Role`,
          ),
          // The role has no ManagedPolicyArns yet: the suggestion adds the key under its Properties.
          suggestions: attach(
            "AWSLambdaSQSQueueExecutionRole",
            "ExecutionRole",
            samWithRole,
            `      ${TRUST}\n  Consumer:`,
            `      ${TRUST}\n      ManagedPolicyArns:\n        - !Sub ${managedArn("AWSLambdaSQSQueueExecutionRole")}\n  Consumer:`,
          ),
        },
      ],
    },
    {
      name: "reportUnverifiable notes what cannot be checked",
      filename: "template.yaml",
      code: cfn("", QUEUE + SQS_MAPPING).replace("Role: !GetAtt ConsumerRole.Arn", "Role: !ImportValue consumer-role"),
      options: [{ reportUnverifiable: true }],
      errors: [
        {
          message:
            "JobsMapping: cannot verify that role !ImportValue consumer-role allows sqs:ReceiveMessage on Jobs: role !ImportValue consumer-role is defined outside this template",
        },
      ],
    },
    (() => {
      const code = JSON.stringify(
        {
          Resources: {
            Jobs: { Type: "AWS::SQS::Queue" },
            ConsumerRole: {
              Type: "AWS::IAM::Role",
              Properties: { AssumeRolePolicyDocument: LAMBDA_TRUST_DOCUMENT, ManagedPolicyArns: [LOGS] },
            },
            Consumer: {
              Type: "AWS::Lambda::Function",
              Properties: { Role: { "Fn::GetAtt": ["ConsumerRole", "Arn"] }, ...ZIP_CODE },
            },
            JobsMapping: {
              Type: "AWS::Lambda::EventSourceMapping",
              Properties: { FunctionName: { Ref: "Consumer" }, EventSourceArn: { "Fn::GetAtt": ["Jobs", "Arn"] } },
            },
          },
        },
        null,
        2,
      );
      return {
        name: "JSON templates are reported at the mapping's key",
        filename: "template.json",
        code,
        errors: [
          {
            ...error(
              code,
              '"JobsMapping"',
              `JobsMapping: role ConsumerRole of Consumer does not allow sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes on Jobs, which an SQS event source mapping needs (${SQS_CONSEQUENCE})`,
            ),
            // A multi-line JSON array gets the new entry on a line of its own, indented like the others.
            suggestions: attach(
              "AWSLambdaSQSQueueExecutionRole",
              "ConsumerRole",
              code,
              `"${LOGS}"`,
              `"${LOGS}",\n          { "Fn::Sub": "${managedArn("AWSLambdaSQSQueueExecutionRole")}" }`,
            ),
          },
        ],
      };
    })(),
  ],
});

/**
 * Across accounts: the consuming template (the code under test) is placed in account 111111111111, the
 * fixture's queues and stream in account 222222222222, as a project says in its ESLint settings.
 */
const SOURCES = "tests/fixtures/cross-account-sources/sources";
const consumerTemplate = "tests/fixtures/cross-account-sources/consumer/template.yaml";
const accounts = { [consumerTemplate]: "111111111111", [`${SOURCES}/template.yaml`]: "222222222222" };
const crossAccount = { "lambda-iam": { accounts } };

/** A consumer whose role (named `roleName`, or by CloudFormation) allows every read action, with a mapping on another account's `arn`. */
function consumer(arn: string, roleName: string | null = "consumer-fn"): string {
  return cfn(
    (roleName ? `RoleName: ${roleName}\n` : "") + inline("- {Effect: Allow, Action: ['sqs:*', 'kinesis:*'], Resource: '*'}"),
    `Mapping:\n  Type: AWS::Lambda::EventSourceMapping\n  Properties:\n    FunctionName: !Ref Consumer\n    EventSourceArn: ${arn}\n`,
  );
}
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:222222222222:${name}`;
/** The sources' template as the stack `sources` of account 222222222222, which Fn::GetStackOutput names. */
const asStack = {
  "lambda-iam": { accounts: { ...accounts, [`${SOURCES}/template.yaml`]: { account: "222222222222", stackName: "sources" } } },
};
/**
 * A SAM consumer whose SQS event reads the queue `queue` names: the event's type says what it is, which
 * an AWS::Lambda::EventSourceMapping on an Fn::GetStackOutput does not.
 */
function samConsumer(queue: string): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  ConsumerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: consumer-fn
      ${TRUST}
      ManagedPolicyArns: [${LOGS}]
      Policies:
        - PolicyName: Access
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: 'sqs:*', Resource: '*'}
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(e, c): pass"
      Role: !GetAtt ConsumerRole.Arn
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: ${queue}
`;
}
/** An output of the stack `sources`, read with a role of its account. */
const output = (name: string) =>
  `{"Fn::GetStackOutput": {StackName: sources, OutputName: ${name}, RoleArn: "arn:aws:iam::222222222222:role/outputs-reader"}}`;
const ACROSS = "not in Consumer's account 111111111111";

templateRuleTester().run("event-source-permissions across accounts", rule as never, {
  valid: [
    {
      name: "the queue policy lets the consumer's account read it, and the role allows it",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("shared")),
    },
    {
      name: "the queue policy names the consumer's role by ARN, with sqs:*",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("named")),
    },
    {
      name: "the ARN with ${AWS::Partition} and ${AWS::Region} names the same queue",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer("!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:222222222222:shared"),
    },
    {
      name: "a condition on a key the linter does not evaluate (aws:SourceVpce) leaves the queue policy unknown",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("private")),
    },
    {
      name: "without the accounts setting, whether the queue is in another account is unknown",
      filename: consumerTemplate,
      code: consumer(queueArn("bare")),
    },
    {
      name: "a queue that no template of that account declares: its policy is unknown",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("elsewhere")),
    },
    {
      name: "two templates of that account declare the queue: which one is deployed is unknown",
      filename: consumerTemplate,
      settings: { "lambda-iam": { accounts: { ...accounts, [`${SOURCES}/copy.yaml`]: "222222222222" } } },
      code: consumer(queueArn("ingest")),
    },
    {
      name: "a queue of the consumer's own account needs no queue policy (either policy suffices in one account)",
      filename: consumerTemplate,
      settings: { "lambda-iam": { accounts: { ...accounts, [consumerTemplate]: "222222222222" } } },
      code: consumer(queueArn("bare")),
    },
    {
      name: "Fn::GetStackOutput of the queue's ARN, whose policy lets the consumer's account read it",
      filename: consumerTemplate,
      settings: asStack,
      code: samConsumer(output("SharedArn")),
    },
    {
      name: "Fn::GetStackOutput of a stack that no template is known as",
      filename: consumerTemplate,
      settings: crossAccount,
      code: samConsumer(output("UnnamedArn")),
    },
    {
      name: "Fn::GetStackOutput without RoleArn reads a stack of the consumer's own account",
      filename: consumerTemplate,
      settings: asStack,
      code: samConsumer('{"Fn::GetStackOutput": {StackName: sources, OutputName: UnnamedArn}}'),
    },
    {
      name: "a role whose name CloudFormation generates may or may not be the one the queue policy names",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("named"), null),
    },
    {
      name: "a template of the queue's account that cannot be read may give it a queue policy",
      filename: consumerTemplate,
      settings: { "lambda-iam": { accounts: { ...accounts, "tests/fixtures/cli/broken.yaml": "222222222222" } } },
      code: consumer(queueArn("bare")),
    },
    {
      name: "an encrypted queue whose key policy lets the consumer's role decrypt",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("opened")),
    },
    {
      name: "a key policy naming a role by ARN may name a role whose name CloudFormation generates",
      filename: consumerTemplate,
      settings: crossAccount,
      code: consumer(queueArn("opened"), null),
    },
  ],
  invalid: [
    ...[
      { queue: "sealed", name: "Sealed", line: 115, key: "SealedKey", keyLine: 105, why: "a key policy that admits its own account only" },
      { queue: "defaulted", name: "Defaulted", line: 141, key: "DefaultKey", keyLine: 139, why: "the default key policy (no KeyPolicy)" },
    ].map(({ queue, name, line, key, keyLine, why }) => {
      const code = consumer(queueArn(queue));
      return {
        name: `an encrypted queue of another account whose key has ${why}`,
        filename: consumerTemplate,
        settings: crossAccount,
        code,
        errors: [
          error(
            code,
            "Mapping",
            `Mapping: queue ${name} (${SOURCES}/template.yaml:${line}) of account 222222222222 is encrypted with key ${key} (${SOURCES}/template.yaml:${keyLine}), whose key policy does not allow role ConsumerRole of account 111111111111 kms:Decrypt; across accounts the key policy must allow the role as well as the role's own policy, so Lambda cannot decrypt what it reads from the queue`,
          ),
        ],
      };
    }),
    (() => {
      const code = consumer(queueArn("shared"));
      return {
        name: "a template deployed to two accounts is checked in each: the queue policy admits the first account only",
        filename: consumerTemplate,
        settings: { "lambda-iam": { accounts: { ...accounts, [consumerTemplate]: ["111111111111", "333333333333"] } } },
        code,
        errors: [
          error(
            code,
            "Mapping",
            `Mapping: queue Shared (${SOURCES}/template.yaml:23) is in account 222222222222, not in Consumer's account 333333333333, and its queue policy SharedPolicy (${SOURCES}/template.yaml:27) does not allow role ConsumerRole sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes; across accounts the queue's policy must allow them as well as the role's own policy, so Lambda cannot read the queue`,
          ),
        ],
      };
    })(),
    {
      name: "an accounts setting that names no file, or no 12-digit account, is reported where it would count, and places nothing",
      filename: consumerTemplate,
      settings: {
        "lambda-iam": {
          accounts: { [consumerTemplate]: "111111111111", "missing/template.yaml": "222222222222", [`${SOURCES}/template.yaml`]: "2222" },
        },
      },
      code: consumer(queueArn("bare")),
      errors: [
        {
          line: 1,
          column: 1,
          message: `the "accounts" setting names missing/template.yaml, which is no file inside ${process.cwd()}: it places no template`,
        },
        {
          line: 1,
          column: 1,
          message: `the "accounts" setting gives ${SOURCES}/template.yaml the account "2222", which is not a 12-digit AWS account ID: it is ignored`,
        },
      ],
    },
    (() => {
      const code = consumer(queueArn("ingest"));
      return {
        name: "the queue policy allows only SNS to send",
        filename: consumerTemplate,
        settings: crossAccount,
        code,
        errors: [
          error(
            code,
            "Mapping",
            `Mapping: queue Ingest (${SOURCES}/template.yaml:6) is in account 222222222222, ${ACROSS}, and its queue policy IngestPolicy (${SOURCES}/template.yaml:10) does not allow role ConsumerRole sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes; across accounts the queue's policy must allow them as well as the role's own policy, so Lambda cannot read the queue`,
          ),
        ],
      };
    })(),
    (() => {
      const code = consumer(queueArn("bare"));
      return {
        name: "the queue's template gives it no queue policy",
        filename: consumerTemplate,
        settings: crossAccount,
        code,
        errors: [
          error(
            code,
            "Mapping",
            `Mapping: queue Bare (${SOURCES}/template.yaml:57) is in account 222222222222, ${ACROSS}, and its template gives it no queue policy; across accounts the queue's policy must allow role ConsumerRole sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes as well as the role's own policy, so Lambda cannot read the queue`,
          ),
        ],
      };
    })(),
    (() => {
      const code = samConsumer(output("UnnamedArn"));
      return {
        name: "Fn::GetStackOutput of a queue whose name CloudFormation generates, with no queue policy",
        filename: consumerTemplate,
        settings: asStack,
        code,
        errors: [
          error(
            code,
            "Jobs",
            `Consumer.Events.Jobs: queue Unnamed (${SOURCES}/template.yaml:100) is in account 222222222222, ${ACROSS}, and its template gives it no queue policy; across accounts the queue's policy must allow role ConsumerRole sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes as well as the role's own policy, so Lambda cannot read the queue`,
          ),
        ],
      };
    })(),
    (() => {
      const code = samConsumer(output("IngestArn"));
      return {
        name: "Fn::GetStackOutput of a queue whose policy allows only SNS to send",
        filename: consumerTemplate,
        settings: asStack,
        code,
        errors: [
          error(
            code,
            "Jobs",
            `Consumer.Events.Jobs: queue Ingest (${SOURCES}/template.yaml:6) is in account 222222222222, ${ACROSS}, and its queue policy IngestPolicy (${SOURCES}/template.yaml:10) does not allow role ConsumerRole sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes; across accounts the queue's policy must allow them as well as the role's own policy, so Lambda cannot read the queue`,
          ),
        ],
      };
    })(),
    (() => {
      const code = consumer(queueArn("named"), "other-fn");
      return {
        name: "the queue policy names another role of the consumer's account",
        filename: consumerTemplate,
        settings: crossAccount,
        code,
        errors: [
          error(
            code,
            "Mapping",
            `Mapping: queue Named (${SOURCES}/template.yaml:40) is in account 222222222222, ${ACROSS}, and its queue policy NamedPolicy (${SOURCES}/template.yaml:44) does not allow role ConsumerRole sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes; across accounts the queue's policy must allow them as well as the role's own policy, so Lambda cannot read the queue`,
          ),
        ],
      };
    })(),
    (() => {
      const code = consumer("arn:aws:kinesis:us-east-1:222222222222:stream/clicks");
      return {
        name: "the stream's resource policy allows reading records, but not describing the stream or getting a shard iterator",
        filename: consumerTemplate,
        settings: crossAccount,
        code: code.replace("EventSourceArn:", "StartingPosition: LATEST\n      EventSourceArn:"),
        errors: [
          error(
            code.replace("EventSourceArn:", "StartingPosition: LATEST\n      EventSourceArn:"),
            "Mapping",
            `Mapping: stream Clicks (${SOURCES}/template.yaml:82) is in account 222222222222, ${ACROSS}, and its resource policy ClicksPolicy (${SOURCES}/template.yaml:87) does not allow role ConsumerRole kinesis:DescribeStream, kinesis:GetShardIterator; across accounts the stream's policy must allow them as well as the role's own policy, so Lambda cannot read the stream`,
          ),
        ],
      };
    })(),
  ],
});
