import rule from "../../src/rules/require-invoke-permission.js";
import { ZIP_CODE, locate, templateRuleTester, LAMBDA_TRUST, indent } from "../rule-tester.js";

/** A template with function Fn (named `worker`), its role, and `resources`. */
function template(resources: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      ${LAMBDA_TRUST}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt FnRole.Arn
${indent(resources, 2)}`;
}

function permission(principal: string, extra = "", functionName = "!GetAtt Fn.Arn"): string {
  return `Permission:\n  Type: AWS::Lambda::Permission\n  Properties:\n    Action: lambda:InvokeFunction\n    FunctionName: ${functionName}\n    Principal: ${principal}\n${indent(extra, 4)}`;
}

/** Each push invoker: the resource that makes the service invoke Fn (naming it with `!GetAtt Fn.Arn`), its principal and consequence. */
const INVOKERS: Array<{ kind: string; name: string; principal: string; deploy: boolean; resource: string; reference?: string }> = [
  {
    kind: "S3",
    name: "Uploads",
    principal: "s3.amazonaws.com",
    deploy: true,
    resource:
      "Uploads:\n  Type: AWS::S3::Bucket\n  Properties:\n    NotificationConfiguration:\n      LambdaConfigurations:\n        - {Event: 's3:ObjectCreated:*', Function: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "SNS subscription",
    name: "Sub",
    principal: "sns.amazonaws.com",
    deploy: false,
    resource:
      "Topic:\n  Type: AWS::SNS::Topic\nSub:\n  Type: AWS::SNS::Subscription\n  Properties: {Protocol: lambda, TopicArn: !Ref Topic, Endpoint: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "SNS topic subscription list",
    name: "Topic",
    principal: "sns.amazonaws.com",
    deploy: false,
    resource: "Topic:\n  Type: AWS::SNS::Topic\n  Properties:\n    Subscription:\n      - {Protocol: lambda, Endpoint: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "EventBridge rule",
    name: "Nightly",
    principal: "events.amazonaws.com",
    deploy: false,
    resource:
      "Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "API Gateway REST method",
    name: "Get",
    principal: "apigateway.amazonaws.com",
    deploy: false,
    resource:
      "Api:\n  Type: AWS::ApiGateway::RestApi\n  Properties: {Name: api}\nGet:\n  Type: AWS::ApiGateway::Method\n  Properties:\n    RestApiId: !Ref Api\n    ResourceId: !GetAtt Api.RootResourceId\n    HttpMethod: GET\n    AuthorizationType: NONE\n    Integration:\n      Type: AWS_PROXY\n      IntegrationHttpMethod: POST\n      Uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations\n",
    reference: "!Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations",
  },
  {
    kind: "HTTP API integration",
    name: "Integration",
    principal: "apigateway.amazonaws.com",
    deploy: false,
    resource:
      "Http:\n  Type: AWS::ApiGatewayV2::Api\n  Properties: {Name: http, ProtocolType: HTTP}\nIntegration:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties: {ApiId: !Ref Http, IntegrationType: AWS_PROXY, PayloadFormatVersion: '2.0', IntegrationUri: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "CloudWatch Logs subscription filter",
    name: "Filter",
    principal: "logs.amazonaws.com",
    deploy: true,
    resource:
      "Filter:\n  Type: AWS::Logs::SubscriptionFilter\n  Properties: {LogGroupName: /app/logs, FilterPattern: '', DestinationArn: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "IoT topic rule",
    name: "Rule",
    principal: "iot.amazonaws.com",
    deploy: false,
    resource:
      "Rule:\n  Type: AWS::IoT::TopicRule\n  Properties:\n    TopicRulePayload:\n      Sql: SELECT * FROM 'topic'\n      Actions:\n        - Lambda: {FunctionArn: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "Cognito trigger",
    name: "Pool",
    principal: "cognito-idp.amazonaws.com",
    deploy: false,
    resource: "Pool:\n  Type: AWS::Cognito::UserPool\n  Properties:\n    LambdaConfig: {PreSignUp: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "ALB target group",
    name: "Targets",
    principal: "elasticloadbalancing.amazonaws.com",
    deploy: true,
    resource:
      "Targets:\n  Type: AWS::ElasticLoadBalancingV2::TargetGroup\n  Properties:\n    TargetType: lambda\n    Targets:\n      - Id: !GetAtt Fn.Arn\n",
  },
  {
    kind: "SES receipt rule",
    name: "Inbound",
    principal: "ses.amazonaws.com",
    deploy: true,
    resource:
      "Inbound:\n  Type: AWS::SES::ReceiptRule\n  Properties:\n    RuleSetName: rules\n    Rule:\n      Actions:\n        - LambdaAction: {FunctionArn: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "Config custom rule",
    name: "Check",
    principal: "config.amazonaws.com",
    deploy: true,
    resource:
      "Check:\n  Type: AWS::Config::ConfigRule\n  Properties:\n    Source:\n      Owner: CUSTOM_LAMBDA\n      SourceIdentifier: !GetAtt Fn.Arn\n      SourceDetails: [{EventSource: aws.config, MessageType: ConfigurationItemChangeNotification}]\n",
  },
  {
    kind: "Secrets Manager rotation",
    name: "Rotation",
    principal: "secretsmanager.amazonaws.com",
    deploy: true,
    resource:
      "Secret:\n  Type: AWS::SecretsManager::Secret\nRotation:\n  Type: AWS::SecretsManager::RotationSchedule\n  Properties: {SecretId: !Ref Secret, RotationLambdaARN: !GetAtt Fn.Arn, RotationRules: {AutomaticallyAfterDays: 30}}\n",
  },
  {
    kind: "CloudWatch alarm action",
    name: "Alarm",
    principal: "lambda.alarms.cloudwatch.amazonaws.com",
    deploy: false,
    resource:
      "Alarm:\n  Type: AWS::CloudWatch::Alarm\n  Properties: {ComparisonOperator: GreaterThanThreshold, EvaluationPeriods: 1, Threshold: 1, MetricName: Errors, Namespace: AWS/Lambda, Period: 60, Statistic: Sum, AlarmActions: [!GetAtt Fn.Arn]}\n",
  },
  {
    kind: "Bedrock agent action group",
    name: "Agent",
    principal: "bedrock.amazonaws.com",
    deploy: false,
    resource:
      "Agent:\n  Type: AWS::Bedrock::Agent\n  Properties:\n    AgentName: agent\n    ActionGroups:\n      - ActionGroupName: tools\n        ActionGroupExecutor: {Lambda: !GetAtt Fn.Arn}\n",
  },
  {
    kind: "CodeCommit trigger",
    name: "Repo",
    principal: "codecommit.amazonaws.com",
    deploy: false,
    resource:
      "Repo:\n  Type: AWS::CodeCommit::Repository\n  Properties:\n    RepositoryName: repo\n    Triggers:\n      - {Name: t, Events: [all], DestinationArn: !GetAtt Fn.Arn}\n",
  },
];

const consequence = (deploy: boolean) => (deploy ? "CloudFormation fails to create it" : "its invocations fail");

/** How the suggested permission is scoped for each invoker: its ARN where that makes no cycle, else the account. */
const SCOPES: Record<string, string> = {
  "SNS subscription": "SourceArn: !Ref Topic",
  "SNS topic subscription list": "SourceArn: !Ref Topic",
  "EventBridge rule": "SourceArn: !GetAtt Nightly.Arn",
  "Cognito trigger": "SourceArn: !GetAtt Pool.Arn",
};

/** The suggestion for an invoker that is the template's last resource: a permission appended after it. */
function suggestion(code: string, kind: string, name: string, principal: string) {
  const scope = SCOPES[kind] ?? "SourceAccount: !Ref AWS::AccountId";
  const block = [
    `  ${name}InvokePermission:`,
    "    Type: AWS::Lambda::Permission",
    "    Properties:",
    "      Action: lambda:InvokeFunction",
    "      FunctionName: !GetAtt Fn.Arn",
    `      Principal: ${principal}`,
    `      ${scope}`,
  ].join("\n");
  // The bucket's notification is validated when it is created: it must wait for the permission.
  const waiting =
    kind === "S3"
      ? code.replace(
          "  Uploads:\n    Type: AWS::S3::Bucket",
          `  Uploads:\n    DependsOn: ${name}InvokePermission\n    Type: AWS::S3::Bucket`,
        )
      : code;
  return [
    {
      messageId: "addPermission",
      data: { permission: `${name}InvokePermission`, principal },
      output: `${waiting.replace(/\n$/u, "")}\n${block}\n`,
    },
  ];
}

/** The permission the S3 suggestion adds after bucket Uploads. */
const SUGGESTED_S3 =
  "  UploadsInvokePermission:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !GetAtt Fn.Arn\n      Principal: s3.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n";
const alias = "Live:\n  Type: AWS::Lambda::Alias\n  Properties: {FunctionName: !Ref Fn, FunctionVersion: '1', Name: live}\n";
const onAlias = template(
  `${alias}Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: !Ref Live}\n${permission("events.amazonaws.com")}`,
);
const wrongRule = template(
  `Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: !GetAtt Fn.Arn}\n${permission("events.amazonaws.com", "SourceArn: arn:aws:sqs:us-east-1:123456789012:not-a-rule")}`,
);
/** Two IoT topic rules that invoke Fn (Second named `second_rule`), and one permission for iot.amazonaws.com from `sourceArn`. */
const iotRules = (sourceArn: string) =>
  template(
    `${INVOKERS.find(({ kind }) => kind === "IoT topic rule")!.resource}Second:\n  Type: AWS::IoT::TopicRule\n  Properties:\n    RuleName: second_rule\n    TopicRulePayload:\n      Sql: SELECT * FROM 'other'\n      Actions:\n        - Lambda: {FunctionArn: !GetAtt Fn.Arn}\n` +
      permission("iot.amazonaws.com", `SourceAccount: !Ref AWS::AccountId\nSourceArn: ${sourceArn}`),
  );
/** A rule that invokes Fn (under `ruleCondition`, if any), and permissions for events.amazonaws.com under the given conditions. */
const conditional = (permissionConditions: string[], ruleCondition = "") =>
  template(
    `Nightly:\n  Type: AWS::Events::Rule\n${ruleCondition ? `  Condition: ${ruleCondition}\n` : ""}  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: !GetAtt Fn.Arn}\n` +
      permissionConditions
        .map((condition, i) =>
          permission("events.amazonaws.com", "SourceArn: !GetAtt Nightly.Arn")
            .replace("Permission:", `Permission${i}:`)
            .replace("  Properties:", `  Condition: ${condition}\n  Properties:`),
        )
        .join("\n"),
  ).replace(
    "Resources:",
    "Parameters:\n  Stage: {Type: String, AllowedValues: [prod, staging, dev]}\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\n  IsNotProd: !Not [Condition: IsProd]\n  IsDeployed: !Or [Condition: IsProd, !Equals [!Ref Stage, staging]]\nResources:",
  );
/** A GET method on /orders/{id} of REST API Api, and a permission for API Gateway from `sourceArn`. */
const restPath = (sourceArn: string) =>
  template(
    "Api:\n  Type: AWS::ApiGateway::RestApi\n  Properties: {Name: api}\nOrders:\n  Type: AWS::ApiGateway::Resource\n  Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: orders}\n" +
      "Order:\n  Type: AWS::ApiGateway::Resource\n  Properties: {RestApiId: !Ref Api, ParentId: !Ref Orders, PathPart: '{id}'}\n" +
      INVOKERS[4]!.resource
        .replace(/^Api:[\s\S]*?Get:/u, "Get:")
        .replace("ResourceId: !GetAtt Api.RootResourceId", "ResourceId: !Ref Order") +
      permission(
        "apigateway.amazonaws.com",
        `SourceArn: !Sub 'arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/${sourceArn}'`,
      ),
  );
/** Rule Nightly invoking Fn, a permission for EventBridge from it, and a resource policy statement on Fn. */
const withOrgStatement = (statement: string, permitted = true) =>
  template(
    `${rule_}${permitted ? `${permission("events.amazonaws.com", "SourceArn: !GetAtt Nightly.Arn")}\n` : ""}${resourcePolicy([statement])}`,
  );
const ORG_PERIMETER =
  "{Effect: Deny, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {StringNotEquals: {'aws:PrincipalOrgID': o-abc123defg}}}";
const ORG_ONLY =
  "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {StringEquals: {'aws:PrincipalOrgID': o-abc123defg}}}";
const url = (permissions: string) =>
  template(`Url:\n  Type: AWS::Lambda::Url\n  Properties: {AuthType: NONE, TargetFunctionArn: !GetAtt Fn.Arn}\n${permissions}`);
const urlPermission =
  "UrlPermission:\n  Type: AWS::Lambda::Permission\n  Properties: {Action: lambda:InvokeFunctionUrl, FunctionName: !Ref Fn, Principal: '*', FunctionUrlAuthType: NONE}\n";
/** An AWS::Lambda::ResourcePolicy on `resourceArn` with these statements (YAML flow items). */
const resourcePolicy = (statements: string[], resourceArn = "!GetAtt Fn.Arn") =>
  `FnPolicy:\n  Type: AWS::Lambda::ResourcePolicy\n  Properties:\n    ResourceArn: ${resourceArn}\n    PolicyDocument:\n      Version: "2012-10-17"\n      Statement:\n${statements.map((statement) => `        - ${statement}\n`).join("")}`;
const rule_ = INVOKERS[3]!.resource;
const allowEvents =
  "{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: lambda:InvokeFunction, Resource: !GetAtt Fn.Arn, Condition: {ArnLike: {'aws:SourceArn': !GetAtt Nightly.Arn}}}";
/** An EventBridge rule that invokes `target` with role EventsRole, which trusts `service` and has `grant` (a policy statement). */
const ruleWithRole = (grant: string, service = "events.amazonaws.com", target = "!GetAtt Fn.Arn", extra = "") =>
  template(
    `${extra}EventsRole:\n  Type: AWS::IAM::Role\n  Properties:\n    AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ${service}}, Action: sts:AssumeRole}]}\n    Policies:\n      - PolicyName: invoke\n        PolicyDocument: {Statement: [${grant}]}\n` +
      `Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: ${target}, RoleArn: !GetAtt EventsRole.Arn}\n`,
  );
const invokeFn = "{Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Fn.Arn}";
const restWithCredentials = (credentials: string) =>
  template(
    INVOKERS[4]!.resource.replace(
      "      IntegrationHttpMethod: POST\n",
      `      IntegrationHttpMethod: POST\n      Credentials: ${credentials}\n`,
    ),
  );
const invokePermission =
  "InvokePermission:\n  Type: AWS::Lambda::Permission\n  Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: '*', InvokedViaFunctionUrl: true}\n";

templateRuleTester().run("require-invoke-permission", rule as never, {
  valid: [
    {
      name: "an EventBridge target whose RoleArn role cannot invoke, but a resource-based permission allows the rule (the English guide's advice)",
      filename: "template.yaml",
      code: ruleWithRole(
        "{Effect: Allow, Action: lambda:InvokeFunction, Resource: 'arn:aws:lambda:*:*:function:other'}",
        "events.amazonaws.com",
        "!GetAtt Fn.Arn",
        `${permission("events.amazonaws.com", "SourceArn: !GetAtt Nightly.Arn")}\n`,
      ),
    },
    {
      name: "a Deny on callers of one organization does not stop a service principal (it carries no org ID)",
      filename: "template.yaml",
      code: withOrgStatement(ORG_PERIMETER.replace("StringNotEquals", "StringEquals")),
    },
    {
      name: "an organization perimeter that exempts requests without an org ID (Null: false)",
      filename: "template.yaml",
      code: withOrgStatement(
        ORG_PERIMETER.replace("StringNotEquals: {'aws:PrincipalOrgID': o-abc123defg}", "'Null': {'aws:PrincipalOrgID': 'false'}"),
      ),
    },
    ...["*/GET/orders/*", "prod/GET/orders/{id}", "*/*/*"].map((sourceArn) => ({
      name: `a REST method on /orders/{id} with a permission from ${sourceArn}`,
      filename: "template.yaml",
      code: restPath(sourceArn),
    })),
    {
      name: "a permission under the invoker's own condition",
      filename: "template.yaml",
      code: conditional(["IsProd"], "IsProd"),
    },
    {
      name: "a permission under a condition that the invoker's condition implies",
      filename: "template.yaml",
      code: conditional(["IsDeployed"], "IsProd"),
    },
    {
      name: "permissions under conditions that together always hold",
      filename: "template.yaml",
      code: conditional(["IsProd", "IsNotProd"]),
    },
    {
      name: "IoT: a permission from each rule's ARN",
      filename: "template.yaml",
      code: iotRules("!Sub 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/*'"),
    },
    ...INVOKERS.map(({ kind, principal, resource }) => ({
      name: `${kind} with a permission for ${principal}`,
      filename: "template.yaml",
      code: template(resource + permission(principal)),
    })),
    {
      name: "a permission by function name",
      filename: "template.yaml",
      code: template(INVOKERS[0]!.resource + permission("s3.amazonaws.com", "SourceAccount: !Ref AWS::AccountId", "worker")),
    },
    {
      name: "the regional CloudWatch Logs principal",
      filename: "template.yaml",
      code: template(INVOKERS[6]!.resource + permission("logs.eu-west-1.amazonaws.com")),
    },
    {
      name: "a principal written with Sub cannot be read: silent",
      filename: "template.yaml",
      code: template(INVOKERS[6]!.resource + permission("!Sub logs.${AWS::Region}.amazonaws.com")),
    },
    {
      name: "a SourceArn that may match is accepted",
      filename: "template.yaml",
      code: template(
        INVOKERS[4]!.resource +
          permission(
            "apigateway.amazonaws.com",
            "SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/*",
          ),
      ),
    },
    {
      name: "a permission whose function cannot be read might be the one",
      filename: "template.yaml",
      code: template(INVOKERS[3]!.resource + permission("events.amazonaws.com", "", "!ImportValue fn-arn")),
    },
    {
      name: "a SAM push event generates its permission",
      filename: "template.yaml",
      code: "Transform: AWS::Serverless-2016-10-31\nResources:\n  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      NotificationConfiguration:\n        LambdaConfigurations:\n          - {Event: 's3:ObjectCreated:*', Function: !GetAtt Fn.Arn}\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      CodeUri: s3://bucket/code.zip\n      Events:\n        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}\n",
    },
    {
      name: "role-based invokers (EventBridge Scheduler, Step Functions) need no permission",
      filename: "template.yaml",
      code: template(
        "Schedule:\n  Type: AWS::Scheduler::Schedule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    FlexibleTimeWindow: {Mode: 'OFF'}\n    Target: {Arn: !GetAtt Fn.Arn, RoleArn: arn:aws:iam::123456789012:role/scheduler}\n",
      ),
    },
    {
      name: "a custom resource needs no permission",
      filename: "template.yaml",
      code: template("Custom:\n  Type: Custom::Thing\n  Properties: {ServiceToken: !GetAtt Fn.Arn}\n"),
    },
    { name: "a public URL with both permissions", filename: "template.yaml", code: url(urlPermission + invokePermission) },
    {
      name: "a rule on a bus named by its ARN (!GetAtt Bus.Arn), permitted by the rule's ARN with the bus name",
      filename: "template.yaml",
      code: template(
        "Bus:\n  Type: AWS::Events::EventBus\n  Properties: {Name: orders-bus}\n" +
          "Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    Name: nightly\n    EventBusName: !GetAtt Bus.Arn\n    EventPattern: {source: [orders]}\n    Targets:\n      - {Id: fn, Arn: !GetAtt Fn.Arn}\n" +
          permission(
            "events.amazonaws.com",
            'SourceArn: !Sub "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/orders-bus/nightly"',
          ),
      ),
    },
    {
      name: "an unconditioned lambda:InvokeFunction for Principal * covers a public URL's calls too",
      filename: "template.yaml",
      code: url(urlPermission + invokePermission.replace(", InvokedViaFunctionUrl: true", "")),
    },
    {
      name: "InvokedViaFunctionUrl written True (a YAML 1.2 boolean) counts as true",
      filename: "template.yaml",
      code: url(urlPermission + invokePermission.replace("InvokedViaFunctionUrl: true", "InvokedViaFunctionUrl: True")),
    },
    {
      name: "a SourceArn naming the rule itself matches",
      filename: "template.yaml",
      code: template(rule_ + permission("events.amazonaws.com", "SourceArn: !GetAtt Nightly.Arn")),
    },
    {
      name: "a SourceArn naming the API itself matches",
      filename: "template.yaml",
      code: template(
        INVOKERS[5]!.resource +
          permission(
            "apigateway.amazonaws.com",
            "SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Http}/*/$default",
          ),
      ),
    },
    {
      name: "a resource policy statement for the invoker's service",
      filename: "template.yaml",
      code: template(rule_ + resourcePolicy([allowEvents])),
    },
    {
      name: "a resource policy statement with a list of principals and actions",
      filename: "template.yaml",
      code: template(
        rule_ +
          resourcePolicy([
            "{Effect: Allow, Principal: {Service: [sns.amazonaws.com, events.amazonaws.com]}, Action: [lambda:GetFunction, 'lambda:Invoke*'], Resource: '*'}",
          ]),
      ),
    },
    {
      name: "a resource policy statement for {AWS: '*'}",
      filename: "template.yaml",
      code: template(
        rule_ +
          resourcePolicy([
            "{Effect: Allow, Principal: {AWS: '*'}, Action: lambda:InvokeFunction, Resource: '*', Condition: {StringEquals: {'aws:SourceAccount': !Ref AWS::AccountId}}}",
          ]),
      ),
    },
    {
      name: "a resource policy on the alias the rule targets",
      filename: "template.yaml",
      code: template(
        `${alias}Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: !Ref Live}\n${resourcePolicy([allowEvents], "!Ref Live")}`,
      ),
    },
    {
      name: "a resource policy whose document is a string cannot be read: silent",
      filename: "template.yaml",
      code: template(
        `${rule_}FnPolicy:\n  Type: AWS::Lambda::ResourcePolicy\n  Properties: {ResourceArn: !GetAtt Fn.Arn, PolicyDocument: '{"Statement": []}'}\n`,
      ),
    },
    {
      name: "a Deny that may not apply (another condition) keeps the rule silent",
      filename: "template.yaml",
      code: template(
        rule_ +
          resourcePolicy([
            allowEvents,
            "{Effect: Deny, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {NotIpAddress: {'aws:SourceIp': 10.0.0.0/8}}}",
          ]),
      ),
    },
    {
      name: "a Deny for another principal does not apply",
      filename: "template.yaml",
      code: template(
        rule_ +
          resourcePolicy([
            allowEvents,
            "{Effect: Deny, Principal: {Service: sns.amazonaws.com}, Action: lambda:InvokeFunction, Resource: '*'}",
          ]),
      ),
    },
    {
      name: "a Deny scoped to another rule's ARN does not apply",
      filename: "template.yaml",
      code: template(
        rule_ +
          resourcePolicy([
            allowEvents,
            "{Effect: Deny, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {ArnLike: {'aws:SourceArn': 'arn:aws:sqs:*:*:*'}}}",
          ]),
      ),
    },
    {
      name: "a resource policy whose function cannot be read might permit the invoker",
      filename: "template.yaml",
      code: template(rule_ + resourcePolicy([allowEvents], "!ImportValue fn-arn")),
    },
    {
      name: "a permission beside a resource policy on the same function may survive: silent",
      filename: "template.yaml",
      code: template(
        rule_ +
          permission("events.amazonaws.com") +
          resourcePolicy(["{Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: lambda:InvokeFunction, Resource: '*'}"]),
      ),
    },
    {
      name: "a public URL permitted by resource policy statements",
      filename: "template.yaml",
      code: url(
        resourcePolicy([
          "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunctionUrl, Resource: '*', Condition: {StringEquals: {'lambda:FunctionUrlAuthType': NONE}}}",
          "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {Bool: {'lambda:InvokedViaFunctionUrl': 'true'}}}",
        ]),
      ),
    },
    {
      name: "an EventBridge target with a RoleArn whose role trusts EventBridge and allows the invoke",
      filename: "template.yaml",
      code: ruleWithRole(invokeFn),
    },
    {
      name: "a role that grants the alias's ARN (Fn.Arn:*) covers a target on the alias",
      filename: "template.yaml",
      code: ruleWithRole(
        "{Effect: Allow, Action: lambda:InvokeFunction, Resource: !Sub '${Fn.Arn}:*'}",
        "events.amazonaws.com",
        "!Ref Live",
        alias,
      ),
    },
    {
      name: "a RoleArn of another stack cannot be checked: silent",
      filename: "template.yaml",
      code: template(rule_.replace("Arn: !GetAtt Fn.Arn}", "Arn: !GetAtt Fn.Arn, RoleArn: !ImportValue events-role}")),
    },
    {
      name: "an API Gateway integration that passes the caller's identity through",
      filename: "template.yaml",
      code: restWithCredentials("'arn:aws:iam::*:user/*'"),
    },
    {
      name: "an HTTP API integration with a CredentialsArn role that may invoke",
      filename: "template.yaml",
      code: template(
        "ApiRole:\n  Type: AWS::IAM::Role\n  Properties:\n    AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}]}\n    Policies: [{PolicyName: invoke, PolicyDocument: {Statement: [{Effect: Allow, Action: 'lambda:Invoke*', Resource: '*'}]}}]\n" +
          INVOKERS[5]!.resource.replace(
            "IntegrationUri: !GetAtt Fn.Arn}",
            "IntegrationUri: !GetAtt Fn.Arn, CredentialsArn: !GetAtt ApiRole.Arn}",
          ),
      ),
    },
  ],
  invalid: [
    {
      name: "an organization perimeter (Deny StringNotEquals aws:PrincipalOrgID) blocks EventBridge too",
      filename: "template.yaml",
      code: withOrgStatement(ORG_PERIMETER),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but statement 1 of resource policy FnPolicy denies it: a service principal's request carries no aws:PrincipalOrgID, and its condition on that key then holds (its invocations fail)",
        },
      ],
    },
    {
      name: "an Allow for one organization does not admit a service principal",
      filename: "template.yaml",
      code: withOrgStatement(ORG_ONLY, false),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but statement 1 of resource policy FnPolicy allows it only on a condition on aws:PrincipalOrgID, which a service principal's request does not carry (its invocations fail)",
        },
      ],
    },
    ...[
      ["another path", "*/GET/items/*"],
      ["another method", "*/POST/orders/*"],
      ["the parent path alone", "*/GET/orders"],
    ].map(([what, sourceArn]) => ({
      name: `a REST method on /orders/{id} with a permission from ${what} (${sourceArn})`,
      filename: "template.yaml",
      code: restPath(sourceArn!),
      errors: [
        {
          message:
            "Get makes apigateway.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api.Name}/${Get.Stage}/GET/orders/${Order.PathPart} (its invocations fail)",
        },
      ],
    })),
    {
      name: "an invoker that exists unconditionally, whose only permission has a Condition",
      filename: "template.yaml",
      code: conditional(["IsProd"]),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but what allows it exists only under a condition (permission Permission0 (condition IsProd)), and the template can deploy Nightly while that is false (its invocations fail)",
          line: 26,
          column: 25,
        },
      ],
    },
    {
      name: "an invoker whose condition does not imply its permission's",
      filename: "template.yaml",
      code: conditional(["IsProd"], "IsDeployed"),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but what allows it exists only under a condition (permission Permission0 (condition IsProd)), and the template can deploy Nightly while that is false (its invocations fail)",
        },
      ],
    },
    (() => {
      const code = ruleWithRole("{Effect: Allow, Action: lambda:InvokeFunction, Resource: 'arn:aws:lambda:*:*:function:other'}");
      return {
        name: "an EventBridge target's RoleArn role that does not allow the invoke",
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              'Nightly makes events.amazonaws.com invoke Fn with role EventsRole, but role EventsRole does not allow lambda:InvokeFunction on arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker (statement 1 of inline policy "invoke" of role EventsRole grants lambda:InvokeFunction on arn:aws:lambda:*:*:function:other), and no AWS::Lambda::Permission or resource policy statement allows it either (its invocations fail); AWS\'s English EventBridge guide says to give a Lambda target a resource-based policy rather than RoleArn, other editions that either works',
            ...locate(code, "!GetAtt EventsRole.Arn", 0),
          },
        ],
      };
    })(),
    {
      name: "a SourceArn naming another rule of the template cannot match",
      filename: "template.yaml",
      code: template(
        `${rule_}Other:\n  Type: AWS::Events::Rule\n  Properties: {ScheduleExpression: rate(1 hour)}\n${permission("events.amazonaws.com", "SourceArn: !GetAtt Other.Arn")}`,
      ),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${Nightly.Name} (its invocations fail)",
        },
      ],
    },
    {
      name: "a SourceArn naming another topic of the template cannot match",
      filename: "template.yaml",
      code: template(
        `${INVOKERS[1]!.resource}Other:\n  Type: AWS::SNS::Topic\n${permission("sns.amazonaws.com", "SourceArn: !Ref Other")}`,
      ),
      errors: [
        {
          message:
            "Sub makes sns.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Topic.Name} (its invocations fail)",
        },
      ],
    },
    {
      name: "a SourceArn naming another API of the template cannot match",
      filename: "template.yaml",
      code: template(
        `${INVOKERS[5]!.resource}Other:\n  Type: AWS::ApiGatewayV2::Api\n  Properties: {Name: other, ProtocolType: HTTP}\n${permission("apigateway.amazonaws.com", "SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Other}/*")}`,
      ),
      errors: [
        {
          message:
            "Integration makes apigateway.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Http.Name}/${Integration.StageAndRoute} (its invocations fail)",
        },
      ],
    },
    {
      name: "Credentials: null asks API Gateway for resource-based permissions",
      filename: "template.yaml",
      code: restWithCredentials("null"),
      errors: [
        {
          message:
            "Get makes apigateway.amazonaws.com invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (its invocations fail)",
          suggestions: suggestion(restWithCredentials("null"), "API Gateway REST method", "Get", "apigateway.amazonaws.com"),
        },
      ],
    },
    {
      name: "an EventBridge target's RoleArn role that trusts only Lambda",
      filename: "template.yaml",
      code: ruleWithRole(invokeFn, "lambda.amazonaws.com"),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn with role EventsRole, but the role's trust policy does not let events.amazonaws.com assume it, and no AWS::Lambda::Permission or resource policy statement allows it either (its invocations fail); AWS's English EventBridge guide says to give a Lambda target a resource-based policy rather than RoleArn, other editions that either works",
        },
      ],
    },
    {
      name: "a role that grants only the unqualified function does not cover a target on the alias",
      filename: "template.yaml",
      code: ruleWithRole(invokeFn, "events.amazonaws.com", "!Ref Live", alias),
      errors: [
        {
          message:
            'Nightly makes events.amazonaws.com invoke Fn:live with role EventsRole, but role EventsRole does not allow lambda:InvokeFunction on arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker:live (statement 1 of inline policy "invoke" of role EventsRole grants lambda:InvokeFunction on arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker), and no AWS::Lambda::Permission or resource policy statement allows it either (its invocations fail); AWS\'s English EventBridge guide says to give a Lambda target a resource-based policy rather than RoleArn, other editions that either works',
        },
      ],
    },
    (() => {
      const code = template(
        rule_ + resourcePolicy(["{Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: lambda:InvokeFunction, Resource: '*'}"]),
      );
      return {
        name: "a resource policy for another service does not permit the rule, and no AWS::Lambda::Permission is suggested beside it",
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              "Nightly makes events.amazonaws.com invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (its invocations fail)",
            ...locate(code, "!GetAtt Fn.Arn", 0),
            suggestions: [],
          },
        ],
      };
    })(),
    (() => {
      const code = template(rule_ + resourcePolicy([allowEvents, "{Effect: Deny, Principal: '*', Action: 'lambda:*', Resource: '*'}"]));
      return {
        name: "an unconditioned Deny for everyone stops the rule",
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              "Nightly makes events.amazonaws.com invoke Fn, but statement 2 of resource policy FnPolicy denies it (its invocations fail)",
            ...locate(code, "!GetAtt Fn.Arn", 0),
          },
        ],
      };
    })(),
    {
      name: "a resource policy on the function does not cover the rule's alias",
      filename: "template.yaml",
      code: template(
        `${alias}Nightly:\n  Type: AWS::Events::Rule\n  Properties:\n    ScheduleExpression: rate(1 day)\n    Targets:\n      - {Id: fn, Arn: !Ref Live}\n${resourcePolicy([allowEvents])}`,
      ),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn:live, but statement 1 of resource policy FnPolicy is on Fn: a permission covers only the function or alias it names (its invocations fail)",
        },
      ],
    },
    {
      name: "a resource policy statement whose aws:SourceArn cannot match the rule",
      filename: "template.yaml",
      code: template(
        rule_ +
          resourcePolicy([
            "{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: lambda:InvokeFunction, Resource: '*', Condition: {ArnLike: {'aws:SourceArn': 'arn:aws:sqs:*:*:*'}}}",
          ]),
      ),
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but the SourceArn of statement 1 of resource policy FnPolicy cannot match arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${Nightly.Name} (its invocations fail)",
        },
      ],
    },
    {
      name: "a public URL whose resource policy grants only lambda:InvokeFunctionUrl",
      filename: "template.yaml",
      code: url(
        resourcePolicy([
          "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunctionUrl, Resource: '*', Condition: {StringEquals: {'lambda:FunctionUrlAuthType': NONE}}}",
        ]),
      ),
      errors: [
        {
          message:
            'Url is a public function URL (AuthType NONE) of Fn, but no permission grants lambda:InvokeFunction for Principal "*" with InvokedViaFunctionUrl true; since October 2025 new function URLs need both, and callers get 403 Forbidden',
        },
      ],
    },
    (() => {
      const { kind, name, principal, deploy, resource, reference } = INVOKERS[3]!;
      const code = template(permission("sns.amazonaws.com", "", "!ImportValue fn-arn") + resource);
      return {
        name: `${kind} beside a permission whose function cannot be read, for another principal`,
        filename: "template.yaml",
        code,
        errors: [
          {
            message: `${name} makes ${principal} invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (${consequence(deploy)})`,
            ...locate(code, reference ?? "!GetAtt Fn.Arn", 0),
            suggestions: suggestion(code, kind, name, principal),
          },
        ],
      };
    })(),
    ...INVOKERS.map(({ kind, name, principal, deploy, resource, reference }) => {
      const code = template(resource);
      return {
        name: `${kind} without a permission`,
        filename: "template.yaml",
        code,
        errors: [
          {
            message: `${name} makes ${principal} invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (${consequence(deploy)})`,
            ...locate(code, reference ?? "!GetAtt Fn.Arn", 0),
            suggestions: suggestion(code, kind, name, principal),
          },
        ],
      };
    }),
    (() => {
      const code = template(INVOKERS[0]!.resource + permission("sns.amazonaws.com"));
      const block =
        "  UploadsInvokePermission:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !GetAtt Fn.Arn\n      Principal: s3.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n";
      return {
        name: "a permission with another principal does not count; the suggestion goes right after the invoker",
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              "Uploads makes s3.amazonaws.com invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (CloudFormation fails to create it)",
            suggestions: [
              {
                messageId: "addPermission",
                data: { permission: "UploadsInvokePermission", principal: "s3.amazonaws.com" },
                output: code
                  .replace("  Permission:\n", `${block}  Permission:\n`)
                  .replace(
                    "  Uploads:\n    Type: AWS::S3::Bucket",
                    "  Uploads:\n    DependsOn: UploadsInvokePermission\n    Type: AWS::S3::Bucket",
                  ),
              },
            ],
          },
        ],
      };
    })(),
    ...[
      { shape: "a name", dependsOn: "    DependsOn: Gate\n", after: "    DependsOn: [Gate, UploadsInvokePermission]\n" },
      { shape: "a flow list", dependsOn: "    DependsOn: [Gate]\n", after: "    DependsOn: [Gate, UploadsInvokePermission]\n" },
      {
        shape: "a block list",
        dependsOn: "    DependsOn:\n      - Gate\n",
        after: "    DependsOn:\n      - Gate\n      - UploadsInvokePermission\n",
      },
    ].map(({ shape, dependsOn, after }) => {
      const code =
        template(INVOKERS[0]!.resource).replace("  Uploads:\n", `  Uploads:\n${dependsOn}`) + "  Gate:\n    Type: AWS::SNS::Topic\n";
      const block = SUGGESTED_S3.replace(/\n$/u, "");
      return {
        name: `the S3 suggestion adds the permission to a DependsOn that is ${shape}`,
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              "Uploads makes s3.amazonaws.com invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (CloudFormation fails to create it)",
            suggestions: [
              {
                messageId: "addPermission",
                data: { permission: "UploadsInvokePermission", principal: "s3.amazonaws.com" },
                output: code.replace(dependsOn, after).replace("  Gate:\n", `${block}\n  Gate:\n`),
              },
            ],
          },
        ],
      };
    }),
    (() => {
      const code = JSON.stringify(
        {
          Resources: {
            Fn: { Type: "AWS::Lambda::Function", Properties: { Role: "arn:aws:iam::123456789012:role/r", ...ZIP_CODE } },
            Nightly: {
              Type: "AWS::Events::Rule",
              Properties: { ScheduleExpression: "rate(1 day)", Targets: [{ Id: "fn", Arn: { "Fn::GetAtt": ["Fn", "Arn"] } }] },
            },
          },
        },
        null,
        2,
      );
      const inserted =
        ',\n    "NightlyInvokePermission": {\n      "Type": "AWS::Lambda::Permission",\n      "Properties": {\n        "Action": "lambda:InvokeFunction",\n        "FunctionName": { "Fn::GetAtt": ["Fn", "Arn"] },\n        "Principal": "events.amazonaws.com",\n        "SourceArn": { "Fn::GetAtt": ["Nightly", "Arn"] }\n      }\n    }';
      const nightlyEnd = code.lastIndexOf("}\n  }\n}");
      return {
        name: "a JSON template gets the permission as a new member after the invoker",
        filename: "template.json",
        code,
        errors: [
          {
            message:
              "Nightly makes events.amazonaws.com invoke Fn, but no AWS::Lambda::Permission or resource policy statement allows it (its invocations fail)",
            suggestions: [
              {
                messageId: "addPermission",
                data: { permission: "NightlyInvokePermission", principal: "events.amazonaws.com" },
                output: `${code.slice(0, nightlyEnd + 1)}${inserted}${code.slice(nightlyEnd + 1)}`,
              },
            ],
          },
        ],
      };
    })(),
    {
      name: "a trigger on an alias needs a permission on the alias",
      filename: "template.yaml",
      code: onAlias,
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn:live, but permission Permission is on Fn: a permission covers only the function or alias it names (its invocations fail)",
          ...locate(onAlias, "!Ref Live", 0),
        },
      ],
    },
    {
      name: "IoT: a permission from one rule's ARN (its generated name) does not admit a rule named in the template",
      filename: "template.yaml",
      code: iotRules("!GetAtt Rule.Arn"),
      errors: [
        {
          message:
            "Second makes iot.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/second_rule (its invocations fail)",
          line: 29,
          column: 35,
        },
      ],
    },
    {
      name: "IoT: a permission from the named rule's ARN does not admit the rule whose name CloudFormation generates",
      filename: "template.yaml",
      code: iotRules("!GetAtt Second.Arn"),
      errors: [
        {
          message:
            "Rule makes iot.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/${Rule.Name} (its invocations fail)",
          line: 21,
          column: 35,
        },
      ],
    },
    {
      name: "a SourceArn that cannot match the invoker",
      filename: "template.yaml",
      code: wrongRule,
      errors: [
        {
          message:
            "Nightly makes events.amazonaws.com invoke Fn, but the SourceArn of permission Permission cannot match arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${Nightly.Name} (its invocations fail)",
        },
      ],
    },
    {
      name: "a public URL beside a permission whose function cannot be read, for another principal",
      filename: "template.yaml",
      code: url(urlPermission + permission("sns.amazonaws.com", "", "!ImportValue fn-arn")),
      errors: [
        {
          message:
            'Url is a public function URL (AuthType NONE) of Fn, but no permission grants lambda:InvokeFunction for Principal "*" with InvokedViaFunctionUrl true; since October 2025 new function URLs need both, and callers get 403 Forbidden',
        },
      ],
    },
    {
      name: "a public URL with only the InvokeFunctionUrl permission",
      filename: "template.yaml",
      code: url(urlPermission),
      errors: [
        {
          message:
            'Url is a public function URL (AuthType NONE) of Fn, but no permission grants lambda:InvokeFunction for Principal "*" with InvokedViaFunctionUrl true; since October 2025 new function URLs need both, and callers get 403 Forbidden',
        },
      ],
    },
    {
      name: "a public URL with only the InvokeFunction permission",
      filename: "template.json",
      code: JSON.stringify({
        Resources: {
          Fn: { Type: "AWS::Lambda::Function", Properties: { Role: "arn:aws:iam::123456789012:role/r", ...ZIP_CODE } },
          Url: { Type: "AWS::Lambda::Url", Properties: { AuthType: "NONE", TargetFunctionArn: { "Fn::GetAtt": ["Fn", "Arn"] } } },
          InvokePermission: {
            Type: "AWS::Lambda::Permission",
            Properties: { Action: "lambda:InvokeFunction", FunctionName: { Ref: "Fn" }, Principal: "*", InvokedViaFunctionUrl: true },
          },
        },
      }),
      errors: [
        {
          message:
            'Url is a public function URL (AuthType NONE) of Fn, but no permission grants lambda:InvokeFunctionUrl for Principal "*" with FunctionUrlAuthType NONE; since October 2025 new function URLs need both, and callers get 403 Forbidden',
        },
      ],
    },
  ],
});

/**
 * Across accounts: the rules' template (the code under test) is placed in account 222222222222, the
 * fixture's functions in account 111111111111, as a project says in its ESLint settings.
 */
const FUNCTIONS = "tests/fixtures/cross-account-targets/functions/template.yaml";
const rulesTemplate = "tests/fixtures/cross-account-targets/rules/template.yaml";
const crossAccount = { "lambda-iam": { accounts: { [rulesTemplate]: "222222222222", [FUNCTIONS]: "111111111111" } } };

/** A rule of account 222222222222 that targets `arn` with `target` settings (a RoleArn), and its role `forwarder`. */
function forwarding(arn: string, target = "RoleArn: !GetAtt ForwarderRole.Arn"): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ForwarderRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: forwarder
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: lambda:InvokeFunction, Resource: "*"}
  Forward:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [orders]}
      Targets:
        - Id: target
          Arn: ${arn}
${indent(target, 10)}
`;
}
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;
/** The functions' template as the stack `functions` of account 111111111111, which Fn::GetStackOutput names. */
const asStack = {
  "lambda-iam": { accounts: { [rulesTemplate]: "222222222222", [FUNCTIONS]: { account: "111111111111", stackName: "functions" } } },
};
/** An output of the stack `functions`, read with a role of its account. */
const functionOutput = (name: string) =>
  `{"Fn::GetStackOutput": {StackName: functions, OutputName: ${name}, RoleArn: "arn:aws:iam::111111111111:role/outputs-reader"}}`;

/** A bucket `uploads-222` of account 222222222222 that notifies the function `name` of account 111111111111. */
const notifying = (name: string, bucket = "uploads-222") => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${bucket}
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: ${functionArn(name)}
`;
/** A topic `topic` of account 222222222222 with a subscription of the function `name` of account 111111111111. */
const subscribing = (name: string, topic = "orders") => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: ${topic}
  OrdersSubscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Orders
      Protocol: lambda
      Endpoint: ${functionArn(name)}
`;
const S3_FAILS =
  'PutBucketNotificationConfiguration fails: InvalidArgument "Unable to validate the following destination configurations" (HTTP 400); the bucket resource fails';
const SNS_FAILS =
  "subscription is created; each delivery fails and SNS retries per its delivery policy, then drops (or sends to the subscription RedrivePolicy DLQ)";
const notPermitted = (invoker: string, principal: string, fn: string, line: number, named: string, consequence: string) =>
  `${invoker} (account 222222222222) makes ${principal} invoke ${fn} of account 111111111111 (${FUNCTIONS}:${line}), but no permission of ${fn} lets ${principal} invoke it for ${invoker}: ${named} (${consequence})`;

templateRuleTester().run("require-invoke-permission across accounts", rule as never, {
  valid: [
    {
      name: "the function's permission admits the rule's account",
      filename: rulesTemplate,
      settings: crossAccount,
      code: forwarding(functionArn("shared")),
    },
    {
      name: "the function's permission names the rule's role by ARN",
      filename: rulesTemplate,
      settings: crossAccount,
      code: forwarding(functionArn("forwarded")),
    },
    {
      name: "a role whose name CloudFormation generates may be the one the permission names",
      filename: rulesTemplate,
      settings: crossAccount,
      code: forwarding(functionArn("forwarded")).replace("      RoleName: forwarder\n", ""),
    },
    {
      name: "without the accounts setting, whether the function is in another account is unknown",
      filename: rulesTemplate,
      code: forwarding(functionArn("lonely"), ""),
    },
    {
      name: "a function of the rule's own account",
      filename: rulesTemplate,
      settings: crossAccount,
      code: forwarding("arn:aws:lambda:us-east-1:222222222222:function:lonely", ""),
    },
    {
      name: "a function that no template of that account declares: its permissions are unknown",
      filename: rulesTemplate,
      settings: crossAccount,
      code: forwarding(functionArn("elsewhere")),
    },
    {
      name: "Fn::GetStackOutput of a function whose permission admits the rule's account",
      filename: rulesTemplate,
      settings: asStack,
      code: forwarding(functionOutput("SharedArn")),
    },
    {
      name: "a bucket of another account that the function's permission names, with that account as SourceAccount",
      filename: rulesTemplate,
      settings: crossAccount,
      code: notifying("thumbnails"),
    },
    {
      name: "a topic of another account that the function's permission names as SourceArn",
      filename: rulesTemplate,
      settings: crossAccount,
      code: subscribing("notified"),
    },
    {
      name: "a function whose permission SAM writes for its SNS event (its SourceArn and SourceAccount are SAM's)",
      filename: rulesTemplate,
      settings: {
        "lambda-iam": {
          accounts: { ...crossAccount["lambda-iam"].accounts, "tests/fixtures/cross-account-targets/functions/sam.yaml": "111111111111" },
        },
      },
      code: subscribing("subscriber"),
    },
    ...[forwarding(functionArn("lonely")), notifying("lonely")].map((code) => ({
      name: "a template of the function's account that cannot be read may give it a permission",
      filename: rulesTemplate,
      settings: {
        "lambda-iam": { accounts: { ...crossAccount["lambda-iam"].accounts, "tests/fixtures/cli/broken.yaml": "111111111111" } },
      },
      code,
    })),
    {
      name: "a bucket notifying a function of its own account is the one-template check's",
      filename: rulesTemplate,
      settings: crossAccount,
      code: notifying("lonely").replace("111111111111", "222222222222"),
    },
    {
      name: "without the accounts setting, a bucket notifying another account's function is not judged",
      filename: rulesTemplate,
      code: notifying("lonely"),
    },
    {
      name: "a rule on another account's event bus belongs to that bus's account",
      filename: rulesTemplate,
      settings: crossAccount,
      code: forwarding(functionArn("lonely"), "").replace(
        "EventPattern:",
        "EventBusName: arn:aws:events:us-east-1:333333333333:event-bus/shared\n      EventPattern:",
      ),
    },
  ],
  invalid: [
    (() => {
      const code = notifying("stamped");
      return {
        name: "a bucket of another account notifying a function whose S3 permission requires the function's own account",
        filename: rulesTemplate,
        settings: crossAccount,
        code,
        errors: [
          {
            message: notPermitted(
              "Uploads",
              "s3.amazonaws.com",
              "Stamped",
              95,
              "permission StampedPermission requires SourceAccount 111111111111",
              S3_FAILS,
            ),
            ...locate(code, functionArn("stamped")),
          },
        ],
      };
    })(),
    {
      name: "a bucket of another account that the function's permission does not name",
      filename: rulesTemplate,
      settings: crossAccount,
      code: notifying("thumbnails", "exports-222"),
      errors: [
        {
          message: notPermitted(
            "Uploads",
            "s3.amazonaws.com",
            "Thumbnails",
            77,
            "permission ThumbnailsPermission requires SourceArn arn:aws:s3:::uploads-222",
            S3_FAILS,
          ),
        },
      ],
    },
    {
      name: "a bucket of another account notifying a function with no permission",
      filename: rulesTemplate,
      settings: crossAccount,
      code: notifying("lonely"),
      errors: [{ message: notPermitted("Uploads", "s3.amazonaws.com", "Lonely", 67, "it has no permission", S3_FAILS) }],
    },
    (() => {
      const code = subscribing("process");
      return {
        name: "a topic of another account subscribing a function whose one permission is for EventBridge",
        filename: rulesTemplate,
        settings: crossAccount,
        code,
        errors: [
          {
            message: notPermitted(
              "OrdersSubscription",
              "sns.amazonaws.com",
              "Process",
              18,
              "permission ProcessPermission admits events.amazonaws.com",
              SNS_FAILS,
            ),
            ...locate(code, functionArn("process")),
          },
        ],
      };
    })(),
    {
      name: "another topic of that account than the one the function's permission names",
      filename: rulesTemplate,
      settings: crossAccount,
      code: subscribing("notified", "returns"),
      errors: [
        {
          message: notPermitted(
            "OrdersSubscription",
            "sns.amazonaws.com",
            "Notified",
            112,
            "permission NotifiedPermission requires SourceArn arn:aws:sns:us-east-1:222222222222:orders",
            SNS_FAILS,
          ),
        },
      ],
    },
    (() => {
      const code = forwarding(functionArn("process"));
      return {
        name: "the function's only permission is for events.amazonaws.com",
        filename: rulesTemplate,
        settings: crossAccount,
        code,
        errors: [
          {
            message: `Forward invokes Process of account 111111111111 (${FUNCTIONS}:18) with role ForwarderRole, but no permission of Process admits that role or account 222222222222 (its permissions name only events.amazonaws.com); across accounts EventBridge calls the function with the role's credentials, so the function's resource policy must allow the role, and one for events.amazonaws.com does not apply`,
            ...locate(code, functionArn("process")),
          },
        ],
      };
    })(),
    (() => {
      const code = forwarding(functionOutput("ProcessArn"));
      return {
        name: "Fn::GetStackOutput of a function whose only permission is for events.amazonaws.com",
        filename: rulesTemplate,
        settings: asStack,
        code,
        errors: [
          {
            message: `Forward invokes Process of account 111111111111 (${FUNCTIONS}:18) with role ForwarderRole, but no permission of Process admits that role or account 222222222222 (its permissions name only events.amazonaws.com); across accounts EventBridge calls the function with the role's credentials, so the function's resource policy must allow the role, and one for events.amazonaws.com does not apply`,
            ...locate(code, functionOutput("ProcessArn")),
          },
        ],
      };
    })(),
    (() => {
      const code = forwarding(functionOutput("ProcessArn"), "");
      return {
        name: "Fn::GetStackOutput of a function of another account, without a RoleArn",
        filename: rulesTemplate,
        settings: asStack,
        code,
        errors: [
          {
            message: `Forward sends events to Process (${FUNCTIONS}), a function of account 111111111111, not this template's account 222222222222, but the target has no RoleArn: EventBridge delivers to a target in another account only through an execution role of the event bus's account`,
            ...locate(code, functionOutput("ProcessArn")),
          },
        ],
      };
    })(),
    (() => {
      const code = forwarding(functionArn("lonely"));
      return {
        name: "the function has no permission at all",
        filename: rulesTemplate,
        settings: crossAccount,
        code,
        errors: [
          {
            message: `Forward invokes Lonely of account 111111111111 (${FUNCTIONS}:67) with role ForwarderRole, but no permission of Lonely admits that role or account 222222222222 (it has no permission); across accounts EventBridge calls the function with the role's credentials, so the function's resource policy must allow the role, and one for events.amazonaws.com does not apply`,
            ...locate(code, functionArn("lonely")),
          },
        ],
      };
    })(),
    (() => {
      const code = forwarding(functionArn("forwarded")).replace("RoleName: forwarder", "RoleName: relay");
      return {
        name: "the function's permission names another role of the rule's account",
        filename: rulesTemplate,
        settings: crossAccount,
        code,
        errors: [
          {
            message: `Forward invokes Forwarded of account 111111111111 (${FUNCTIONS}:51) with role ForwarderRole, but no permission of Forwarded admits that role or account 222222222222 (its permissions name only arn:aws:iam::222222222222:role/forwarder); across accounts EventBridge calls the function with the role's credentials, so the function's resource policy must allow the role, and one for events.amazonaws.com does not apply`,
            ...locate(code, functionArn("forwarded")),
          },
        ],
      };
    })(),
    (() => {
      const code = forwarding(functionArn("shared"), "");
      return {
        name: "a target in another account without a RoleArn, whatever the function's permissions",
        filename: rulesTemplate,
        settings: crossAccount,
        code,
        errors: [
          {
            message:
              "Forward sends events to arn:aws:lambda:us-east-1:111111111111:function:shared, a function of account 111111111111, not this template's account 222222222222, but the target has no RoleArn: EventBridge delivers to a target in another account only through an execution role of the event bus's account",
            ...locate(code, functionArn("shared")),
          },
        ],
      };
    })(),
  ],
});

/** A subscription of Fn to account 222222222222's topic `orders`, with a permission scoped by `sourceAccount`. */
const TOPIC = "arn:aws:sns:us-east-1:222222222222:orders";
const otherAccountTopic = (sourceAccount: string) =>
  template(
    `Sub:\n  Type: AWS::SNS::Subscription\n  Properties: {Protocol: lambda, TopicArn: "${TOPIC}", Endpoint: !GetAtt Fn.Arn}\n` +
      permission("sns.amazonaws.com", `SourceArn: "${TOPIC}"\nSourceAccount: ${sourceAccount}`),
  );
const bucketWithAccount = (sourceAccount: string) =>
  template(
    "Uploads:\n  Type: AWS::S3::Bucket\n  Properties:\n    NotificationConfiguration:\n      LambdaConfigurations:\n        - {Event: 's3:ObjectCreated:*', Function: !GetAtt Fn.Arn}\n" +
      permission("s3.amazonaws.com", `SourceAccount: ${sourceAccount}`),
  );
const placed = { "lambda-iam": { accounts: { "template.yaml": "111111111111" } } };
const ownerMismatch = (invoker: string, principal: string, permitted: string, source: string, owner: string, consequence: string) =>
  `${invoker} makes ${principal} invoke Fn, but permission Permission allows it only with SourceAccount ${permitted}, and ${principal} sends the account that owns ${source}, ${owner} (${consequence})`;

templateRuleTester().run("require-invoke-permission: SourceAccount is the account that owns the source", rule as never, {
  valid: [
    {
      name: "the topic's own account",
      filename: "template.yaml",
      code: otherAccountTopic('"222222222222"'),
    },
    {
      name: "the stack's account, when which account that is is unknown",
      filename: "template.yaml",
      code: otherAccountTopic("!Ref AWS::AccountId"),
    },
    {
      name: "a bucket of the template and the stack's account",
      filename: "template.yaml",
      settings: placed,
      code: bucketWithAccount("!Ref AWS::AccountId"),
    },
    {
      name: "a bucket of the template and the account the settings place it in",
      filename: "template.yaml",
      settings: placed,
      code: bucketWithAccount('"111111111111"'),
    },
  ],
  invalid: [
    (() => {
      const code = otherAccountTopic('"111111111111"');
      return {
        name: "a literal SourceAccount other than the topic's account",
        filename: "template.yaml",
        code,
        errors: [
          {
            message: ownerMismatch("Sub", "sns.amazonaws.com", "111111111111", TOPIC, "222222222222", "its invocations fail"),
            ...locate(code, "!GetAtt Fn.Arn"),
          },
        ],
      };
    })(),
    (() => {
      const code = otherAccountTopic("!Ref AWS::AccountId");
      return {
        name: "the stack's account, placed by the settings in another account than the topic's",
        filename: "template.yaml",
        settings: placed,
        code,
        errors: [
          {
            message: ownerMismatch("Sub", "sns.amazonaws.com", "111111111111", TOPIC, "222222222222", "its invocations fail"),
            ...locate(code, "!GetAtt Fn.Arn"),
          },
        ],
      };
    })(),
    (() => {
      const code = bucketWithAccount('"999999999999"');
      return {
        name: "a bucket of the template, with the SourceAccount of another account than the one the settings place it in",
        filename: "template.yaml",
        settings: placed,
        code,
        errors: [
          {
            message: ownerMismatch(
              "Uploads",
              "s3.amazonaws.com",
              "999999999999",
              "arn:${AWS::Partition}:s3:::${Uploads.Name}",
              "111111111111",
              "CloudFormation fails to create it",
            ),
            ...locate(code, "!GetAtt Fn.Arn"),
          },
        ],
      };
    })(),
  ],
});
