import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import type { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { executionRoleNeeds } from "../../src/analyzers/role-needs.js";
import { readTemplateText } from "../../src/analyzers/template-text.js";
import { functionCodeReader } from "../../src/handlers/function-code.js";
import { ProjectFiles } from "../../src/handlers/project-files.js";
import rule from "../../src/rules/least-privilege.js";
import { LAMBDA_TRUST, indent, locate, templateRuleTester } from "../rule-tester.js";

// The handlers are files under tests/fixtures/least-privilege; each case's template sits (in name) beside them.
const filename = fileURLToPath(new URL("../fixtures/least-privilege/template.yaml", import.meta.url));

interface Shape {
  /** The function's `CodeUri` and `Handler`, and its runtime. */
  code?: { uri: string; handler: string; runtime?: string };
  /** The role's inline policy statements, as YAML. */
  statements: string;
  /** More properties of the function, and of the role, as YAML; more resources and sections after them. */
  fn?: string;
  role?: string;
  after?: string;
}

/** How messages name the fixtures' files: relative to the working directory. */
const FIXTURES = "tests/fixtures/least-privilege/";

/** The start of every case: SAM's transform and the Orders table. */
const HEADER = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
`;

const ORDERS = { uri: "orders/src/", handler: "app.handler" };

/** An Orders table, the role OrdersRole with AWSLambdaBasicExecutionRole and `statements`, and the function OrdersFunction. */
function template({ code = ORDERS, statements, fn = "", role = "", after = "" }: Shape): string {
  return `${HEADER}  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      ${LAMBDA_TRUST}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
${indent(role, 6)}
      Policies:
        - PolicyName: orders
          PolicyDocument:
            Statement:
${indent(statements, 14)}
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: ${code.runtime ?? "nodejs22.x"}
      Handler: ${code.handler}
      CodeUri: ${code.uri}
      Role: !GetAtt OrdersRole.Arn
      Environment:
        Variables:
          TABLE_NAME: !Ref Orders
${indent(fn, 6)}
${after}`;
}

const ORDERS_STATEMENTS = `- Effect: Allow
  Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:DeleteItem]
  Resource: !GetAtt Orders.Arn
- Effect: Allow
  Action: dynamodb:Query
  Resource: "*"
- Effect: Allow
  Action: s3:GetObject
  Resource: "*"`;

/** Exactly what examples/orders/src/app.mjs needs (GetItem, PutItem and Query on the table). */
const EXACT = `- Effect: Allow
  Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
  Resource: !GetAtt Orders.Arn`;

/** GetItem on the table and a grant it does not need, for the handlers that only read. */
const READ_AND_DELETE = `- Effect: Allow
  Action: [dynamodb:GetItem, dynamodb:DeleteItem]
  Resource: !GetAtt Orders.Arn`;

/** A function reading and writing objects of Uploads with `code`, its role granted `statements` (YAML) on them. */
const uploads = (code: Shape["code"], statements: string) =>
  template({
    code,
    statements,
    fn: "Environment: { Variables: { BUCKET: !Ref Uploads } }",
    after: "  Uploads:\n    Type: AWS::S3::Bucket\n",
  }).replace("      Environment:\n        Variables:\n          TABLE_NAME: !Ref Orders\n", "");

/** EXACT, and kms:Decrypt on the key Key; the table encrypted with it by `encryption` (SSESpecification's YAML, or none). */
const withKey = (encryption: string) =>
  template({
    statements: `${EXACT}\n- Effect: Allow\n  Action: kms:Decrypt\n  Resource: !GetAtt Key.Arn`,
    after: "  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: { Statement: [] }\n",
  }).replace("BillingMode: PAY_PER_REQUEST", `BillingMode: PAY_PER_REQUEST${encryption}`);
const keyUnused = withKey("");

/** EXACT, and a separate policy granting dynamodb:Scan attached by `roles` (YAML list items), beside a role Other. */
const withPolicy = (roles: string) =>
  template({
    statements: EXACT,
    after: `  Other:\n    Type: AWS::IAM::Role\n    Properties:\n      ${LAMBDA_TRUST}\n  Scan:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: scan\n      Roles: [${roles}]\n      PolicyDocument: { Statement: [{ Effect: Allow, Action: [dynamodb:Scan], Resource: !GetAtt Orders.Arn }] }\n`,
  });
const ownPolicy = withPolicy("!Ref OrdersRole");

/** EXACT's actions on every table of the account and region: a pattern wider than the one table they need. */
const EVERY_TABLE = EXACT.replace(
  "Resource: !GetAtt Orders.Arn",
  'Resource: !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"',
);
const everyTable = template({ statements: EVERY_TABLE });
/** A function that reads any object of the Uploads bucket, granted exactly that. */
const objects = uploads(
  { uri: "objects/", handler: "app.handler" },
  '- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Sub "${Uploads.Arn}/*"',
);

const unused = (action: string, functions = "OrdersFunction") =>
  `OrdersRole grants ${action} (inline policy "orders" of role OrdersRole), which none of its functions (${functions}) needs: their configuration and all of their code are read, and nothing in them needs it`;

/** The finding on an unused action of OrdersRole's flow list in `code`, with the suggestion that removes it. */
const unusedInList = (code: string, action: string) => ({
  message: unused(action),
  ...at(code, action),
  suggestions: [{ messageId: "removeAction", output: code.replace(`, ${action}`, "") }],
});

function at(code: string, needle: string, nth = 0) {
  const { line, column, endLine, endColumn } = locate(code, needle, nth);
  return { line, column, endLine, endColumn };
}

/** A SAM function whose role SAM generates from `policies` (YAML list items), beside the Orders table. */
function samFunction(codeUri: string, policies: string, more = ""): string {
  return `${HEADER}  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: ${codeUri}
      Environment:
        Variables:
          TABLE_NAME: !Ref Orders
      Policies:
${indent(policies, 8)}
${indent(more, 6)}
`;
}

const writerCrud = samFunction("writer/", "- DynamoDBCrudPolicy:\n    TableName: !Ref Orders");
const noCallsMetrics = samFunction("no-calls/", "- CloudWatchPutMetricPolicy: {}");

const BASIC_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const BASIC = `ManagedPolicyArns: [${BASIC_ARN}]`;
/** The Orders role with EXACT and these managed policies besides AWSLambdaBasicExecutionRole. */
const withManaged = (...arns: string[]) =>
  template({ statements: EXACT }).replace(BASIC, `ManagedPolicyArns: [${[BASIC_ARN, ...arns].join(", ")}]`);
const s3ReadOnly = withManaged("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
const sqsPolicy = withManaged("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole");
const dynamoFull = template({ statements: "- Effect: Allow\n  Action: s3:ListBucket\n  Resource: !GetAtt Orders.Arn" }).replace(
  BASIC,
  "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole, arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess]",
);

const orders = template({ statements: ORDERS_STATEMENTS });
/** The Orders case as JSON: the suggestions write JSON there. */
const ordersJson = JSON.stringify(
  {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Resources: {
      Orders: {
        Type: "AWS::DynamoDB::Table",
        Properties: {
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        },
      },
      OrdersRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
          },
          ManagedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
          Policies: [
            {
              PolicyName: "orders",
              PolicyDocument: {
                Statement: [
                  {
                    Effect: "Allow",
                    Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
                    Resource: { "Fn::GetAtt": ["Orders", "Arn"] },
                  },
                  { Effect: "Allow", Action: "dynamodb:Query", Resource: "*" },
                ],
              },
            },
          ],
        },
      },
      OrdersFunction: {
        Type: "AWS::Serverless::Function",
        Properties: {
          Runtime: "nodejs22.x",
          Handler: "app.handler",
          CodeUri: "orders/src/",
          Role: { "Fn::GetAtt": ["OrdersRole", "Arn"] },
          Environment: { Variables: { TABLE_NAME: { Ref: "Orders" } } },
        },
      },
    },
  },
  null,
  2,
);

/** The fixture's own template, whose actions are a block list. */
const ORDERS_FILE = readFileSync(new URL("../fixtures/least-privilege/orders/template.yaml", import.meta.url), "utf8");
const python = template({
  code: { uri: "python/", handler: "orders.app.handler", runtime: "python3.12" },
  statements: READ_AND_DELETE.replace("GetItem,", "GetItem, dynamodb:PutItem,"),
});
const plainPackage = template({ code: { uri: "plain-package/src/", handler: "app.handler" }, statements: READ_AND_DELETE });
const shared = `${HEADER}  SharedRole:
    Type: AWS::IAM::Role
    Properties:
      ${LAMBDA_TRUST}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
      Policies:
        - PolicyName: shared
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query, dynamodb:Scan]
                Resource: !GetAtt Orders.Arn
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: plain-package/src/
      Role: !GetAtt SharedRole.Arn
      Environment: { Variables: { TABLE_NAME: !Ref Orders } }
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: orders/src/
      Role: !GetAtt SharedRole.Arn
      Environment: { Variables: { TABLE_NAME: !Ref Orders } }
`;

/** Twins of the failing cases that must stay silent, each with why its needs are not known whole (none for the first two). */
const SILENT: Array<{ name: string; code: string; why: string[] }> = [
  { name: "a role that grants exactly what the code needs", code: template({ statements: EXACT }), why: [] },
  {
    name: "active tracing: xray actions on * are what it needs",
    code: template({
      statements: `${EXACT}\n- Effect: Allow\n  Action: [xray:PutTraceSegments, xray:PutTelemetryRecords]\n  Resource: "*"`,
      fn: "Tracing: Active",
    }),
    why: [],
  },
  {
    name: "an unused action in a statement with a Condition is not judged",
    code: template({
      statements: `${EXACT}\n- Effect: Allow\n  Action: s3:GetObject\n  Resource: "*"\n  Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } }`,
    }),
    why: [],
  },
  {
    name: "a call whose table the template cannot tell",
    code: template({ code: { uri: "unknown-table/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [
      `OrdersFunction: ${FIXTURES}unknown-table/app.mjs:6 GetItemCommand: the resource of dynamodb:GetItem is not known from the template`,
    ],
  },
  {
    name: "a call whose IAM actions depend on its request (PartiQL)",
    code: template({ code: { uri: "unmapped-call/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}unmapped-call/app.mjs:8: ExecuteStatementCommand's IAM actions are not known`],
  },
  {
    name: "an installed package that depends on an AWS SDK",
    code: template({ code: { uri: "sdk-package/src/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [
      `OrdersFunction: ${FIXTURES}sdk-package/src/app.mjs: it imports audit-trail, which depends on an AWS SDK (@aws-sdk/client-cloudwatch-logs) and is not read`,
    ],
  },
  {
    name: "an installed package with an AWS SDK as a peer dependency (it sends with the client it is given)",
    code: template({ code: { uri: "peer-package/src/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [
      `OrdersFunction: ${FIXTURES}peer-package/src/app.mjs: it imports table-toolbox, which depends on an AWS SDK (@aws-sdk/client-dynamodb) and is not read`,
    ],
  },
  {
    name: "a package that is not installed",
    code: template({ code: { uri: "uninstalled-package/src/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}uninstalled-package/src/app.mjs: it imports tiny-case, which is not installed in the project`],
  },
  {
    name: "a Python package whose code is not read (requests)",
    code: template({ code: { uri: "python-requests/", handler: "app.handler", runtime: "python3.12" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}python-requests/app.py imports requests, a package whose code is not read`],
  },
  {
    name: "a handler file that is not there",
    code: template({ code: { uri: "missing/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: its handler's file ${FIXTURES}missing/app.* is not found`],
  },
  {
    name: "layers, whose code is not read",
    code: template({ statements: ORDERS_STATEMENTS, fn: "Layers: [arn:aws:lambda:us-east-1:123456789012:layer:tools:3]" }),
    why: ["OrdersFunction: it has layers, whose code is not read"],
  },
  {
    name: "inline code",
    code: template({ statements: ORDERS_STATEMENTS }).replace("CodeUri: orders/src/", 'InlineCode: "exports.handler = async () => {};"'),
    why: ["OrdersFunction: its code is inline"],
  },
  {
    name: "a RoleName by which other stacks may use the role",
    code: template({ statements: ORDERS_STATEMENTS, role: "RoleName: orders-role" }),
    why: ["OrdersRole has a RoleName, by which other stacks may use it"],
  },
  {
    name: "a role that another service may assume",
    code: template({ statements: ORDERS_STATEMENTS }).replace(
      "Principal: {Service: lambda.amazonaws.com}",
      "Principal: {Service: [lambda.amazonaws.com, states.amazonaws.com]}",
    ),
    why: ["OrdersRole may be assumed by principals other than Lambda"],
  },
  {
    name: "a role an output exports",
    code: template({
      statements: ORDERS_STATEMENTS,
      after: "Outputs:\n  Role:\n    Value: !GetAtt OrdersRole.Arn\n    Export: { Name: orders-role }\n",
    }),
    why: ["the exported output Role refers to OrdersRole"],
  },
  {
    name: "a property this rule does not know (a durable function's DurableConfig, whose checkpoints use the role)",
    code: template({ statements: ORDERS_STATEMENTS, fn: "DurableConfig: { ExecutionTimeout: 3600 }" }),
    why: ["OrdersFunction: what its DurableConfig needs is not modelled"],
  },
  {
    name: "a configuration that depends on a condition",
    code: template({
      statements: ORDERS_STATEMENTS,
      fn: "MemorySize: !If [Big, 1024, 512]",
      after: "Conditions:\n  Big: !Equals [!Ref AWS::Region, us-east-1]\n",
    }),
    why: ["OrdersFunction: its configuration depends on conditions (Fn::If)"],
  },
  {
    name: "what a call may use by its input or target: s3:ListBucket for GetObject (404, not 403), s3:PutObjectAcl for a put with an ACL",
    code: uploads(
      { uri: "conditional/", handler: "app.handler" },
      '- Effect: Allow\n  Action: [s3:GetObject, s3:PutObject, s3:PutObjectAcl]\n  Resource: !Sub "${Uploads.Arn}/*"\n- Effect: Allow\n  Action: s3:ListBucket\n  Resource: !GetAtt Uploads.Arn',
    ),
    why: [],
  },
  {
    name: "boto3's upload_file: the transfer manager aborts a multipart upload that fails",
    code: uploads(
      { uri: "python-upload/", handler: "app.handler", runtime: "python3.12" },
      '- Effect: Allow\n  Action: [s3:PutObject, s3:AbortMultipartUpload]\n  Resource: !Sub "${Uploads.Arn}/*"',
    ),
    why: [],
  },
  {
    name: "a table encrypted with a customer managed key: what DynamoDB asks of KMS for its callers is not decided, so no KMS grant is unused",
    code: withKey("\n      SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref Key }"),
    why: [],
  },
  {
    name: "a queue the template does not declare, which a key of its owner's may encrypt: the KMS grants are not called unused",
    code: template({
      code: { uri: "external-queue/", handler: "app.handler" },
      statements:
        "- Effect: Allow\n  Action: sqs:SendMessage\n  Resource: arn:aws:sqs:us-east-1:111122223333:shared-jobs\n- Effect: Allow\n  Action: kms:GenerateDataKey\n  Resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }).replace("TABLE_NAME: !Ref Orders", "QUEUE_URL: https://sqs.us-east-1.amazonaws.com/111122223333/shared-jobs"),
    why: [],
  },
  {
    name: "a request that names its own KMS key (SSEKMSKeyId): the KMS grant for it is not called unused",
    code: uploads(
      { uri: "request-key/", handler: "app.handler" },
      '- Effect: Allow\n  Action: s3:PutObject\n  Resource: !Sub "${Uploads.Arn}/*"\n- Effect: Allow\n  Action: kms:GenerateDataKey\n  Resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ),
    why: [],
  },
  {
    name: "a dead-letter queue encrypted with a customer managed key: the KMS grants for it are not called unused",
    code: template({
      statements: `${EXACT}\n- Effect: Allow\n  Action: sqs:SendMessage\n  Resource: !GetAtt Dlq.Arn\n- Effect: Allow\n  Action: [kms:GenerateDataKey, kms:Decrypt]\n  Resource: !GetAtt Key.Arn`,
      fn: "DeadLetterQueue: { Type: SQS, TargetArn: !GetAtt Dlq.Arn }",
      after:
        "  Dlq:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: !Ref Key\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: { Statement: [] }\n",
    }),
    why: [],
  },
  {
    name: "a separate policy attached to another role too: what this role does not need of it, the other may",
    code: withPolicy("!Ref OrdersRole, !Ref Other"),
    why: [],
  },
  {
    name: "a separate managed policy another role attaches by ManagedPolicyArns",
    code: withPolicy("!Ref OrdersRole")
      .replace("Type: AWS::IAM::Policy", "Type: AWS::IAM::ManagedPolicy")
      .replace("      PolicyName: scan\n", "")
      .replace(`      ${LAMBDA_TRUST}\n  Scan:`, `      ${LAMBDA_TRUST}\n      ManagedPolicyArns: [!Ref Scan]\n  Scan:`),
    why: [],
  },
  {
    name: "boto3's generate_presigned_url: the request it signs is sent by another, with the role's credentials",
    code: uploads(
      { uri: "python-presign/", handler: "app.handler", runtime: "python3.12" },
      '- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Sub "${Uploads.Arn}/*"',
    ),
    why: [
      `OrdersFunction: ${FIXTURES}python-presign/app.py:10: s3.generate_presigned_url presigns a request that is sent with the role's credentials, whose needs are not read`,
    ],
  },
  {
    name: "an event source mapping whose filter criteria a KmsKeyArn encrypts",
    code:
      sqsPolicy.replace(
        "          TABLE_NAME: !Ref Orders\n",
        "          TABLE_NAME: !Ref Orders\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Jobs.Arn\n            KmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/filters\n",
      ) + "  Jobs:\n    Type: AWS::SQS::Queue\n",
    why: ["OrdersFunction: what the KmsKeyArn of an SQS event source mapping OrdersFunction.Events.Jobs needs is not modelled"],
  },
  {
    name: "a Kafka event source mapping with a schema registry, which Lambda reads with the role",
    code: withManaged("arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole").replace(
      "\n  OrdersFunction:\n",
      "\n  Orders2Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !Ref OrdersFunction\n      EventSourceArn: arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc-1\n      Topics: [orders]\n      StartingPosition: LATEST\n      AmazonManagedKafkaEventSourceConfig:\n        SchemaRegistryConfig:\n          SchemaRegistryURI: arn:aws:glue:us-east-1:123456789012:registry/orders\n          EventRecordFormat: JSON\n          SchemaValidationConfigs: [{ Attribute: VALUE }]\n  OrdersFunction:\n",
    ),
    why: ["OrdersFunction: what the schema registry of an Amazon MSK event source mapping Orders2Mapping needs is not modelled"],
  },
  {
    name: "a handler that runs other programs (the AWS CLI), which inherit its credentials",
    code: template({ code: { uri: "child-process/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}child-process/app.mjs runs other programs, which get its role's credentials`],
  },
  {
    name: "a handler that runs code in worker threads, whose modules it names by path",
    code: template({ code: { uri: "worker/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}worker/app.mjs runs code in worker threads, which is not read`],
  },
  {
    name: "a handler that reads its credentials from the environment",
    code: template({ code: { uri: "python-credentials/", handler: "app.handler", runtime: "python3.12" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}python-credentials/app.py:8 reads its credentials (AWS_SESSION_TOKEN), whose use is not read`],
  },
  {
    name: "a handler that signs AWS requests itself (aws4), whatever the package depends on",
    code: template({ code: { uri: "aws4/", handler: "app.handler" }, statements: READ_AND_DELETE }),
    why: [`OrdersFunction: ${FIXTURES}aws4/app.mjs signs AWS requests itself (aws4)`],
  },
  {
    name: "a pattern that is the need itself: any object of one bucket, for code that reads objects by keys it gets at run time",
    code: objects,
    why: [],
  },
  {
    name: "a pattern beside the exact grant that cannot cover the need (another table name) is not judged for width",
    code: template({
      statements: `${EXACT}\n- Effect: Allow\n  Action: dynamodb:GetItem\n  Resource: !Sub "arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/archive-*"`,
    }).replace("BillingMode: PAY_PER_REQUEST", "TableName: orders\n      BillingMode: PAY_PER_REQUEST"),
    why: [],
  },
  {
    name: "logs actions on a pattern of log groups: AWS's own policy for logs grants them on *",
    code: template({
      statements: `${EXACT}\n- Effect: Allow\n  Action: [logs:CreateLogStream, logs:PutLogEvents]\n  Resource: !Sub "arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/*"`,
    }),
    why: [],
  },
];

SILENT.push(
  {
    name: "a Lambda service policy that is the role's only grant of its logs actions is needed for them",
    code: template({ statements: EXACT }).replace(
      BASIC,
      "ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]",
    ),
    why: [],
  },
  {
    name: "a Lambda service policy whose own actions are needed (an SQS source), whatever its * scope",
    code:
      sqsPolicy.replace(
        "          TABLE_NAME: !Ref Orders\n",
        "          TABLE_NAME: !Ref Orders\n      Events:\n        Jobs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Jobs.Arn\n",
      ) + "  Jobs:\n    Type: AWS::SQS::Queue\n",
    why: [],
  },
  {
    name: "SAM: DynamoDBCrudPolicy for code that gets, puts and deletes: no narrower template serves it",
    code: samFunction("crud/", "- DynamoDBCrudPolicy:\n    TableName: !Ref Orders"),
    why: [],
  },
  {
    name: "SAM: no narrower template is named when it lacks what a call may use that this one grants (Upload's tags)",
    code: `${samFunction("tagged-upload/", "- S3FullAccessPolicy:\n    BucketName: !Ref Uploads").replace("TABLE_NAME: !Ref Orders", "BUCKET: !Ref Uploads")}  Uploads:\n    Type: AWS::S3::Bucket\n`,
    why: [],
  },
  {
    name: "SAM: the narrowest template for the need is not reported for its other actions",
    code: samFunction("writer/", "- DynamoDBWritePolicy:\n    TableName: !Ref Orders"),
    why: [],
  },
  {
    name: "SAM: a queue named by a dynamic reference is one known only at deploy time, never a different queue",
    code: samFunction(
      "no-calls/",
      "- SQSPollerPolicy:\n    QueueName: orders",
      "Events:\n  Jobs:\n    Type: SQS\n    Properties:\n      Queue: '{{resolve:ssm:orders-queue-arn:1}}'",
    ),
    why: [],
  },
);

describe("the strict config", () => {
  it("is recommended with least-privilege on templates, at warn; recommended does not run it", () => {
    const rulesOf = (configs: Linter.Config[]) => Object.assign({}, ...configs.map((config) => config.rules ?? {})) as Linter.RulesRecord;
    expect(rulesOf(plugin.configs.strict)).toEqual({ ...rulesOf(plugin.configs.recommended), "lambda-iam/least-privilege": "warn" });
    expect(rulesOf(plugin.configs.recommended)["lambda-iam/least-privilege"]).toBeUndefined();
    expect(plugin.configs.strict.map((config) => config.name)).toEqual(
      plugin.configs.recommended.map((config) => config.name!.replace("/recommended/", "/strict/")),
    );
  });
});

describe("why a role's needs are not known whole", () => {
  const files = new ProjectFiles(process.cwd());
  it.each(SILENT)("$name", ({ code, why }) => {
    const analysed = readTemplateText(code);
    if (analysed.kind !== "template") throw new Error("not a template");
    const [role] = executionRoleNeeds(analysed.analysis, functionCodeReader(files, filename));
    expect(role!.why).toEqual(why);
    expect(role!.needs === undefined).toBe(why.length > 0);
  });
});

templateRuleTester().run("least-privilege", rule as never, {
  valid: SILENT.map(({ name, code }) => ({ name, filename, code })),
  invalid: [
    {
      name: "JSON: the suggestions remove an array item and write the narrowed Resource as JSON",
      filename: filename.replace(/\.yaml$/u, ".json"),
      code: ordersJson,
      errors: [
        {
          messageId: "unusedAction",
          ...at(ordersJson, '"dynamodb:DeleteItem"'),
          suggestions: [{ messageId: "removeAction", output: ordersJson.replace(/,\n\s*"dynamodb:DeleteItem"/u, "") }],
        },
        {
          messageId: "wideResource",
          suggestions: [
            {
              messageId: "narrowResource",
              output: ordersJson.replace(
                '"Resource": "*"',
                '"Resource": {"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}"}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: "an action of a block list: the suggestion removes its line",
      filename: fileURLToPath(new URL("../fixtures/least-privilege/orders/template.yaml", import.meta.url)),
      code: ORDERS_FILE,
      errors: [
        {
          messageId: "unusedAction",
          ...at(ORDERS_FILE, "dynamodb:DeleteItem"),
          suggestions: [{ messageId: "removeAction", output: ORDERS_FILE.replace("                  - dynamodb:DeleteItem\n", "") }],
        },
        {
          messageId: "wideResource",
          suggestions: [
            {
              messageId: "narrowResource",
              output: ORDERS_FILE.replace(
                'Action: dynamodb:Query\n                Resource: "*"',
                'Action: dynamodb:Query\n                Resource: !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}"',
              ),
            },
          ],
        },
        { messageId: "unusedAction", ...at(ORDERS_FILE, "s3:GetObject") },
      ],
    },
    {
      name: "managed policies: one that serves no need, one of Lambda's own with no source of its kind, one wider than what it serves",
      filename,
      code: s3ReadOnly,
      errors: [
        {
          message:
            "OrdersRole is given AWS managed policy AmazonS3ReadOnlyAccess, which none of its functions (OrdersFunction) needs: their configuration and all of their code are read, and nothing in them needs what it grants",
          ...at(s3ReadOnly, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
        },
      ],
    },
    {
      name: "a Lambda service policy for a source the function does not have",
      filename,
      code: sqsPolicy,
      errors: [
        {
          message:
            "OrdersRole is given AWS managed policy AWSLambdaSQSQueueExecutionRole, which none of its functions (OrdersFunction) needs: their configuration and all of their code are read, and nothing in them needs what it grants",
          ...at(sqsPolicy, "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"),
        },
      ],
    },
    {
      name: "a managed policy wider than the needs it serves, beside an unused written action",
      filename,
      code: dynamoFull,
      errors: [
        {
          message:
            "OrdersRole is given AWS managed policy AmazonDynamoDBFullAccess, but what its functions (OrdersFunction) need of it is only dynamodb:GetItem on Orders, dynamodb:PutItem on Orders and dynamodb:Query on Orders: their configuration and all of their code are read",
          ...at(dynamoFull, "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"),
        },
        { message: unused("s3:ListBucket"), ...at(dynamoFull, "s3:ListBucket") },
      ],
    },
    {
      name: "SAM: a policy template whose needs a narrower one serves, with a suggestion to use it",
      filename,
      code: writerCrud,
      errors: [
        {
          message:
            "WriterRole (generated by SAM) is given SAM policy template DynamoDBCrudPolicy, but what its functions (Writer) need of it, DynamoDBWritePolicy grants too, with fewer actions (dynamodb:PutItem, dynamodb:UpdateItem and dynamodb:BatchWriteItem): their configuration and all of their code are read",
          line: locate(writerCrud, "DynamoDBCrudPolicy").line,
          column: locate(writerCrud, "DynamoDBCrudPolicy").column,
          suggestions: [{ messageId: "useTemplate", output: writerCrud.replace("DynamoDBCrudPolicy", "DynamoDBWritePolicy") }],
        },
      ],
    },
    {
      name: "SAM: a policy template that serves no need",
      filename,
      code: noCallsMetrics,
      errors: [
        {
          message:
            "WriterRole (generated by SAM) is given SAM policy template CloudWatchPutMetricPolicy, which none of its functions (Writer) needs: their configuration and all of their code are read, and nothing in them needs what it grants",
          ...at(noCallsMetrics, "CloudWatchPutMetricPolicy: {}"),
        },
      ],
    },
    {
      name: "JavaScript: an unused action, an action on * needed on one table, an action no call makes (local modules and node: built-ins read)",
      filename,
      code: orders,
      errors: [
        unusedInList(orders, "dynamodb:DeleteItem"),
        {
          message:
            'OrdersRole grants dynamodb:Query on every resource (inline policy "orders" of role OrdersRole), but its functions (OrdersFunction) need it only on Orders: their configuration and all of their code are read',
          ...at(orders, '"*"'),
          suggestions: [
            {
              messageId: "narrowResource",
              output: orders.replace(
                'Action: dynamodb:Query\n  Resource: "*"'.replace("\n", "\n              "),
                'Action: dynamodb:Query\n  Resource: !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}"'.replace(
                  "\n",
                  "\n              ",
                ),
              ),
            },
          ],
        },
        { message: unused("s3:GetObject"), ...at(orders, "s3:GetObject") },
      ],
    },
    {
      name: "a pattern (every table of the account) wider than the one table every need of it names, with the suggestion",
      filename,
      code: everyTable,
      errors: [
        {
          message:
            'OrdersRole grants dynamodb:GetItem, dynamodb:PutItem and dynamodb:Query on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/* (inline policy "orders" of role OrdersRole), but its functions (OrdersFunction) need them only on Orders: their configuration and all of their code are read',
          ...at(everyTable, '!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"'),
          suggestions: [
            {
              messageId: "narrowResource",
              output: everyTable.replace("table/*", "table/${Orders}"),
            },
          ],
        },
      ],
    },
    {
      name: "a KMS grant when nothing the functions use is encrypted with a customer managed key",
      filename,
      code: keyUnused,
      errors: [{ message: unused("kms:Decrypt"), ...at(keyUnused, "kms:Decrypt") }],
    },
    {
      name: "a separate policy attached to this role alone is judged as its own",
      filename,
      code: ownPolicy,
      errors: [
        {
          message: unused("dynamodb:Scan").replace('(inline policy "orders" of role OrdersRole)', "(policy Scan)"),
          ...at(ownPolicy, "dynamodb:Scan"),
        },
      ],
    },
    {
      name: "Python: boto3's Table resource, a local module and the standard library",
      filename,
      code: python,
      errors: [unusedInList(python, "dynamodb:DeleteItem")],
    },
    {
      name: "an installed package whose dependencies include no AWS SDK",
      filename,
      code: plainPackage,
      errors: [unusedInList(plainPackage, "dynamodb:DeleteItem")],
    },
    {
      name: "a shared role: a grant one function uses is used; one that neither uses is not",
      filename,
      code: shared,
      errors: [
        {
          message:
            'SharedRole grants dynamodb:Scan (inline policy "shared" of role SharedRole), which none of its functions (Reader and Writer) needs: their configuration and all of their code are read, and nothing in them needs it',
          ...at(shared, "dynamodb:Scan"),
          suggestions: [{ messageId: "removeAction", output: shared.replace(", dynamodb:Scan", "") }],
        },
      ],
    },
  ],
});
