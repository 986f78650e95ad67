import rule from "../../src/rules/invoke-permission-scope.js";
import { locate, locateKey, templateRuleTester, indent } from "../rule-tester.js";

function template(resources: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: arn:aws:iam::123456789012:role/worker
${indent(resources, 2)}`;
}

function permission(name: string, principal: string, extra = ""): string {
  return `${name}:\n  Type: AWS::Lambda::Permission\n  Properties:\n    Action: lambda:InvokeFunction\n    FunctionName: !Ref Fn\n    Principal: "${principal}"\n${indent(extra, 4)}`;
}

const everyone = template(permission("Open", "*"));
const events = template(permission("FromEvents", "events.amazonaws.com"));
const s3 = template(permission("FromS3", "s3.amazonaws.com", "SourceArn: arn:aws:s3:::uploads"));
const publicUrl = template(
  "Url:\n  Type: AWS::Lambda::Url\n  Properties: {AuthType: NONE, TargetFunctionArn: !GetAtt Fn.Arn}\n" +
    permission("UrlPermission", "*", "FunctionUrlAuthType: NONE\n").replace("lambda:InvokeFunction", "lambda:InvokeFunctionUrl") +
    permission("InvokePermission", "*", "InvokedViaFunctionUrl: true"),
);
const samUrl =
  "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      CodeUri: s3://bucket/code.zip\n      FunctionUrlConfig:\n        AuthType: NONE\n";
const samAlexa =
  "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      CodeUri: s3://bucket/code.zip\n      Events:\n        Skill:\n          Type: AlexaSkill\n";

const policy = (statement: string) =>
  template(
    `FnPolicy:\n  Type: AWS::Lambda::ResourcePolicy\n  Properties:\n    ResourceArn: !GetAtt Fn.Arn\n    PolicyDocument:\n      Statement:\n        - ${statement}\n`,
  );
const openStatement = policy("{Effect: Allow, Principal: '*', Action: lambda:InvokeFunction, Resource: '*'}");
const serviceStatement = policy(
  "{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: lambda:InvokeFunction, Resource: '*'}",
);

const FROM_ACCOUNT = "{Effect: Allow, Principal: {AWS: '111111111111'}, Action: lambda:InvokeFunction, Resource: '*'}";
/** A resource policy on Fn, and a scoped permission for events.amazonaws.com on `target` (Fn, or alias Live). */
const beside = (target: string) =>
  template(
    "Live:\n  Type: AWS::Lambda::Alias\n  Properties: {FunctionName: !Ref Fn, FunctionVersion: '1', Name: live}\n" +
      `FnPolicy:\n  Type: AWS::Lambda::ResourcePolicy\n  Properties:\n    ResourceArn: !GetAtt Fn.Arn\n    PolicyDocument:\n      Statement:\n        - ${FROM_ACCOUNT}\n` +
      permission("FromEvents", "events.amazonaws.com", "SourceAccount: !Ref AWS::AccountId").replace(
        "FunctionName: !Ref Fn",
        `FunctionName: ${target}`,
      ),
  );
const besideFunction = beside("!Ref Fn");
const samBeside = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      Events:
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
  FnPolicy:
    Type: AWS::Lambda::ResourcePolicy
    Properties:
      ResourceArn: !GetAtt Fn.Arn
      PolicyDocument:
        Statement:
          - ${FROM_ACCOUNT}
`;
const REPLACED =
  "adds a statement to the resource policy of Fn, which resource policy FnPolicy sets as a whole: PutResourcePolicy replaces the policy it finds, statements AddPermission added included, so every later update of FnPolicy drops this statement (on create, it depends on which runs first). Put the statement in FnPolicy";

templateRuleTester().run("invoke-permission-scope", rule as never, {
  valid: [
    {
      name: "a permission on an alias beside a resource policy of the unqualified function: two policies",
      filename: "template.yaml",
      code: beside("!Ref Live"),
    },
    {
      name: "a service principal with SourceArn",
      filename: "template.yaml",
      code: template(permission("P", "events.amazonaws.com", "SourceArn: arn:aws:events:us-east-1:123456789012:rule/nightly")),
    },
    {
      name: "a service principal with SourceAccount",
      filename: "template.yaml",
      code: template(permission("P", "apigateway.amazonaws.com", "SourceAccount: !Ref AWS::AccountId")),
    },
    {
      name: "S3 with SourceAccount alone (what SAM generates)",
      filename: "template.yaml",
      code: template(permission("P", "s3.amazonaws.com", "SourceAccount: !Ref AWS::AccountId")),
    },
    {
      name: "everyone, but within an organization",
      filename: "template.yaml",
      code: template(permission("P", "*", "PrincipalOrgID: o-abc123defg")),
    },
    { name: "an account principal is a deliberate grant", filename: "template.yaml", code: template(permission("P", "123456789012")) },
    {
      name: "a public URL accepted deliberately",
      filename: "template.yaml",
      code: publicUrl,
      options: [{ allowPublicFunctionUrls: true }],
    },
    { name: "an IAM-authenticated URL", filename: "template.yaml", code: samUrl.replace("AuthType: NONE", "AuthType: AWS_IAM") },
    {
      name: "SAM scopes the permissions it generates",
      filename: "template.yaml",
      code: samAlexa.replace("Type: AlexaSkill", "Type: AlexaSkill\n          Properties: {SkillId: amzn1.ask.skill.12345}"),
    },
    {
      name: "a resource policy statement scoped by aws:SourceArn",
      filename: "template.yaml",
      code: policy(
        "{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: lambda:InvokeFunction, Resource: '*', Condition: {ArnLike: {'aws:SourceArn': 'arn:aws:events:*:123456789012:rule/*'}}}",
      ),
    },
    {
      name: "a resource policy statement for everyone within an organization",
      filename: "template.yaml",
      code: policy(
        "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {StringEquals: {'aws:PrincipalOrgID': o-abc123defg}}}",
      ),
    },
    {
      name: "a resource policy statement with a condition this rule does not judge (a VPC)",
      filename: "template.yaml",
      code: policy(
        "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunction, Resource: '*', Condition: {StringEquals: {'aws:SourceVpc': vpc-123}}}",
      ),
    },
    {
      name: "a Deny statement only narrows",
      filename: "template.yaml",
      code: policy("{Effect: Deny, Principal: '*', Action: lambda:InvokeFunction, Resource: '*'}"),
    },
  ],
  invalid: [
    {
      name: "an AWS::Lambda::Permission beside an AWS::Lambda::ResourcePolicy of the same function",
      filename: "template.yaml",
      code: besideFunction,
      errors: [{ message: `Permission FromEvents ${REPLACED}`, ...locateKey(besideFunction, "FromEvents") }],
    },
    {
      name: "the permission SAM generates for a push event, beside a resource policy of the same function",
      filename: "template.yaml",
      code: samBeside,
      errors: [{ message: `Permission FnNightlyPermission ${REPLACED}`, ...locateKey(samBeside, "Nightly") }],
    },
    {
      name: "a resource policy statement for everyone without a condition",
      filename: "template.yaml",
      code: openStatement,
      errors: [
        {
          ...locate(openStatement, "{Effect: Allow, Principal: '*', Action: lambda:InvokeFunction, Resource: '*'}"),
          message:
            'Statement 1 of resource policy FnPolicy lets anyone ("*") invoke the function: scope it with an aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID condition, or name the principal',
        },
      ],
    },
    {
      name: "a resource policy statement for a service without a source condition",
      filename: "template.yaml",
      code: serviceStatement,
      errors: [
        {
          message:
            "Statement 1 of resource policy FnPolicy lets events.amazonaws.com invoke the function on behalf of any account (the confused deputy problem): add an aws:SourceArn or aws:SourceAccount condition",
        },
      ],
    },
    {
      name: "Principal * without any scope",
      filename: "template.yaml",
      code: everyone,
      errors: [
        {
          ...locateKey(everyone, "Open"),
          message:
            'Permission Open lets anyone ("*") invoke the function: scope it with SourceArn, SourceAccount or PrincipalOrgID, or name the principal',
        },
      ],
    },
    {
      name: "a service principal with neither SourceArn nor SourceAccount",
      filename: "template.yaml",
      code: events,
      errors: [
        {
          ...locateKey(events, "FromEvents"),
          message:
            "Permission FromEvents lets events.amazonaws.com invoke the function on behalf of any account (the confused deputy problem): add SourceArn or SourceAccount",
        },
      ],
    },
    {
      name: "S3 with a SourceArn but no SourceAccount",
      filename: "template.yaml",
      code: s3,
      errors: [
        {
          ...locateKey(s3, "FromS3"),
          message:
            "Permission FromS3 lets s3.amazonaws.com invoke the function without SourceAccount: bucket ARNs carry no account, so once the bucket is deleted, a bucket of the same name created in another account could invoke it; add SourceAccount",
        },
      ],
    },
    {
      name: "a public function URL is one finding, its permissions are part of it",
      filename: "template.yaml",
      code: publicUrl,
      errors: [
        {
          ...locateKey(publicUrl, "Url"),
          message:
            "Url makes Fn callable by anyone on the internet (AuthType NONE); use AuthType AWS_IAM, or allow it deliberately with allowPublicFunctionUrls",
        },
      ],
    },
    {
      name: "SAM's FunctionUrlConfig with AuthType NONE",
      filename: "template.yaml",
      code: samUrl,
      errors: [
        {
          ...locateKey(samUrl, "FunctionUrlConfig"),
          message:
            "Fn.FunctionUrlConfig makes Fn callable by anyone on the internet (AuthType NONE); use AuthType AWS_IAM, or allow it deliberately with allowPublicFunctionUrls",
        },
      ],
    },
    {
      name: "a SAM AlexaSkill event without SkillId is open to every skill",
      filename: "template.yaml",
      code: samAlexa,
      errors: [
        {
          ...locateKey(samAlexa, "Skill"),
          message:
            "Permission FnSkillPermission lets alexa-appkit.amazon.com invoke the function on behalf of any account (the confused deputy problem): add SourceArn or SourceAccount",
        },
      ],
    },
  ],
});
