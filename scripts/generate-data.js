// Generates the compact AWS facts in src/data/ from ../shared/data/ (their licences travel along in
// src/data/THIRD_PARTY_NOTICES). Run `npm run generate-data`; a test fails when the output is stale.
// `--check` compares instead of writing and exits 1 when anything differs.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const sharedData = fileURLToPath(new URL("../../shared/data/", import.meta.url));
const outputDir = fileURLToPath(new URL("../src/data/", import.meta.url));
const read = (name) => JSON.parse(readFileSync(sharedData + name, "utf8"));

/** AWS managed policies: name -> ARN and statements. */
function managedPolicies() {
  const source = read("managed-policies.json");
  const policies = {};
  for (const [name, policy] of Object.entries(source)) {
    if (name.startsWith("_")) continue;
    const statements = policy.document.Statement;
    policies[name] = { arn: policy.arn, statements: Array.isArray(statements) ? statements : [statements] };
  }
  return policies;
}

/** SAM policy templates: name -> parameters and definition. */
function samPolicyTemplates() {
  const source = read("sam-policy-templates.json");
  const templates = {};
  for (const [name, template] of Object.entries(source.Templates)) {
    templates[name] = { parameters: Object.keys(template.Parameters ?? {}), definition: template.Definition };
  }
  return templates;
}

/**
 * Where each resource type's ARN and name come from, to put the ARN formats of the Service Authorization
 * Reference (cfn-arns.json arnFormats) together with CloudFormation's return values (cfnReturnValues).
 * `arn`: the Ref/GetAtt that return the ARN; `name`: the property, Ref or GetAtt that give `${Name}`.
 */
const RESOURCE_ARNS = {
  "AWS::SQS::Queue": {
    format: ["sqs", "queue", "QueueName"],
    // Ref is the queue URL (cfn-arns.json cfnReturnValues), never an ARN.
    refFormat: "https://sqs.${Region}.${URLSuffix}/${Account}/${Name}",
    arn: { getAtt: ["Arn"] },
    name: { property: "QueueName", getAtt: ["QueueName"] },
  },
  "AWS::SNS::Topic": {
    format: ["sns", "topic", "TopicName"],
    arn: { ref: true, getAtt: ["TopicArn"] },
    name: { property: "TopicName", getAtt: ["TopicName"] },
  },
  "AWS::DynamoDB::Table": {
    format: ["dynamodb", "table", "TableName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "TableName", ref: true },
    attributes: { StreamArn: ["dynamodb", "stream", "TableName"] },
  },
  "AWS::DynamoDB::GlobalTable": {
    format: ["dynamodb", "table", "TableName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "TableName", ref: true },
    attributes: { StreamArn: ["dynamodb", "stream", "TableName"] },
  },
  "AWS::Serverless::SimpleTable": {
    format: ["dynamodb", "table", "TableName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "TableName", ref: true },
  },
  "AWS::Kinesis::Stream": { format: ["kinesis", "stream", "StreamName"], arn: { getAtt: ["Arn"] }, name: { property: "Name", ref: true } },
  // An enhanced fan-out consumer's ARN is its stream's ARN plus /consumer/NAME:TIMESTAMP; the format's
  // ${StreamType} is "stream" (Kinesis Data Streams has no other), ${StreamName} the stream StreamARN names.
  "AWS::Kinesis::StreamConsumer": {
    format: ["kinesis", "consumer", "ConsumerName"],
    fixed: { StreamType: "stream" },
    parent: { variable: "StreamName", property: "StreamARN" },
    arn: { ref: true, getAtt: ["ConsumerARN"] },
    name: { property: "ConsumerName", getAtt: ["ConsumerName"] },
  },
  // A rule without RuleName gets a generated name (of letters, digits and underscores): the symbol {Name:Rule}.
  "AWS::IoT::TopicRule": { format: ["iot", "rule", "RuleName"], arn: { getAtt: ["Arn"] }, name: { property: "RuleName", ref: true } },
  "AWS::S3::Bucket": { format: ["s3", "bucket", "BucketName"], arn: { getAtt: ["Arn"] }, name: { property: "BucketName", ref: true } },
  "AWS::Lambda::Function": {
    format: ["lambda", "function", "FunctionName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "FunctionName", ref: true },
  },
  "AWS::Serverless::Function": {
    format: ["lambda", "function", "FunctionName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "FunctionName", ref: true },
  },
  "AWS::Logs::LogGroup": {
    format: ["logs", "log-group", "LogGroupName"],
    arnSuffix: ":*",
    arn: { getAtt: ["Arn"] },
    name: { property: "LogGroupName", ref: true },
  },
  "AWS::StepFunctions::StateMachine": {
    format: ["states", "statemachine", "StateMachineName"],
    arn: { ref: true, getAtt: ["Arn"] },
    name: { property: "StateMachineName", getAtt: ["Name"] },
  },
  "AWS::Serverless::StateMachine": {
    format: ["states", "statemachine", "StateMachineName"],
    arn: { ref: true, getAtt: ["Arn"] },
    name: { property: "Name", getAtt: ["Name"] },
  },
  "AWS::Events::EventBus": {
    format: ["events", "event-bus", "EventBusName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "Name", ref: true, getAtt: ["Name"] },
  },
  "AWS::KMS::Key": { format: ["kms", "key", "KeyId"], arn: { getAtt: ["Arn"] }, name: { ref: true, getAtt: ["KeyId"] } },
  "AWS::IAM::Role": { format: ["iam", "role", "RoleNameWithPath"], arn: { getAtt: ["Arn"] }, name: { property: "RoleName", ref: true } },
  "AWS::KinesisFirehose::DeliveryStream": {
    format: ["firehose", "deliverystream", "DeliveryStreamName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "DeliveryStreamName", ref: true },
  },
  "AWS::SSM::Parameter": { format: ["ssm", "parameter", "ParameterNameWithoutLeadingSlash"], name: { property: "Name", ref: true } },
  // A rule's ARN names its bus when the bus is not the default one (cfn-arns.json events rule-on-*-event-bus).
  "AWS::Events::Rule": {
    format: ["events", "rule-on-default-event-bus", "RuleName"],
    busFormat: ["events", "rule-on-custom-event-bus", "RuleName"],
    arn: { getAtt: ["Arn"] },
    name: { property: "Name" },
  },
  // Ref is the pool's ID, which Cognito generates (no name property gives it).
  "AWS::Cognito::UserPool": {
    format: ["cognito-idp", "userpool", "UserPoolId"],
    arn: { getAtt: ["Arn"] },
    name: { ref: true, getAtt: ["UserPoolId"] },
  },
  // Ref is the API's ID, which CloudFormation generates (cfn-arns.json cfnReturnValues): no ARN of its own here.
  "AWS::ApiGateway::RestApi": { name: { ref: true, getAtt: ["RestApiId"] } },
  "AWS::Serverless::Api": { name: { ref: true } },
  "AWS::ApiGatewayV2::Api": { name: { ref: true, getAtt: ["ApiId"] } },
  "AWS::Serverless::HttpApi": { name: { ref: true } },
};

function resourceArns() {
  const { arnFormats } = read("cfn-arns.json");
  const formatOf = ([service, type, nameVariable]) => {
    const format = arnFormats[service]?.[type];
    if (!format) throw new Error(`cfn-arns.json has no ARN format ${service}:${type}`);
    return format.replace("${" + nameVariable + "}", "${Name}");
  };
  const result = {};
  for (const [type, facts] of Object.entries(RESOURCE_ARNS)) {
    const attributes = Object.fromEntries(Object.entries(facts.attributes ?? {}).map(([name, format]) => [name, formatOf(format)]));
    const fixed = (format) =>
      Object.entries(facts.fixed ?? {}).reduce((text, [name, value]) => text.replace("${" + name + "}", value), format);
    result[type] = {
      ...(facts.format ? { format: fixed(formatOf(facts.format)) + (facts.arnSuffix ?? "") } : {}),
      ...(facts.parent ? { parent: facts.parent } : {}),
      ...(facts.busFormat ? { busFormat: formatOf(facts.busFormat) } : {}),
      ...(facts.refFormat ? { refFormat: facts.refFormat } : {}),
      arn: facts.arn ?? {},
      name: facts.name,
      attributes,
    };
  }
  return result;
}

/**
 * Event source mapping requirements, read from event-source-requirements.json. Each required entry's
 * resource description is sorted into what the analyzer can ask about: the mapping's own source ARN,
 * "*", or a secret named in SourceAccessConfigurations. Log permissions are left to
 * function-config-permissions; entries whose resource we cannot name (rds parameter groups, Kinesis
 * consumers) or whose need the data calls uncertain (MQ's ENI actions) are left out, so they are never
 * reported.
 */
// samSourceProperty: the SAM event property that names the source (samtranslator eventsources/pull.py).
const EVENT_SOURCE_DETECTION = {
  SQS: {
    samEvent: "SQS",
    samSourceProperty: "Queue",
    arnService: "sqs",
    resourceTypes: ["AWS::SQS::Queue"],
    label: "an SQS event source mapping",
  },
  Kinesis: {
    samEvent: "Kinesis",
    samSourceProperty: "Stream",
    arnService: "kinesis",
    resourceTypes: ["AWS::Kinesis::Stream"],
    label: "a Kinesis event source mapping",
  },
  DynamoDBStreams: {
    samEvent: "DynamoDB",
    samSourceProperty: "Stream",
    arnService: "dynamodb",
    resourceTypes: ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"],
    label: "a DynamoDB stream event source mapping",
  },
  MSK: {
    samEvent: "MSK",
    samSourceProperty: "Stream",
    arnService: "kafka",
    resourceTypes: ["AWS::MSK::Cluster", "AWS::MSK::ServerlessCluster"],
    label: "an Amazon MSK event source mapping",
  },
  SelfManagedKafka: {
    samEvent: "SelfManagedKafka",
    samSourceProperty: null,
    arnService: null,
    resourceTypes: [],
    label: "a self-managed Kafka event source mapping",
  },
  AmazonMQ: {
    samEvent: "MQ",
    samSourceProperty: "Broker",
    arnService: "mq",
    resourceTypes: ["AWS::AmazonMQ::Broker"],
    label: "an Amazon MQ event source mapping",
  },
  DocumentDB: {
    samEvent: "DocumentDB",
    samSourceProperty: "Cluster",
    arnService: "rds",
    resourceTypes: [],
    label: "a DocumentDB event source mapping",
  },
};

/**
 * Actions the Lambda guide lists but that are not proven necessary: AWS's managed policies grant them,
 * but SAM's DynamoDB connector grants dynamodb:ListStreams only on the table's streams (not "*") and
 * SAM's KinesisStreamReadPolicy omits kinesis:ListShards, and roles like those work. Requiring them
 * could be a false alarm.
 */
const NOT_ENFORCED = new Set(["dynamodb:ListStreams", "kinesis:DescribeStreamSummary", "kinesis:ListShards"]);

/** MQ's network-interface actions, needed only for a broker in a VPC (the data's own note; SAM docs, MQ event). */
const isBrokerVpcEntry = (type, entry) =>
  type === "AmazonMQ" && entry.resource === "*" && entry.actions.some((action) => action.startsWith("ec2:"));

/**
 * Requirements that differ by the source's resource type. Serverless MSK clusters: "For serverless Amazon
 * MSK clusters, you must use kafka:DescribeClusterV2" (https://docs.aws.amazon.com/lambda/latest/dg/with-msk-permissions.html).
 */
const WITHOUT_FOR_RESOURCE_TYPE = { MSK: { "AWS::MSK::ServerlessCluster": ["kafka:DescribeCluster"] } };

function requirementResource(type, entry) {
  const resource = entry.resource;
  if (resource.startsWith("function log group")) return undefined;
  if (resource === "*") return isBrokerVpcEntry(type, entry) ? undefined : "*";
  if (/secret/iu.test(resource)) return "secret";
  if (/^(queue|stream|cluster|broker) ARN/u.test(resource)) return "source";
  return undefined;
}

const SAM_REPOSITORY = "https://github.com/aws/serverless-application-model/blob/7000d0a";

/**
 * A source as the shared data cites it, as a URL: "LDG2022 with-sqs.md#anchor" is the Lambda guide
 * page, "SAM pull.py class SQS" the translator's file at the audited commit, and the abbreviations the
 * data's _meta.sources defines are the URLs given there (or, for the datasets, the dataset's home).
 */
function sourceUrl(cited, meta) {
  const guide = /^LDG2022 ([\w-]+)\.md(#[\w-]+)?$/u.exec(cited);
  if (guide) return `https://docs.aws.amazon.com/lambda/latest/dg/${guide[1]}.html${guide[2] ?? ""}`;
  const samEvent = /^SAM (\w+)\.py class (\w+)$/u.exec(cited);
  if (samEvent) return `${SAM_REPOSITORY}/samtranslator/model/eventsources/${samEvent[1]}.py (class ${samEvent[2]})`;
  const samModel = /^SAM (\w+)\.py (\w+)$/u.exec(cited);
  if (samModel) return `${SAM_REPOSITORY}/samtranslator/model/${samModel[1]}.py (${samModel[2]})`;
  const datasets = {
    MP: "https://github.com/iann0036/iam-dataset (aws/managedpolicies)",
    SAR: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
  };
  if (datasets[cited]) return datasets[cited];
  const url = /https:\/\/\S+/u.exec(meta[cited] ?? "")?.[0];
  if (!url) throw new Error(`no URL for the source "${cited}"`);
  return url;
}

function eventSources() {
  const source = read("event-source-requirements.json");
  const result = {};
  for (const [type, facts] of Object.entries(source.eventSourceMappings)) {
    const detection = EVENT_SOURCE_DETECTION[type];
    if (!detection) throw new Error(`no detection for event source ${type}`);
    const requirements = [];
    for (const entry of facts.required) {
      const resource = requirementResource(type, entry);
      if (!resource) continue;
      // "either kafka:DescribeCluster or kafka:DescribeClusterV2 suffices" (MSK): one of them is enough.
      const alternatives = /either (\S+) or (\S+) suffices/u.exec(entry.note ?? "");
      if (alternatives) requirements.push({ anyOf: [alternatives[1], alternatives[2]], resource });
      else for (const action of entry.actions.filter((a) => !NOT_ENFORCED.has(a))) requirements.push({ anyOf: [action], resource });
    }
    const privateBroker = facts.required
      .filter((entry) => isBrokerVpcEntry(type, entry))
      .flatMap((entry) => entry.actions.map((action) => ({ anyOf: [action], resource: "*" })));
    const onFailure = facts.onFailure?.supported
      ? Object.fromEntries(Object.entries(facts.onFailure.destinations ?? {}).map(([kind, d]) => [kind, d.actions]))
      : {};
    result[type] = {
      ...detection,
      managedPolicy: facts.managedPolicy ?? null,
      requirements,
      ...(privateBroker.length > 0 ? { privateBrokerRequirements: privateBroker } : {}),
      ...(WITHOUT_FOR_RESOURCE_TYPE[type] ? { withoutForResourceType: WITHOUT_FOR_RESOURCE_TYPE[type] } : {}),
      kmsActions: facts.kms?.actions ?? [],
      onFailure,
      onMissing: facts.onMissing ?? "",
      // The data says whether AWS rejects the mapping at deploy time or it only fails to poll.
      failsDeploy: /rejected|fails at deploy/u.test(facts.onMissing ?? ""),
      sources: (facts.sources ?? []).map((cited) => sourceUrl(cited, source._meta.sources)),
    };
  }
  return result;
}

/**
 * What a function's dead-letter target and asynchronous destinations need, by destination type (the
 * shared data's functionFeatures), with the ARN service that tells a destination's type. Actions the
 * data qualifies ("s3:PutObject (bucket/*)") are left out: their resources are not the destination.
 */
function destinations() {
  const source = read("event-source-requirements.json");
  const features = source.functionFeatures;
  const plain = (actions) =>
    Object.fromEntries(
      Object.entries(actions)
        .map(([type, list]) => [type, list.filter((action) => !action.includes(" "))])
        .filter(([, list]) => list.length > 0),
    );
  return {
    byArnService: { sqs: "SQS", sns: "SNS", lambda: "Lambda", events: "EventBridge", s3: "S3" },
    deadLetter: {
      actions: plain(features.DeadLetterConfig.actions),
      sources: features.DeadLetterConfig.sources.map((cited) => sourceUrl(cited, source._meta.sources)),
    },
    async: {
      actions: plain(features.EventInvokeConfig.actions),
      sources: (features.EventInvokeConfig.sources ?? []).map((cited) => sourceUrl(cited, source._meta.sources)),
    },
  };
}

/**
 * Push invokers that need a resource-based permission: principal(s) and what happens without it, from
 * invokers.json. Where to find each invoker's reference to the function is code (analyzers/wiring/invokers.ts).
 */
function invokers() {
  const source = read("invokers.json");
  const result = {};
  for (const [kind, facts] of Object.entries(source.invokers)) {
    const permission = facts.permission;
    if (!permission || Array.isArray(permission)) continue;
    const principals = [...new Set([...permission.Principal.matchAll(/[a-z0-9.-]+\.amazon(?:aws)?\.com/gu)].map((match) => match[0]))];
    result[kind] = {
      principals,
      // The SAM push event types that generate this invoker and its permission ("EventBridgeRule / Schedule").
      samEvents: facts.sam?.eventType ? facts.sam.eventType.split(" / ") : [],
      // "logs.REGION.amazonaws.com": CloudWatch Logs also accepts its regional principal.
      regionalPrincipal: /logs\.REGION\.amazonaws\.com/u.test(permission.Principal),
      phase: facts.onMissing?.phase ?? "unknown",
      effect: facts.onMissing?.effect ?? "",
    };
  }
  return result;
}

/**
 * SDK v3 package -> command -> the IAM actions it needs (sdk-v3-actions.json). A command whose actions
 * depend on the request's content (PartiQL statements, transactions) is marked inexact: its actions are
 * candidates, not requirements, and are never reported as missing.
 */
function sdkActions() {
  const source = read("sdk-v3-actions.json");
  const conditional = source._conditional ?? {};
  const toClientOperation = source._meta.libDynamodbCommandToDynamoDBOperation ?? {};
  const isCandidateList = (pkg, command) =>
    (conditional[pkg]?.[command] ?? []).some((entry) => String(entry.kind ?? "").startsWith("depends-on-request"));
  const result = {};
  for (const [pkg, commands] of Object.entries(source)) {
    if (pkg.startsWith("_")) continue;
    result[pkg] = {};
    for (const [command, actions] of Object.entries(commands)) {
      if (command.startsWith("_") || !Array.isArray(actions)) continue;
      const inexact =
        pkg === "@aws-sdk/lib-dynamodb"
          ? isCandidateList("@aws-sdk/client-dynamodb", toClientOperation[command] ?? command) || actions.length > 1
          : isCandidateList(pkg, command);
      // kms:* entries that apply "when the target uses a customer managed key": checkable when the
      // template declares that key on the table, bucket, queue or topic.
      const kms = (conditional[pkg]?.[command] ?? [])
        .filter(
          (entry) =>
            entry.kind === "only-when" && String(entry.action ?? "").startsWith("kms:") && /customer managed key/u.test(entry.when ?? ""),
        )
        .map((entry) => entry.action);
      // Actions needed when the input has a property ("VersionId present", "Tagging present").
      const whenInput = Object.fromEntries(
        (conditional[pkg]?.[command] ?? [])
          .map((entry) => [entry, /^([A-Za-z]+) (?:present|Exists)$/u.exec(entry.when ?? "")?.[1]])
          .filter(([entry, key]) => entry.kind === "only-when" && key)
          .map(([entry, key]) => [key, entry.action]),
      );
      // What the call may also use, by its input or its target, that the reader does not decide (an ACL;
      // s3:ListBucket, without which a missing key is 403 rather than 404; SSE-KMS multipart): it is never
      // required, and a grant of it is never called unused. (KMS for an encrypted target: function-needs.ts.)
      // By action, when it is used, as the data says.
      const decided = new Set([...kms, ...Object.values(whenInput)]);
      const mayUse = Object.fromEntries(
        (conditional[pkg]?.[command] ?? [])
          .filter((entry) => entry.kind === "only-when" && entry.action && !decided.has(entry.action))
          .map((entry) => [entry.action, entry.when]),
      );
      result[pkg][command] = {
        actions,
        ...(inexact ? { inexact: true } : {}),
        ...(kms.length > 0 ? { kmsWhenEncrypted: kms } : {}),
        ...(Object.keys(whenInput).length > 0 ? { whenInput } : {}),
        ...(Object.keys(mayUse).length > 0 ? { mayUse } : {}),
      };
    }
  }
  // lib-storage's Upload sends PutObject, or a multipart upload (CreateMultipartUpload, UploadPart,
  // CompleteMultipartUpload: s3:PutObject), puts its `tags` with PutObjectTagging, and calls
  // AbortMultipartUpload when a multipart upload fails (aws-sdk-js-v3 lib/lib-storage/README.md,
  // leavePartsOnError). boto3's upload_file reads the same (s3transfer aborts a failed multipart upload).
  const s3 = result["@aws-sdk/client-s3"];
  const upload = result["@aws-sdk/lib-storage"]?.Upload;
  if (upload && s3) {
    const multipart = s3.CreateMultipartUpload ?? { actions: [] };
    upload.mayUse = {
      ...s3.PutObject?.mayUse,
      ...multipart.mayUse,
      "s3:AbortMultipartUpload": "a multipart upload fails (it is then aborted)",
      "s3:PutObjectTagging": "tags given",
    };
    upload.kmsWhenEncrypted = s3.PutObject?.kmsWhenEncrypted ?? [];
  }
  return result;
}

/**
 * Which input property of an SDK v3 command names the resource its IAM actions are authorised against
 * (the Service Authorization Reference's resource types; the SDK's input shapes). A query or scan of a
 * secondary index is authorised against the index ARN; an SQS queue is named by its URL (what `Ref`
 * gives) while IAM evaluates its ARN.
 */
function sdkInputs() {
  const sources = [
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    "https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/",
  ];
  return {
    dynamodb: { resourceInput: "TableName", indexInput: "IndexName", indexActions: ["dynamodb:Query", "dynamodb:Scan"], sources },
    s3: { resourceInput: "Bucket", objectInput: "Key", sources },
    sqs: { resourceInput: "QueueUrl", inputIsUrl: true, sources },
    sns: { resourceInput: "TopicArn", sources },
  };
}

const outputs = {
  "managed-policies.json": managedPolicies(),
  "sam-policy-templates.json": samPolicyTemplates(),
  "resource-arns.json": resourceArns(),
  "destinations.json": destinations(),
  "sdk-inputs.json": sdkInputs(),
  "event-sources.json": eventSources(),
  "invokers.json": invokers(),
  "sdk-actions.json": sdkActions(),
};
/** Which shared data file each generated file is made from: the shared NOTICE names the shared files. */
const MADE_FROM = {
  "managed-policies.json": ["managed-policies.json"],
  "sam-policy-templates.json": ["sam-policy-templates.json"],
  "resource-arns.json": ["cfn-arns.json"],
  "destinations.json": ["event-source-requirements.json"],
  "sdk-inputs.json": ["(written in scripts/generate-data.js, from the Service Authorization Reference)"],
  "event-sources.json": ["event-source-requirements.json", "managed-policies.json"],
  "invokers.json": ["invokers.json (facts from the SAM translator, whose notice is below, and the AWS Lambda guide)"],
  "sdk-actions.json": ["sdk-v3-actions.json"],
};
if (Object.keys(MADE_FROM).sort().join() !== Object.keys(outputs).sort().join())
  throw new Error("MADE_FROM must name every generated file");

/** The MIT licence text, whole: the shared NOTICE quotes it in part. */
const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
  associated documentation files (the "Software"), to deal in the Software without restriction, including
  without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
  copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
  following conditions:

  The above copyright notice and this permission notice shall be included in all copies or substantial
  portions of the Software.

  THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
  LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
  EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN
  AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE
  OR OTHER DEALINGS IN THE SOFTWARE.`;

/** The Python reader's files, which scripts/generate-python-data.js writes from these packages. */
const PYTHON_NOTICE = `
boto3-clients.json (written by scripts/generate-python-data.js)
  Derived from botocore's service models and boto3's resource models (https://github.com/boto/botocore,
  https://github.com/boto/boto3). Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0).
  Botocore: Copyright 2012-2022 Amazon.com, Inc. or its affiliates. All Rights Reserved.
  boto3: Copyright 2013-2017 Amazon.com, Inc. or its affiliates. All Rights Reserved.

python-stdlib.json (written by scripts/generate-python-data.js)
  The names of Python's standard library modules, from sys.stdlib_module_names of the Python that runs the
  script (https://docs.python.org/3/library/sys.html#sys.stdlib_module_names). Python Software Foundation
  License Version 2 (https://docs.python.org/3/license.html). Copyright (c) 2001 Python Software Foundation.
  All Rights Reserved.

tree-sitter-python.wasm (copied by scripts/generate-python-data.js)
  tree-sitter-python (https://github.com/tree-sitter/tree-sitter-python).
  MIT License. Copyright (c) 2016 Max Brunsfeld.
  ${MIT_TEXT}
`;

const notice = readFileSync(sharedData + "NOTICE", "utf8")
  // The shared notice cuts the MIT text after its first sentence of the disclaimer.
  .replace(/ {2}Permission is hereby granted[\s\S]*?EXPRESS OR IMPLIED\./u, `  ${MIT_TEXT}`)
  .replace("MIT License. Copyright (c) 2024 Act Security.", `MIT License. Copyright (c) 2024 Act Security.\n  ${MIT_TEXT}`);
const madeFrom = Object.entries(MADE_FROM)
  .map(([file, sources]) => `  ${file}: from ${sources.join(", ")}`)
  .join("\n");
const files = {
  ...Object.fromEntries(Object.entries(outputs).map(([name, data]) => [name, `${JSON.stringify(data, null, 1)}\n`])),
  THIRD_PARTY_NOTICES: `The files in this folder are generated by scripts/generate-data.js from the project's shared AWS facts
(../shared/data), which the notices below name:

${madeFrom}

The shared facts also cite AWS documentation (the Lambda, CloudFormation and IAM guides) for facts, not text.

${notice}
${PYTHON_NOTICE}`,
};

const check = process.argv.includes("--check");
let stale = 0;
for (const [name, content] of Object.entries(files)) {
  if (check) {
    let current = "";
    try {
      current = readFileSync(outputDir + name, "utf8");
    } catch {
      // a missing file is stale
    }
    if (current !== content) {
      console.error(`src/data/${name} is stale: run npm run generate-data`);
      stale++;
    }
  } else {
    writeFileSync(outputDir + name, content);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
