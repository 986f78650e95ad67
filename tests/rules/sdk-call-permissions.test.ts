import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import rule from "../../src/rules/sdk-call-permissions.js";
import { RuleTester } from "../code-rule-tester.js";
import { locate } from "../rule-tester.js";

const project = fileURLToPath(new URL("../fixtures/handlers/orders", import.meta.url));
const orders = path.join(project, "src/orders.ts");
const report = path.join(project, "src/report.ts");
const unrelated = path.join(project, "src/unrelated.ts");
const search = path.join(project, "src/search.ts");
/** A handler of a function (OrdersFunction, whose role grants no DynamoDB action) that writes with an assumed role's credentials. */
const assuming = fileURLToPath(new URL("../fixtures/handlers/cross-account/app/src/orders.ts", import.meta.url));
/** The worker of the CDK example, a source that `lambda.Code.fromAsset` copies into cdk.out as it is. */
const cdkWorker = fileURLToPath(new URL("../../examples/cdk-app/src/worker/index.mjs", import.meta.url));
const cdkWorkerCode = readFileSync(cdkWorker, "utf8");
/** The auditor of the CDK example, which NodejsFunction bundles with esbuild. */
const cdkAuditor = fileURLToPath(new URL("../../examples/cdk-app/src/audit.ts", import.meta.url));
const cdkAuditorCode = readFileSync(cdkAuditor, "utf8");

/** A file whose two exports two functions run: WriterFunction (CRUD) `write`, ReaderFunction (read only) `read`. */
const sharedFile = fileURLToPath(new URL("../fixtures/handlers/shared-file/src/app.ts", import.meta.url));
const PUT = "new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} })";
/** A DynamoDB client and a document client built on it, both signing with the execution role. */
const DB_HEAD =
  'import { DynamoDBClient, GetItemCommand, PutItemCommand, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";\nconst db = new DynamoDBClient({});\n';
const DOCUMENTS_HEAD =
  'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";\nconst documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n';
const SHARED_HEAD = 'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";\nconst db = new DynamoDBClient({});\n';
const ASSUMED_CLIENT = [
  'import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";',
  'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";',
  "const sts = new STSClient({});",
  "export async function h() {",
  '  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: process.env.TARGET_ROLE_ARN, RoleSessionName: "o" }));',
  "  const remote = new DynamoDBClient({ credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken } });",
  "  const put = new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} });",
  "  await remote.send(put);",
].join("\n");

/** Which account each cross-account fixture template deploys to (absolute paths: the rule tester's working directory is the root). */
const accounts = {
  "lambda-iam": {
    accounts: {
      [fileURLToPath(new URL("../fixtures/handlers/cross-account/app/template.yaml", import.meta.url))]: "111111111111",
      [fileURLToPath(new URL("../fixtures/handlers/cross-account/data/template.yaml", import.meta.url))]: "222222222222",
      [fileURLToPath(new URL("../fixtures/handlers/cross-account/app/shared.yaml", import.meta.url))]: "111111111111",
    },
  },
};
/** A DynamoDB call through the client the assumed role's credentials built. */
const asAssumed = (command: string) =>
  `${ASSUMED_CLIENT.replace("PutItemCommand }", `PutItemCommand, ${command}Command }`)}\n  await remote.send(new ${command}Command({ TableName: process.env.TABLE_NAME, Key: {} }));\n}\n`;
/** The same, with the role of the function's own template that AUDIT's LOCAL_ROLE_ARN names. */
const LOCAL_ASSUMED = [
  'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";',
  'import { SQSClient, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";',
  "const queue = new SQSClient({ credentials: fromTemporaryCredentials({ params: { RoleArn: process.env.LOCAL_ROLE_ARN } }) });",
  'export const handler = async () => { await queue.send(new ReceiveMessageCommand({ QueueUrl: "q" })); await queue.send(new SendMessageCommand({ QueueUrl: "q", MessageBody: "x" })); };',
].join("\n");

/** A handler of Worker, whose role allows no S3, SQS or Secrets Manager action: what resource policies decide. */
const policies = fileURLToPath(new URL("../fixtures/handlers/resource-policies/src/worker.ts", import.meta.url));
const S3_HEAD = 'import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";\nconst s3 = new S3Client({});\n';
/** The data of a notAllowed message about Worker (line 29 of the resource-policies template). */
const workerCannot = (action: string, resource: string) => ({
  function: "Worker",
  role: "WorkerRole",
  action,
  resource,
  template: "tests/fixtures/handlers/resource-policies/template.yaml",
  line: "29",
  allowed: "it allows no s3 action",
});

/** A project whose template is in infra/ (named *.sam.yaml) beside src/, a helper module, and a function without CodeUri. */
const layouts = (file: string) => fileURLToPath(new URL(`../fixtures/handlers/layouts/${file}`, import.meta.url));
const layoutsCode = (file: string) => readFileSync(layouts(file), "utf8");
const itemsCannot = (fn: string, line: string, action: string) => ({
  function: fn,
  role: `${fn}Role (generated by SAM)`,
  action,
  resource: "Items",
  template: "tests/fixtures/handlers/layouts/infra/app.sam.yaml",
  line,
  allowed: READ_GRANTS,
});

/** The PutItemCommand these cases make, and what reportUnchecked says when its signer is not shown. */
const PUT_ORDER = "new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} })";
const ONE_SIGNER_NOT_SHOWN = { which: "its AWS SDK call", calls: "PutItemCommand" };

/** Valid cases also set reportUnchecked: they pass only when the template and the function were found. */
const found = [{ reportUnchecked: true }];
const S3_READ_GRANTS = "it allows s3:GetObject, s3:ListBucket, s3:GetBucketLocation, s3:GetObjectVersion and s3:GetLifecycleConfiguration";

/** The data of a notAllowed message about OrdersFunction (declared at line 28 of the template). */
function notAllowed(action: string, resource: string, allowed: string) {
  return {
    function: "OrdersFunction",
    role: "OrdersFunctionRole (generated by SAM)",
    action,
    resource,
    template: "tests/fixtures/handlers/orders/template.yaml",
    line: "28",
    allowed,
  };
}
const READ_GRANTS = "it allows dynamodb:GetItem, dynamodb:Scan, dynamodb:Query, dynamodb:BatchGetItem and dynamodb:DescribeTable";

const ruleTester = new RuleTester();

ruleTester.run("sdk-call-permissions", rule, {
  valid: [
    {
      name: "GetCallerIdentity needs no permission: nothing to check, nothing left unchecked",
      filename: orders,
      options: found,
      code: 'import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";\nconst sts = new STSClient({});\nexport const h = () => sts.send(new GetCallerIdentityCommand({}));\n',
    },
    {
      name: "a read that DynamoDBReadPolicy allows, on the table named by the environment",
      filename: orders,
      options: found,
      code: `${DB_HEAD}export const h = () => db.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: {} }));\n`,
    },
    {
      name: "a read of the table named by its ARN (TableName accepts either)",
      filename: orders,
      options: found,
      code: `${DB_HEAD}export const h = () => db.send(new GetItemCommand({ TableName: process.env.TABLE_ARN, Key: {} }));\n`,
    },
    {
      name: "a queue named by its URL, among the queues the role may send to",
      filename: fileURLToPath(new URL("../fixtures/handlers/cross-account/app/src/direct.ts", import.meta.url)),
      options: found,
      code: 'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nconst sqs = new SQSClient({});\nexport const h = () => sqs.send(new SendMessageCommand({ QueueUrl: process.env.OPEN_QUEUE_URL, MessageBody: "m" }));\n',
    },
    {
      name: "an aliased import of a command that is allowed",
      filename: orders,
      options: found,
      code: 'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient, QueryCommand as Q } from "@aws-sdk/lib-dynamodb";\nconst documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nconst TABLE = process.env.TABLE_NAME;\nexport const h = () => documents.send(new Q({ TableName: TABLE, KeyConditionExpression: "id = :id" }));\n',
    },
    {
      name: "S3ReadPolicy allows GetObject on the bucket's objects",
      filename: orders,
      options: found,
      code: 'const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");\nexports.h = () => new S3Client({}).send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: "a" }));\n',
    },
    {
      name: "DynamoDBReadPolicy covers a query of a secondary index",
      filename: orders,
      options: found,
      code: `${DOCUMENTS_HEAD}export const h = () => documents.send(new QueryCommand({ TableName: process.env.TABLE_NAME, IndexName: "byCustomer" }));\n`,
    },
    {
      name: "a query of the table itself is allowed by a grant on the table",
      filename: search,
      options: found,
      code: `${DOCUMENTS_HEAD}export const h = () => documents.send(new QueryCommand({ TableName: process.env.TABLE_NAME }));\n`,
    },
    {
      name: "a function whose role comes from another stack is not checked",
      filename: report,
      options: found,
      code: 'import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";\nexport const lambdaHandler = () => new S3Client({}).send(new PutObjectCommand({ Bucket: "reports", Key: "k" }));\n',
    },
    {
      name: "a command whose actions depend on the request (PartiQL) is not judged",
      filename: orders,
      code: `${DB_HEAD}export const h = () => db.send(new ExecuteStatementCommand({ Statement: "INSERT INTO Orders VALUE {}" }));\n`,
    },
    {
      name: "a write with an assumed role's credentials is not the execution role's to allow, nor is the AssumeRole itself",
      filename: assuming,
      options: found,
      code: `${ASSUMED_CLIENT}\n}\n`,
    },
    {
      name: "a write the assumed role of another account allows, on the table the function names",
      filename: assuming,
      options: found,
      settings: accounts,
      code: `${ASSUMED_CLIENT}\n}\n`,
    },
    {
      name: "a document client built on a client whose credentials come from fromTemporaryCredentials",
      filename: assuming,
      options: found,
      code: 'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";\nimport { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\nconst documents = DynamoDBDocumentClient.from(new DynamoDBClient({ credentials: fromTemporaryCredentials({ params: { RoleArn: process.env.TARGET_ROLE_ARN } }) }));\nexport const h = () => documents.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: {} }));\n',
    },
    {
      name: "a write in the export only the function allowed to write runs",
      filename: sharedFile,
      options: found,
      code: `${SHARED_HEAD}export async function write() { await db.send(${PUT}); }\nexport const read = async () => undefined;\n`,
    },
    {
      name: "a write that the bucket's own policy allows the role (by its ARN), though the role's policies do not",
      filename: policies,
      options: found,
      code: `${S3_HEAD}export const handler = () => s3.send(new PutObjectCommand({ Bucket: process.env.GRANTED_BUCKET, Key: "k", Body: "" }));\n`,
    },
    {
      name: "a send that a queue policy may allow (any principal, on a condition this linter does not evaluate) is unknown",
      filename: policies,
      options: found,
      code: 'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nconst sqs = new SQSClient({});\nexport const handler = () => sqs.send(new SendMessageCommand({ QueueUrl: process.env.OPEN_QUEUE, MessageBody: "m" }));\n',
    },
    {
      name: "a read of a secret whose resource policy names the role",
      filename: policies,
      options: found,
      code: 'import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";\nconst secrets = new SecretsManagerClient({});\nexport const handler = () => secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET }));\n',
    },
    {
      name: "code that is not deployed by the template and makes no SDK call",
      filename: unrelated,
      options: found,
      code: "export const add = (a: number, b: number) => a + b;\n",
    },
  ],
  invalid: [
    (() => {
      const code = `${DOCUMENTS_HEAD}export const h = () => documents.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: {} }));\n`;
      return {
        name: "a document-client Put that the role does not allow, reported at the command",
        filename: orders,
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: notAllowed("dynamodb:PutItem", "Orders", READ_GRANTS),
            ...locate(code, "new PutCommand({ TableName: process.env.TABLE_NAME, Item: {} })"),
          },
        ],
      };
    })(),
    (() => {
      const code =
        'const AWSXRay = require("aws-xray-sdk-core");\nconst { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");\nconst db = AWSXRay.captureAWSv3Client(new DynamoDBClient({}));\nexports.h = () => db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} }));\n';
      return {
        name: "a write through a client X-Ray instruments (captureAWSv3Client returns the client it is given)",
        filename: orders,
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: notAllowed("dynamodb:PutItem", "Orders", READ_GRANTS),
            ...locate(code, "new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} })"),
          },
        ],
      };
    })(),
    (() => {
      const code = `${DB_HEAD}export const h = () => db.send(new PutItemCommand({ TableName: process.env.TABLE_ARN, Item: {} }));\n`;
      return {
        name: "a write to the table named by its ARN",
        filename: orders,
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: notAllowed("dynamodb:PutItem", "Orders", READ_GRANTS),
            ...locate(code, "new PutItemCommand({ TableName: process.env.TABLE_ARN, Item: {} })"),
          },
        ],
      };
    })(),
    (() => {
      const url = "https://sqs.us-east-1.amazonaws.com/222222222222/orders";
      const code = `import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nconst sqs = new SQSClient({});\nexport const h = () => sqs.send(new SendMessageCommand({ QueueUrl: "${url}", MessageBody: "m" }));\n`;
      return {
        name: "a queue named by its URL, outside the queues the role may send to",
        filename: fileURLToPath(new URL("../fixtures/handlers/cross-account/app/src/direct.ts", import.meta.url)),
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: {
              function: "DirectFunction",
              role: "DirectFunctionRole",
              action: "sqs:SendMessage",
              resource: url,
              template: "tests/fixtures/handlers/cross-account/app/template.yaml",
              line: "140",
              allowed: "it allows sqs:SendMessage",
            },
            ...locate(code, `new SendMessageCommand({ QueueUrl: "${url}", MessageBody: "m" })`),
          },
        ],
      };
    })(),
    {
      name: "an aggregated client's method with no resource: reported because the role grants the action on nothing",
      filename: orders,
      code: 'import { S3 } from "@aws-sdk/client-s3";\nconst s3 = new S3({});\nexport const h = () => s3.listBuckets({});\n',
      errors: [{ messageId: "notAllowed", data: notAllowed("s3:ListAllMyBuckets", "its resource", S3_READ_GRANTS), line: 3, column: 24 }],
    },
    (() => {
      const code =
        'import * as sqs from "@aws-sdk/client-sqs";\nconst queue = new sqs.SQSClient({});\nexport const h = () => queue.send(new sqs.SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: "x" }));\n';
      return {
        name: "a queue the role cannot send to, through a namespace import",
        filename: orders,
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: notAllowed("sqs:SendMessage", "Jobs", "it allows no sqs action"),
            ...locate(code, 'new sqs.SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: "x" })'),
          },
        ],
      };
    })(),
    {
      name: "a paginator needs the command's action",
      filename: orders,
      code: 'import { paginateListQueues, SQSClient } from "@aws-sdk/client-sqs";\nexport async function h() { for await (const page of paginateListQueues({ client: new SQSClient({}) }, {})) void page; }\n',
      errors: [
        { messageId: "notAllowed", data: notAllowed("sqs:ListQueues", "its resource", "it allows no sqs action"), line: 2, column: 54 },
      ],
    },
    {
      name: "a GetObject with VersionId also needs s3:GetObjectVersion, which S3ReadPolicy grants; its tagging is another matter",
      filename: orders,
      code: 'import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";\nconst s3 = new S3Client({});\nexport const get = () => s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: "k", VersionId: "v1" }));\nexport const put = () => s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: "k", Tagging: "a=b" }));\n',
      errors: [
        { messageId: "notAllowed", data: notAllowed("s3:PutObject", "objects of Uploads", S3_READ_GRANTS), line: 4, column: 34 },
        { messageId: "notAllowed", data: notAllowed("s3:PutObjectTagging", "objects of Uploads", S3_READ_GRANTS), line: 4, column: 34 },
      ],
    },
    {
      name: "lib-storage's Upload needs s3:PutObject",
      filename: orders,
      code: 'import { S3Client } from "@aws-sdk/client-s3";\nimport { Upload } from "@aws-sdk/lib-storage";\nconst client = new S3Client({});\nexport const h = () => new Upload({ client, params: { Bucket: process.env.BUCKET, Key: "k", Body: "" } }).done();\n',
      errors: [{ messageId: "notAllowed", data: notAllowed("s3:PutObject", "objects of Uploads", S3_READ_GRANTS), line: 4, column: 24 }],
    },
    (() => {
      const code =
        'import { S3, S3Client, DeleteObjectCommand } from "@aws-sdk/client-s3";\nconst s3 = new S3({});\nconst client = new S3Client({});\nexport const h = async (event, command) => {\n  await s3[event.op]({ Bucket: process.env.BUCKET });\n  await client.send(command);\n  await s3["putObject"]({ Bucket: process.env.BUCKET, Key: "k" });\n  const remove = new DeleteObjectCommand({ Bucket: process.env.BUCKET, Key: "k" });\n  return client.send(remove);\n};\n';
      return {
        name: "with reportUnchecked, a method chosen at run time or a command made elsewhere is not checked; a literal method name, and a command held in a constant, are",
        filename: orders,
        options: found,
        code,
        errors: [
          {
            messageId: "unmappedCalls" as const,
            data: { calls: "s3[...] and send() of a command made elsewhere" },
            ...locate(code, "s3[event.op]"),
          },
          {
            messageId: "notAllowed" as const,
            data: notAllowed("s3:PutObject", "objects of Uploads", S3_READ_GRANTS),
            ...locate(code, 's3["putObject"]({ Bucket: process.env.BUCKET, Key: "k" })'),
          },
          {
            messageId: "notAllowed" as const,
            data: notAllowed("s3:DeleteObject", "objects of Uploads", S3_READ_GRANTS),
            ...locate(code, 'new DeleteObjectCommand({ Bucket: process.env.BUCKET, Key: "k" })'),
          },
        ],
      };
    })(),
    (() => {
      const code =
        'import { S3Client } from "@aws-sdk/client-s3";\nimport { Upload } from "@aws-sdk/lib-storage";\nconst client = new S3Client({});\nexport const h = () => {\n  const upload = new Upload({ client, params: { Bucket: process.env.BUCKET, Key: "k", Body: "" } });\n  return upload.done();\n};\n';
      return {
        name: "with reportUnchecked, an Upload held in a variable: its done() sends it, no unknown command",
        filename: orders,
        options: found,
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: notAllowed("s3:PutObject", "objects of Uploads", S3_READ_GRANTS),
            ...locate(code, 'new Upload({ client, params: { Bucket: process.env.BUCKET, Key: "k", Body: "" } })'),
          },
        ],
      };
    })(),
    {
      name: "a query of a secondary index needs the index ARN, which a grant on the table does not cover",
      filename: search,
      code: `${DOCUMENTS_HEAD}export const h = () => documents.send(new QueryCommand({ TableName: process.env.TABLE_NAME, IndexName: "byCustomer" }));\n`,
      errors: [
        {
          messageId: "notAllowed",
          data: {
            function: "SearchFunction",
            role: "SearchFunctionRole (generated by SAM)",
            action: "dynamodb:Query",
            resource: "an index of Orders",
            template: "tests/fixtures/handlers/orders/template.yaml",
            line: "61",
            allowed: "it allows dynamodb:Query",
          },
          ...locate(
            `${DOCUMENTS_HEAD}export const h = () => documents.send(new QueryCommand({ TableName: process.env.TABLE_NAME, IndexName: "byCustomer" }));\n`,
            'new QueryCommand({ TableName: process.env.TABLE_NAME, IndexName: "byCustomer" })',
          ),
        },
      ],
    },
    {
      name: "a queue encrypted with a customer managed key needs kms:GenerateDataKey to send",
      filename: search,
      code: 'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nconst sqs = new SQSClient({});\nexport const h = () => sqs.send(new SendMessageCommand({ QueueUrl: process.env.SECURE_QUEUE, MessageBody: "x" }));\n',
      errors: [
        {
          messageId: "notAllowed",
          data: {
            function: "SearchFunction",
            role: "SearchFunctionRole (generated by SAM)",
            action: "kms:GenerateDataKey",
            resource: "the KMS key of SecureJobs",
            template: "tests/fixtures/handlers/orders/template.yaml",
            line: "61",
            allowed: "it allows no kms action",
          },
          line: 3,
          column: 33,
        },
      ],
    },
    (() => {
      const code = `${ASSUMED_CLIENT}\n  await new DynamoDBClient({}).send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} }));\n}\n`;
      return {
        name: "beside an assumed client, a client without credentials sends with the execution role: only its write is reported",
        filename: assuming,
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: {
              function: "OrdersFunction",
              role: "OrdersFunctionRole",
              action: "dynamodb:PutItem",
              resource: "$TABLE_NAME",
              template: "tests/fixtures/handlers/cross-account/app/template.yaml",
              line: "31",
              allowed: "it allows no dynamodb action",
            },
            ...locate(code, "new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} })", 1),
          },
        ],
      };
    })(),
    ...[
      {
        name: "a write in a helper that both handlers call is reported for the read-only function, which reaches it",
        code: `${SHARED_HEAD}const put = () => db.send(${PUT});\nexport const write = () => put();\nexport const read = () => put();\n`,
        occurrence: 0,
      },
      {
        name: "a write in the export that the read-only function runs is reported for that function alone",
        code: `${SHARED_HEAD}export const write = () => db.send(${PUT});\nexport const read = () => db.send(${PUT});\n`,
        occurrence: 1,
      },
    ].map(({ name, code, occurrence }) => ({
      name,
      filename: sharedFile,
      code,
      errors: [
        {
          messageId: "notAllowed" as const,
          data: {
            function: "ReaderFunction",
            role: "ReaderFunctionRole (generated by SAM)",
            action: "dynamodb:PutItem",
            resource: "Orders",
            template: "tests/fixtures/handlers/shared-file/template.yaml",
            line: "33",
            allowed: READ_GRANTS,
          },
          ...locate(code, PUT, occurrence),
        },
      ],
    })),
    ...[
      {
        name: "the source of a CDK asset is checked against the function that runs its copy in cdk.out, for its handler only",
        filename: cdkWorker,
        code: cdkWorkerCode,
        fn: ["Worker11F36D0F", "SharedRoleD1D02F7E", "126", "OrdersStack/Worker"],
        action: "PutItem",
      },
      {
        name: "a module that esbuild bundled into a CDK asset is checked against the function that runs the bundle",
        filename: cdkAuditor,
        code: cdkAuditorCode,
        fn: ["AuditorB9A7BEA8", "AuditorServiceRole2A304669", "302", "OrdersStack/Auditor"],
        action: "DeleteItem",
      },
    ].map(({ name, filename, code, fn: [fn, role, line, construct], action }) => ({
      name,
      filename,
      code,
      errors: [
        {
          // A function of a synthesized template is named by its construct too.
          messageId: "notAllowedInConstruct" as const,
          data: {
            construct: construct!,
            function: fn!,
            role: role!,
            action: `dynamodb:${action}`,
            resource: "OrdersA9B65338",
            template: "examples/cdk-app/cdk.out/OrdersStack.template.json",
            line: line!,
            // What grantReadData gives.
            allowed:
              "it allows dynamodb:BatchGetItem, dynamodb:Query, dynamodb:GetItem, dynamodb:Scan, dynamodb:ConditionCheckItem and 3 more",
          },
          line: locate(code, `new ${action}Command(`).line,
          column: locate(code, `new ${action}Command(`).column,
        },
      ],
    })),
    (() => {
      const code = asAssumed("DeleteItem");
      return {
        name: "a call made as the assumed role of another account, which that role does not allow",
        filename: assuming,
        settings: accounts,
        code,
        errors: [
          {
            messageId: "assumedNotAllowed" as const,
            data: {
              function: "OrdersFunction",
              action: "dynamodb:DeleteItem",
              resource: "$TABLE_NAME",
              role: "OrdersWriter",
              template: "tests/fixtures/handlers/cross-account/data/template.yaml",
              line: "17",
              allowed: "it allows dynamodb:PutItem",
            },
            ...locate(code, "new DeleteItemCommand({ TableName: process.env.TABLE_NAME, Key: {} })"),
          },
        ],
      };
    })(),
    {
      name: "a call made as a role of the function's own template, which that role does not allow (the allowed one passes)",
      filename: fileURLToPath(new URL("../fixtures/handlers/cross-account/app/src/audit.ts", import.meta.url)),
      code: LOCAL_ASSUMED,
      errors: [
        {
          messageId: "assumedNotAllowed",
          data: {
            function: "AuditFunction",
            action: "sqs:SendMessage",
            resource: "its resource",
            role: "LocalReader",
            template: "tests/fixtures/handlers/cross-account/app/template.yaml",
            line: "57",
            allowed: "it allows sqs:ReceiveMessage",
          },
          ...locate(LOCAL_ASSUMED, 'new SendMessageCommand({ QueueUrl: "q", MessageBody: "x" })'),
        },
      ],
    },
    (() => {
      const code = [
        'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";',
        'import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";',
        "const reports = new S3Client({ credentials: fromTemporaryCredentials({ params: { RoleArn: process.env.IMPORTED_ROLE_ARN } }) });",
        'export const read = () => reports.send(new GetObjectCommand({ Bucket: "reports", Key: "k" }));',
        'export const write = () => reports.send(new PutObjectCommand({ Bucket: "reports", Key: "k", Body: "" }));',
      ].join("\n");
      return {
        name: "a role named by Fn::ImportValue, exported by another template of the account, which does not allow the write",
        filename: fileURLToPath(new URL("../fixtures/handlers/cross-account/app/src/audit.ts", import.meta.url)),
        settings: accounts,
        code,
        errors: [
          {
            messageId: "assumedNotAllowed" as const,
            data: {
              function: "AuditFunction",
              action: "s3:PutObject",
              resource: "objects of reports",
              role: "SharedReader",
              template: "tests/fixtures/handlers/cross-account/app/shared.yaml",
              line: "5",
              allowed: "it allows s3:GetObject",
            },
            ...locate(code, 'new PutObjectCommand({ Bucket: "reports", Key: "k", Body: "" })'),
          },
        ],
      };
    })(),
    (() => {
      const code = [
        'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";',
        'import { DynamoDBClient, PutItemCommand, DeleteItemCommand } from "@aws-sdk/client-dynamodb";',
        "const orders = new DynamoDBClient({ credentials: fromTemporaryCredentials({ params: { RoleArn: process.env.ORDERS_ROLE_ARN } }) });",
        'export const put = () => orders.send(new PutItemCommand({ TableName: "Orders", Item: {} }));',
        'export const remove = () => orders.send(new DeleteItemCommand({ TableName: "Orders", Key: {} }));',
      ].join("\n");
      const data = fileURLToPath(new URL("../fixtures/handlers/cross-account/data/template.yaml", import.meta.url));
      return {
        name: "a role read from the stack output of another account's stack (Fn::GetStackOutput), which does not allow the delete",
        filename: fileURLToPath(new URL("../fixtures/handlers/cross-account/app/src/outputs.ts", import.meta.url)),
        settings: {
          "lambda-iam": { accounts: { ...accounts["lambda-iam"].accounts, [data]: { account: "222222222222", stackName: "data" } } },
        },
        code,
        errors: [
          {
            messageId: "assumedNotAllowed" as const,
            data: {
              function: "OutputsFunction",
              action: "dynamodb:DeleteItem",
              resource: "Orders",
              role: "OrdersWriter",
              template: "tests/fixtures/handlers/cross-account/data/template.yaml",
              line: "17",
              allowed: "it allows dynamodb:PutItem",
            },
            ...locate(code, 'new DeleteItemCommand({ TableName: "Orders", Key: {} })'),
          },
        ],
      };
    })(),
    ...[
      {
        name: "a bucket policy that names only the account delegates to the role's own policies, which do not allow the read",
        bucket: "ACCOUNT_BUCKET",
        label: "AccountBucket",
      },
      { name: "a bucket policy that names another role allows this one nothing", bucket: "OTHER_BUCKET", label: "OtherBucket" },
    ].map(({ name, bucket, label }) => {
      const command = `new GetObjectCommand({ Bucket: process.env.${bucket}, Key: "k" })`;
      const code = `${S3_HEAD}export const handler = () => s3.send(${command});\n`;
      return {
        name,
        filename: policies,
        code,
        errors: [{ messageId: "notAllowed" as const, data: workerCannot("s3:GetObject", `objects of ${label}`), ...locate(code, command) }],
      };
    }),
    (() => {
      const code =
        `${layoutsCode("src/lib/store.ts")}\nexport const deleteAll = () => db.send(new DeleteItemCommand({ TableName: process.env.TABLE, Key: {} }));\n`.replace(
          "GetItemCommand, PutItemCommand",
          "DeleteItemCommand, GetItemCommand, PutItemCommand",
        );
      return {
        name: "a helper module is run by the functions whose handlers import what the call is in (infra/app.sam.yaml, a .js import of a .ts file); an export no handler imports is not",
        filename: layouts("src/lib/store.ts"),
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: itemsCannot("ItemsFunction", "13", "dynamodb:PutItem"),
            ...locate(code, "new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: id } } })"),
          },
        ],
      };
    })(),
    (() => {
      const code = layoutsCode("src/lib/archived.ts");
      return {
        name: "a module a handler imports by a subpath import (package.json imports, a conditional target) runs as that function",
        filename: layouts("src/lib/archived.ts"),
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: itemsCannot("ArchiveFunction", "40", "dynamodb:DeleteItem"),
            ...locate(code, "new DeleteItemCommand({ TableName: process.env.TABLE, Key: { id: { S: id } } })"),
          },
        ],
      };
    })(),
    (() => {
      const code = layoutsCode("infra/here.ts");
      return {
        name: "a SAM function without CodeUri runs code of its template's directory",
        filename: layouts("infra/here.ts"),
        code,
        errors: [
          {
            messageId: "notAllowed" as const,
            data: itemsCannot("HereFunction", "27", "dynamodb:DeleteItem"),
            ...locate(code, "new DeleteItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } })"),
          },
        ],
      };
    })(),
    (() => {
      const code = `${DB_HEAD}export const h = () => db.send(new ExecuteStatementCommand({ Statement: "INSERT INTO Orders VALUE {}" }));\n`;
      return {
        name: "with reportUnchecked, a command whose actions depend on the request (PartiQL) is reported as not checked",
        filename: orders,
        options: found,
        code,
        errors: [
          {
            messageId: "unmappedCalls" as const,
            data: { calls: "ExecuteStatementCommand" },
            ...locate(code, 'new ExecuteStatementCommand({ Statement: "INSERT INTO Orders VALUE {}" })'),
          },
        ],
      };
    })(),
    (() => {
      const code =
        'import { TranscribeClient, StartTranscriptionJobCommand } from "@aws-sdk/client-transcribe";\nimport { RDSData } from "@aws-sdk/client-rds-data";\nconst transcribe = new TranscribeClient({});\nconst rds = new RDSData();\nexport const h = async () => {\n  await transcribe.send(new StartTranscriptionJobCommand({ TranscriptionJobName: "j" }));\n  await rds.executeStatement({ sql: "select 1" });\n  rds.destroy();\n};\n';
      return {
        name: "with reportUnchecked, calls of services the SDK data does not list are reported as not checked, once per file",
        filename: orders,
        options: found,
        code,
        errors: [
          {
            messageId: "unmappedCalls" as const,
            data: { calls: "StartTranscriptionJobCommand and ExecuteStatementCommand" },
            ...locate(code, 'new StartTranscriptionJobCommand({ TranscriptionJobName: "j" })'),
          },
        ],
      };
    })(),
    (() => {
      const code = 'const AWS = require("aws-sdk");\nconst s3 = new AWS.S3();\nexports.handler = () => s3.listBuckets().promise();\n';
      return {
        name: "with reportUnchecked, a handler on the AWS SDK for JavaScript v2 is reported as not checked",
        filename: orders,
        options: found,
        code,
        errors: [
          {
            messageId: "unreadSdk" as const,
            data: { sdk: "the AWS SDK for JavaScript v2", package: "aws-sdk" },
            ...locate(code, 'require("aws-sdk")'),
          },
        ],
      };
    })(),
    (() => {
      const code = `${DB_HEAD}export const h = async (given: { send(c: unknown): unknown }) => {\n  await db.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: {} }));\n  await given.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: {} }));\n};\n`;
      return {
        name: "with reportUnchecked, the one call of a file whose signer is not shown is reported at that call",
        filename: orders,
        options: found,
        code,
        errors: [
          {
            messageId: "unknownSigners" as const,
            data: { which: "1 of its 2 AWS SDK calls", calls: "GetItemCommand" },
            ...locate(code, "new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: {} })", 1),
          },
        ],
      };
    })(),
    (() => {
      const code =
        'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";\nimport { PutItemCommand } from "@aws-sdk/client-dynamodb";\nexport const provider = fromTemporaryCredentials({ params: { RoleArn: "arn:aws:iam::222222222222:role/OrdersWriter" } });\nexport const h = (client: { send(command: unknown): unknown }) => client.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} }));\n';
      return {
        name: "a command sent by a client this file does not build, in a file that handles other credentials, is unknown",
        filename: assuming,
        options: found,
        code,
        errors: [{ messageId: "unknownSigners" as const, data: ONE_SIGNER_NOT_SHOWN, ...locate(code, PUT_ORDER) }],
      };
    })(),
    (() => {
      const code =
        'import { PutItemCommand } from "@aws-sdk/client-dynamodb";\nexport const h = () => new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} });\n';
      return {
        name: "a command that no client of this file sends is not judged: who signs it is unknown",
        filename: orders,
        options: found,
        code,
        errors: [{ messageId: "unknownSigners" as const, data: ONE_SIGNER_NOT_SHOWN, ...locate(code, PUT_ORDER) }],
      };
    })(),
    (() => {
      const code =
        'import { PutItemCommand } from "@aws-sdk/client-dynamodb";\nexport const h = (db: { send(c: unknown): unknown }) => db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: {} }));\n';
      return {
        name: "a command sent by a client the handler is given (a parameter) is not judged",
        filename: orders,
        options: found,
        code,
        errors: [{ messageId: "unknownSigners" as const, data: ONE_SIGNER_NOT_SHOWN, ...locate(code, PUT_ORDER) }],
      };
    })(),
    {
      name: "a file with SDK calls that no function runs, with reportUnchecked",
      filename: unrelated,
      options: found,
      code: `${DB_HEAD}export const h = () => db.send(new GetItemCommand({ TableName: "x", Key: {} }));\n`,
      errors: [{ messageId: "unmatchedHandler", line: 1, column: 1 }],
    },
  ],
});
