import { describe, expect, it } from "vitest";
import { readBoto3Usage } from "../../src/python/boto3-reader.js";
import { parsePython } from "../../src/python/tree.js";

/** Each call as [label, IAM actions, signer, owner, the call's text, its input], each assumption as [its text, input]. */
function usageOf(text: string) {
  const parsed = parsePython(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const usage = readBoto3Usage(parsed.root);
  const inputText = (input: Map<string, { kind: string; text?: string; name?: string }>) =>
    Object.fromEntries(
      [...input].map(([key, value]) => [key, value.kind === "literal" ? value.text : value.kind === "env" ? `$${value.name}` : "?"]),
    );
  return {
    calls: usage.calls.map((call) => [
      call.label,
      call.actions.join(" "),
      call.assumption ? `assumed at ${call.assumption.range[0]}` : call.credentials,
      call.owner ?? "(module)",
      // The callee: the call's text without its last argument list.
      text.slice(...call.range).replace(/\((?:[^()]|\([^()]*\))*\)$/u, ""),
      inputText(call.input),
    ]),
    assumptions: usage.assumptions.map((assumption) => [assumption.range[0], inputText(assumption.input)]),
    unmapped: usage.unmapped.map((call) => [call.label, call.why]),
  };
}

describe("the boto3 reader", () => {
  it("reads clients made by boto3.client, a session, `from boto3 import client`, at module level or in a function", () => {
    const code = [
      "import os",
      "import boto3 as aws",
      "from boto3 import client as make",
      's3 = aws.client("s3")',
      "session = aws.Session()",
      'ddb = session.client("dynamodb")',
      "def handler(event, context):",
      "    s3.list_buckets()",
      '    ddb.put_item(TableName=os.environ["TABLE_NAME"], Item={})',
      '    ddb.get_item(TableName=os.getenv("TABLE_NAME", "fallback"), Key={})',
      '    make("sqs").send_message(QueueUrl=os.environ.get("QUEUE_URL"), MessageBody="m")',
      '    aws.Session().client("sns").publish(TopicArn="arn:aws:sns:us-east-1:123456789012:t", Message="m")',
    ].join("\n");
    expect(usageOf(code)).toEqual({
      calls: [
        ["s3.list_buckets", "s3:ListAllMyBuckets", "execution-role", "handler", "s3.list_buckets", {}],
        ["dynamodb.put_item", "dynamodb:PutItem", "execution-role", "handler", "ddb.put_item", { TableName: "$TABLE_NAME", Item: "?" }],
        // With a default, the variable may be unset: the table is not known.
        ["dynamodb.get_item", "dynamodb:GetItem", "execution-role", "handler", "ddb.get_item", { TableName: "?", Key: "?" }],
        [
          "sqs.send_message",
          "sqs:SendMessage",
          "execution-role",
          "handler",
          'make("sqs").send_message',
          { QueueUrl: "$QUEUE_URL", MessageBody: "m" },
        ],
        [
          "sns.publish",
          "sns:Publish",
          "execution-role",
          "handler",
          'aws.Session().client("sns").publish',
          { TopicArn: "arn:aws:sns:us-east-1:123456789012:t", Message: "m" },
        ],
      ],
      assumptions: [],
      unmapped: [],
    });
  });

  it("maps boto3's own helpers, paginators and waiters to the operations they send", () => {
    const code = [
      "import boto3",
      's3 = boto3.client("s3")',
      'ddb = boto3.client("dynamodb")',
      's3.upload_file("/tmp/report.json", "reports", "daily.json")',
      's3.download_file("reports", "daily.json", "/tmp/report.json")',
      'for page in s3.get_paginator("list_objects_v2").paginate(Bucket="reports"):',
      "    pass",
      'ddb.get_waiter("table_exists").wait(TableName="orders")',
      's3.generate_presigned_url("get_object", Params={"Bucket": "reports", "Key": "k"})',
    ].join("\n");
    // getattr(client, name): the method is chosen at run time.
    expect(usageOf(`${code}\ngetattr(s3, "get_object")(Bucket="reports", Key="k")`).unmapped).toEqual([
      ["s3.generate_presigned_url", "presigned"],
      ["getattr(s3, ...)", "depends-on-request"],
    ]);
    // A presigned request is sent by whoever gets it, with the role's credentials: no call, and not known.
    expect(usageOf(code).unmapped).toEqual([["s3.generate_presigned_url", "presigned"]]);
    expect(usageOf(code).calls).toEqual([
      ["s3.upload_file", "s3:PutObject", "execution-role", "(module)", "s3.upload_file", { Bucket: "reports", Key: "daily.json" }],
      ["s3.download_file", "s3:GetObject", "execution-role", "(module)", "s3.download_file", { Bucket: "reports", Key: "daily.json" }],
      [
        's3.get_paginator("list_objects_v2").paginate',
        "s3:ListBucket",
        "execution-role",
        "(module)",
        's3.get_paginator("list_objects_v2").paginate',
        { Bucket: "reports" },
      ],
      [
        'dynamodb.get_waiter("table_exists").wait',
        "dynamodb:DescribeTable",
        "execution-role",
        "(module)",
        'ddb.get_waiter("table_exists").wait',
        { TableName: "orders" },
      ],
    ]);
  });

  it("reads resources: a table's actions, its batch writer and load, a bucket's collections and objects, a queue", () => {
    const code = [
      "import os",
      "import boto3",
      "from boto3 import resource",
      'table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])',
      's3 = resource("s3")',
      "def handler(event, context):",
      '    table.put_item(Item={"id": "1"})',
      "    with table.batch_writer() as batch:",
      "        batch.put_item(Item={})",
      "    table.load()",
      '    bucket = s3.Bucket(os.environ["BUCKET"])',
      '    for item in bucket.objects.filter(Prefix="a/"):',
      "        pass",
      '    bucket.Object("k").get()',
      '    s3.Object("reports", "key").put(Body=b"x")',
      '    bucket.upload_file("/tmp/x", "k")',
      '    boto3.resource("sqs").Queue(os.environ["QUEUE_URL"]).send_message(MessageBody="m")',
      '    table.meta.client.describe_table(TableName="orders")',
    ].join("\n");
    expect(usageOf(code).calls).toEqual([
      [
        "dynamodb Table.put_item",
        "dynamodb:PutItem",
        "execution-role",
        "handler",
        "table.put_item",
        { Item: "?", TableName: "$TABLE_NAME" },
      ],
      [
        "dynamodb Table.batch_writer",
        "dynamodb:BatchWriteItem",
        "execution-role",
        "handler",
        "table.batch_writer",
        { TableName: "$TABLE_NAME" },
      ],
      ["dynamodb Table.load", "dynamodb:DescribeTable", "execution-role", "handler", "table.load", { TableName: "$TABLE_NAME" }],
      [
        "s3 Bucket.objects.filter",
        "s3:ListBucket",
        "execution-role",
        "handler",
        "bucket.objects.filter",
        { Prefix: "a/", Bucket: "$BUCKET" },
      ],
      ["s3 Object.get", "s3:GetObject", "execution-role", "handler", 'bucket.Object("k").get', { Bucket: "$BUCKET", Key: "k" }],
      [
        "s3 Object.put",
        "s3:PutObject",
        "execution-role",
        "handler",
        's3.Object("reports", "key").put',
        { Body: "?", Bucket: "reports", Key: "key" },
      ],
      ["s3 Bucket.upload_file", "s3:PutObject", "execution-role", "handler", "bucket.upload_file", { Key: "k", Bucket: "$BUCKET" }],
      [
        "sqs Queue.send_message",
        "sqs:SendMessage",
        "execution-role",
        "handler",
        'boto3.resource("sqs").Queue(os.environ["QUEUE_URL"]).send_message',
        { MessageBody: "m", QueueUrl: "$QUEUE_URL" },
      ],
      [
        "dynamodb.describe_table",
        "dynamodb:DescribeTable",
        "execution-role",
        "handler",
        "table.meta.client.describe_table",
        { TableName: "orders" },
      ],
    ]);
  });

  it("signs with the role an AssumeRole returned when the client or session takes its credentials, never with the execution role", () => {
    const code = [
      "import os",
      "import boto3",
      'sts = boto3.client("sts")',
      "def handler(event, context):",
      '    response = sts.assume_role(RoleArn=os.environ["TARGET_ROLE_ARN"], RoleSessionName="orders")',
      '    credentials = response["Credentials"]',
      '    remote = boto3.client("dynamodb", aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"])',
      '    remote.put_item(TableName="orders", Item={})',
      '    session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", aws_session_token=response.get("Credentials")["SessionToken"])',
      '    session.client("s3").list_buckets()',
      '    keyed = boto3.client("s3", aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"])',
      "    keyed.list_buckets()",
    ].join("\n");
    const assumeAt = code.indexOf("sts.assume_role");
    expect(usageOf(code)).toEqual({
      calls: [
        [
          "dynamodb.put_item",
          "dynamodb:PutItem",
          `assumed at ${assumeAt}`,
          "handler",
          "remote.put_item",
          { TableName: "orders", Item: "?" },
        ],
        ["s3.list_buckets", "s3:ListAllMyBuckets", `assumed at ${assumeAt}`, "handler", 'session.client("s3").list_buckets', {}],
        // Keys of the code's own: not the execution role, and no role the reader knows.
        ["s3.list_buckets", "s3:ListAllMyBuckets", "other", "handler", "keyed.list_buckets", {}],
      ],
      assumptions: [[assumeAt, { RoleArn: "$TARGET_ROLE_ARN", RoleSessionName: "orders" }]],
      unmapped: [],
    });
  });

  it("is not fooled by names: a parameter, a rebinding or another module's `client` is no known client, so its calls have no known signer", () => {
    const code = [
      "import boto3",
      "import requests",
      "from mylib import client",
      's3 = boto3.client("s3")',
      "def handler(event, s3):",
      "    s3.list_buckets()",
      'client("s3").list_buckets()',
      'db = boto3.client("dynamodb")',
      'db = boto3.client("sqs")',
      "db.list_tables()",
      'requests.get("https://example.com")',
    ].join("\n");
    // Listed (with reportUnchecked), never judged; requests.get is no AWS call at all.
    expect(usageOf(code)).toEqual({
      calls: [
        ["s3.list_buckets", "s3:ListAllMyBuckets", "unknown", "handler", "s3.list_buckets", {}],
        ["s3.list_buckets", "s3:ListAllMyBuckets", "unknown", "(module)", 'client("s3").list_buckets', {}],
        ["dynamodb.list_tables", "dynamodb:ListTables", "unknown", "(module)", "db.list_tables", {}],
      ],
      assumptions: [],
      unmapped: [],
    });
  });

  it("follows a client into the module's own functions when every call passes the same one, also through a second function", () => {
    const code = [
      "import boto3",
      'ddb = boto3.client("dynamodb")',
      "def save(client, item):",
      '    client.put_item(TableName="orders", Item=item)',
      "def forward(client):",
      "    save(client, {})",
      "def audit(target):",
      '    target.put_item(TableName="audit", Item={})',
      "def handler(event, context):",
      "    forward(ddb)",
      "    save(client=ddb, item={})",
      "    audit(ddb)",
      '    audit(boto3.client("sqs"))',
    ].join("\n");
    expect(usageOf(code).calls).toEqual([
      ["dynamodb.put_item", "dynamodb:PutItem", "execution-role", "save", "client.put_item", { TableName: "orders", Item: "?" }],
      // Called with two different clients: which signs is not known.
      ["dynamodb.put_item", "dynamodb:PutItem", "unknown", "audit", "target.put_item", { TableName: "audit", Item: "?" }],
    ]);
  });

  it("lists a method the data does not know, and a request whose actions depend on its content; a call that needs no permission is neither", () => {
    const code = [
      "import boto3",
      's3 = boto3.client("s3")',
      'ddb = boto3.client("dynamodb")',
      "s3.frobnicate()",
      'ddb.execute_statement(Statement="SELECT * FROM t")',
      'boto3.client("sts").get_caller_identity()',
    ].join("\n");
    expect(usageOf(code).unmapped).toEqual([
      ["s3.frobnicate", "not-in-data"],
      ["dynamodb.execute_statement", "depends-on-request"],
    ]);
  });
});
