import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import rule from "../../src/rules/cross-account-access.js";
import { RuleTester } from "../code-rule-tester.js";
import { locate } from "../rule-tester.js";

/** Files are named relative to the repository, the working directory the rule sees, as in a project. */
const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = "tests/fixtures/handlers/cross-account";
const appTemplate = `${fixture}/app/template.yaml`;
const dataTemplate = `${fixture}/data/template.yaml`;
const handler = (name: string) => `${fixture}/app/src/${name}`;
/** Which account each fixture template deploys to, as a project would say in its ESLint settings. */
const settings = { "lambda-iam": { accounts: { [appTemplate]: "111111111111", [dataTemplate]: "222222222222" } } };

/** The same accounts, with a template that cannot be read (malformed YAML) placed in `account` too. */
const withUnreadable = (account: string) => ({
  "lambda-iam": { accounts: { ...settings["lambda-iam"].accounts, "tests/fixtures/cli/broken.yaml": account } },
});

/** The same accounts, with the data template known as the stack `data`, which Fn::GetStackOutput names. */
const asStacks = {
  "lambda-iam": { accounts: { [appTemplate]: "111111111111", [dataTemplate]: { account: "222222222222", stackName: "data" } } },
};
/** Where OutputsFunction (line 103 of the app template) runs. */
const outputs = { function: "OutputsFunction", role: "OutputsFunctionRole", account: "111111111111", template: appTemplate, line: "103" };

const STS = 'import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";\nconst sts = new STSClient({});\n';
/** A handler that assumes the role its input names, with the execution role's credentials. */
const assume = (input: string) => `${STS}export const h = () => sts.send(new AssumeRoleCommand({ ${input} }));\n`;
/** Where the rule reports: the whole `new AssumeRoleCommand({ ... })`. */
const at = (code: string) => {
  const start = code.indexOf("new AssumeRoleCommand(");
  return locate(code, code.slice(start, code.indexOf("})", start) + 2));
};
/** Where OrdersFunction (line 31 of the app template) runs, as a message names it. */
const orders = { function: "OrdersFunction", role: "OrdersFunctionRole", account: "111111111111", template: appTemplate, line: "31" };

const DDB =
  'import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";\nconst db = new DynamoDBClient({});\n';
/** A handler of DirectFunction that sends one DynamoDB command with its execution role's credentials. */
const direct = (command: string) => `${DDB}export const h = () => db.send(new ${command});\n`;
const SQS = 'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nconst sqs = new SQSClient({});\n';
/** A handler of DirectFunction that sends to the queue whose URL `variable` holds. */
const send = (variable: string) =>
  `${SQS}export const h = () => sqs.send(new SendMessageCommand({ QueueUrl: process.env.${variable}, MessageBody: "m" }));\n`;
/** Where DirectFunction (line 140 of the app template) runs and what it calls, as a message names them. */
const directCall = (actions: string, kind: string, resource: string, targetLine: string, policyKind: string) => ({
  function: "DirectFunction",
  account: "111111111111",
  actions,
  role: "DirectFunctionRole",
  kind,
  resource,
  targetTemplate: dataTemplate,
  targetLine,
  targetAccount: "222222222222",
  policyKind,
});

/** A case of DirectFunction's `code`, reported at `command` (its text) with `messageId` and `data`. */
function refusedCall(
  name: string,
  code: string,
  command: string,
  messageId: "noResourcePolicy" | "refusedByResourcePolicy",
  data: Record<string, string>,
) {
  return { name, filename: handler("direct.ts"), settings, code, errors: [{ messageId, data, ...locate(code, command) }] };
}

const ruleTester = new RuleTester();

ruleTester.run("cross-account-access", rule, {
  valid: [
    {
      name: "the whole chain holds: the role allows sts:AssumeRole on OrdersWriter, whose trust names orders-fn by aws:PrincipalArn",
      filename: handler("orders.ts"),
      settings,
      code: assume('RoleArn: process.env.TARGET_ROLE_ARN, RoleSessionName: "orders", DurationSeconds: 3600'),
    },
    {
      name: "a role of the function's own template (the same account) may be assumed on its trust alone: not claimed",
      filename: handler("audit.ts"),
      settings,
      code: assume('RoleArn: process.env.LOCAL_ROLE_ARN, RoleSessionName: "audit"'),
    },
    {
      name: "without the accounts setting, whether the role is in another account is unknown",
      filename: handler("audit.ts"),
      code: assume('RoleArn: process.env.AUDIT_ROLE_ARN, RoleSessionName: "audit"'),
    },
    {
      name: "a trust whose aws:PrincipalArn may match a role of unknown name (SAM's generated one) is not judged",
      filename: handler("reader.ts"),
      settings,
      code: assume('RoleArn: process.env.AUDIT_ROLE_ARN, RoleSessionName: "reader"'),
    },
    {
      name: "fromTemporaryCredentials with masterCredentials assumes the role with other credentials",
      filename: handler("audit.ts"),
      settings,
      code: 'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";\nexport const credentials = (master: never) => fromTemporaryCredentials({ masterCredentials: master, params: { RoleArn: process.env.AUDIT_ROLE_ARN, DurationSeconds: 7200 } });\n',
    },
    {
      name: "two templates of the role's account declare it: which one is deployed is unknown",
      filename: handler("orders.ts"),
      settings: { "lambda-iam": { accounts: { ...settings["lambda-iam"].accounts, [`${fixture}/data/copy.yaml`]: "222222222222" } } },
      code: assume('RoleArn: process.env.STRANGER_ROLE_ARN, RoleSessionName: "orders"'),
    },
    {
      name: "a role ARN the code computes cannot be followed",
      filename: handler("orders.ts"),
      settings,
      code: assume('RoleArn: `arn:aws:iam::${process.argv[2]}:role/StrangerWriter`, RoleSessionName: "orders"'),
    },
    {
      name: "an AssumeRole signed with other credentials than the execution role's is not the execution role's to allow",
      filename: handler("audit.ts"),
      settings,
      code: 'import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";\nconst sts = new STSClient({ credentials: { accessKeyId: "a", secretAccessKey: "b" } });\nexport const h = () => sts.send(new AssumeRoleCommand({ RoleArn: process.env.AUDIT_ROLE_ARN, RoleSessionName: "a", DurationSeconds: 7200 }));\n',
    },
    {
      name: "a file that no function runs is not checked",
      filename: `${fixture}/app/tools/audit.ts`,
      settings,
      code: assume('RoleArn: process.env.AUDIT_ROLE_ARN, RoleSessionName: "audit", DurationSeconds: 7200'),
    },
    {
      name: "a role read from another account's stack output (Fn::GetStackOutput), allowed and trusting the caller",
      filename: handler("outputs.ts"),
      settings: asStacks,
      code: assume('RoleArn: process.env.AUDIT_ROLE_ARN, RoleSessionName: "outputs"'),
    },
    {
      name: "a stack output of a stack that no template is known as cannot be followed",
      filename: handler("outputs.ts"),
      settings,
      code: assume('RoleArn: process.env.STRANGER_ROLE_ARN, RoleSessionName: "outputs"'),
    },
    {
      name: "a read of another account's table by its ARN, which the table's resource policy allows the role",
      filename: handler("direct.ts"),
      settings,
      code: direct("GetItemCommand({ TableName: process.env.SHARED_TABLE_ARN, Key: {} })"),
    },
    {
      name: "a send to another account's encrypted queue whose key policy admits the function's account",
      filename: handler("direct.ts"),
      settings,
      code: send("SHARED_KEY_QUEUE_URL"),
    },
    {
      name: "a send to another account's queue, by its URL, which the queue policy allows the function's account",
      filename: handler("direct.ts"),
      settings,
      code: send("OPEN_QUEUE_URL"),
    },
    {
      name: "a template of the table's account that cannot be read may hold its resource policy",
      filename: handler("direct.ts"),
      settings: withUnreadable("222222222222"),
      code: direct("PutItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Item: {} })"),
    },
    {
      name: "a template of the role's account that cannot be read may declare the role too",
      filename: handler("orders.ts"),
      settings: withUnreadable("222222222222"),
      code: assume('RoleArn: process.env.STRANGER_ROLE_ARN, RoleSessionName: "orders"'),
    },
    {
      name: "a macro that may rewrite the function's template may change the table it calls",
      filename: handler("direct.ts"),
      settings: { "lambda-iam": { accounts: { [`${fixture}/macro/template.yaml`]: "111111111111", [dataTemplate]: "222222222222" } } },
      options: [{ templates: [`${fixture}/macro/template.yaml`] }],
      code: direct("PutItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Item: {} })"),
    },
    {
      name: "a table named by its name alone is looked up in the function's own account",
      filename: handler("direct.ts"),
      settings,
      code: direct("PutItemCommand({ TableName: process.env.ORDERS_TABLE_NAME, Item: {} })"),
    },
    {
      name: "without the accounts setting, another account's table is not judged",
      filename: handler("direct.ts"),
      code: direct("PutItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Item: {} })"),
    },
    {
      name: "a query of an index (authorised on the index ARN) is not judged",
      filename: handler("direct.ts"),
      settings,
      code: direct('QueryCommand({ TableName: process.env.ORDERS_TABLE_ARN, IndexName: "byDate", KeyConditionExpression: "d = :d" })'),
    },
    {
      name: "a call signed with other credentials is not the execution role's",
      filename: handler("direct.ts"),
      settings,
      code: `${DDB.replace("new DynamoDBClient({})", "new DynamoDBClient({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })")}export const h = () => db.send(new PutItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Item: {} }));\n`,
    },
  ],
  invalid: [
    (() => {
      const code = send("SEALED_QUEUE_URL");
      return {
        name: "a send to another account's queue that its queue policy allows, but whose key (named by an alias) admits only its own account",
        filename: handler("direct.ts"),
        settings,
        code,
        errors: [
          {
            messageId: "refusedByKeyPolicy" as const,
            data: {
              ...directCall("sqs:SendMessage", "queue", "SealedQueue", "166", "queue policy"),
              key: "SealedKey",
              keyLine: "171",
              keyActions: "kms:GenerateDataKey",
            },
            ...locate(code, 'new SendMessageCommand({ QueueUrl: process.env.SEALED_QUEUE_URL, MessageBody: "m" })'),
          },
        ],
      };
    })(),
    refusedCall(
      "a write to another account's table that has no resource policy",
      direct("PutItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Item: {} })"),
      "new PutItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Item: {} })",
      "noResourcePolicy",
      directCall("dynamodb:PutItem", "table", "Orders", "5", "resource policy"),
    ),
    refusedCall(
      "a write to another account's table whose resource policy allows reads only",
      direct("PutItemCommand({ TableName: process.env.SHARED_TABLE_ARN, Item: {} })"),
      "new PutItemCommand({ TableName: process.env.SHARED_TABLE_ARN, Item: {} })",
      "refusedByResourcePolicy",
      { ...directCall("dynamodb:PutItem", "table", "SharedOrders", "98", "resource policy"), policies: `at ${dataTemplate}:111` },
    ),
    refusedCall(
      "a send to another account's queue, by its URL, whose queue policy admits a third account only",
      send("CLOSED_QUEUE_URL"),
      'new SendMessageCommand({ QueueUrl: process.env.CLOSED_QUEUE_URL, MessageBody: "m" })',
      "refusedByResourcePolicy",
      { ...directCall("sqs:SendMessage", "queue", "ClosedQueue", "139", "queue policy"), policies: `QueuesPolicy (${dataTemplate}:147)` },
    ),
    refusedCall(
      "a publish to another account's topic whose topic policy admits a third account only",
      'import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";\nconst sns = new SNSClient({});\nexport const h = () => sns.send(new PublishCommand({ TopicArn: process.env.EVENTS_TOPIC_ARN, Message: "m" }));\n',
      'new PublishCommand({ TopicArn: process.env.EVENTS_TOPIC_ARN, Message: "m" })',
      "refusedByResourcePolicy",
      { ...directCall("sns:Publish", "topic", "OrderEvents", "119", "topic policy"), policies: `OrderEventsPolicy (${dataTemplate}:124)` },
    ),
    (() => {
      const code = assume('RoleArn: process.env.STRANGER_ROLE_ARN, RoleSessionName: "outputs"');
      return {
        name: "a role read from another account's stack output, whose trust admits another account only",
        filename: handler("outputs.ts"),
        settings: asStacks,
        code,
        errors: [
          {
            messageId: "notTrusted" as const,
            data: {
              ...outputs,
              target: "arn:${AWS::Partition}:iam::222222222222:role/StrangerWriter",
              targetAccount: "222222222222",
              targetRole: "StrangerWriter",
              targetTemplate: dataTemplate,
              targetLine: "40",
              principals: "arn:aws:iam::333333333333:root",
            },
            ...at(code),
          },
        ],
      };
    })(),
    (() => {
      const code = assume('RoleArn: process.env.ORDERS_ROLE_ARN, RoleSessionName: "outputs"');
      return {
        name: "a role read from another account's stack output, which the execution role may not assume",
        filename: handler("outputs.ts"),
        settings: asStacks,
        code,
        errors: [
          {
            messageId: "assumeNotAllowed" as const,
            data: {
              ...outputs,
              target: "arn:${AWS::Partition}:iam::222222222222:role/OrdersWriter",
              source: " (from ORDERS_ROLE_ARN)",
              targetAccount: "222222222222",
            },
            ...at(code),
          },
        ],
      };
    })(),
    (() => {
      const code = assume('RoleArn: process.env.TARGET_ROLE_ARN, RoleSessionName: "orders", DurationSeconds: 7200');
      return {
        name: "a session longer than an hour: a function's credentials are its role's, so AssumeRole is role chaining",
        filename: handler("orders.ts"),
        settings,
        code,
        errors: [{ messageId: "roleChaining" as const, data: { seconds: "7200", function: "OrdersFunction" }, ...at(code) }],
      };
    })(),
    (() => {
      const code =
        'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";\nexport const credentials = fromTemporaryCredentials({ params: { RoleArn: process.env.TARGET_ROLE_ARN, DurationSeconds: 43200 } });\n';
      return {
        name: "fromTemporaryCredentials without masterCredentials assumes the role with the execution role's credentials",
        filename: handler("orders.ts"),
        code,
        errors: [
          {
            messageId: "roleChaining" as const,
            data: { seconds: "43200", function: "OrdersFunction" },
            ...locate(code, code.slice(code.indexOf("fromTemporaryCredentials({"), code.lastIndexOf(")") + 1)),
          },
        ],
      };
    })(),
    (() => {
      const code = assume('RoleArn: process.env.AUDIT_ROLE_ARN, RoleSessionName: "audit"');
      return {
        name: "a role of another account that the execution role may not assume",
        filename: handler("audit.ts"),
        settings,
        code,
        errors: [
          {
            messageId: "assumeNotAllowed" as const,
            data: {
              function: "AuditFunction",
              role: "AuditFunctionRole (generated by SAM)",
              account: "111111111111",
              template: appTemplate,
              line: "45",
              target: "arn:aws:iam::222222222222:role/AuditReader",
              source: " (from AUDIT_ROLE_ARN)",
              targetAccount: "222222222222",
            },
            ...at(code),
          },
        ],
      };
    })(),
    (() => {
      const code = assume('RoleArn: "arn:aws:iam::222222222222:role/AuditReader", RoleSessionName: "guarded"');
      return {
        name: "an explicit deny in the execution role's policy, whatever the accounts",
        filename: handler("guarded.ts"),
        code,
        errors: [
          {
            messageId: "assumeDenied" as const,
            data: {
              function: "GuardedFunction",
              role: "GuardedFunctionRole (generated by SAM)",
              target: "arn:aws:iam::222222222222:role/AuditReader",
              statement: "statement 1 of inline policy in GuardedFunction's Policies",
              template: appTemplate,
              line: "76",
            },
            ...at(code),
          },
        ],
      };
    })(),
    ...[
      {
        name: "the target role's template is in the repository, and its trust admits another account only",
        variable: "STRANGER_ROLE_ARN",
        role: "StrangerWriter",
        line: "40",
        principals: "arn:aws:iam::333333333333:root",
      },
      {
        name: "the trust admits the caller's account, narrowed by aws:PrincipalArn to roles the caller's role is not",
        variable: "NARROWED_ROLE_ARN",
        role: "NarrowedWriter",
        line: "67",
        principals: "arn:aws:iam::111111111111:root with aws:PrincipalArn arn:aws:iam::111111111111:role/billing-*",
      },
    ].map(({ name, variable, role, line, principals }) => {
      const code = assume(`RoleArn: process.env.${variable}, RoleSessionName: "orders"`);
      return {
        name,
        filename: handler("orders.ts"),
        settings,
        code,
        errors: [
          {
            messageId: "notTrusted" as const,
            data: {
              ...orders,
              target: `arn:aws:iam::222222222222:role/${role}`,
              targetAccount: "222222222222",
              targetRole: role,
              targetTemplate: dataTemplate,
              targetLine: line,
              principals,
            },
            ...at(code),
          },
        ],
      };
    }),
    (() => {
      const assembly = `${fixture.replace("cross-account", "cdk-accounts")}/cdk.out`;
      const code = readFileSync(path.join(root, assembly, "asset.0a1b2c/index.js"), "utf8");
      return {
        name: "in a CDK assembly, each stack's account comes from manifest.json: no accounts setting needed",
        filename: `${assembly}/asset.0a1b2c/index.js`,
        code,
        errors: [
          {
            // A function of a synthesized template is named by its construct too.
            messageId: "notTrustedInConstruct" as const,
            data: {
              construct: "AppStack/Worker",
              function: "Worker",
              role: "WorkerRole",
              account: "111111111111",
              template: `${assembly}/AppStack.template.json`,
              line: "25",
              target: "arn:aws:iam::222222222222:role/Writer",
              targetAccount: "222222222222",
              targetRole: "Writer",
              targetTemplate: `${assembly}/DataStack.template.json`,
              targetLine: "4",
              principals: "arn:aws:iam::333333333333:root",
            },
            ...at(code),
          },
        ],
      };
    })(),
    ...[
      { input: "ExternalId: process.env.EXTERNAL_ID", sent: '"orders-dev"' },
      { input: 'ExternalId: "orders-dev"', sent: '"orders-dev"' },
      { input: "", sent: "no ExternalId" },
    ].map(({ input, sent }) => {
      const code = assume(`RoleArn: process.env.EXTERNAL_ROLE_ARN, RoleSessionName: "orders", ${input}`);
      return {
        name: `the trust requires another sts:ExternalId than the call sends (${sent})`,
        filename: handler("orders.ts"),
        settings,
        code,
        errors: [
          {
            messageId: "externalIdMismatch" as const,
            data: { targetRole: "ExternalWriter", targetTemplate: dataTemplate, targetLine: "52", expected: '"orders-prod"', sent },
            ...at(code),
          },
        ],
      };
    }),
  ],
});
