import rule from "../../src/rules/cross-account-trust-scope.js";
import { LAMBDA_TRUST, locate, templateRuleTester } from "../rule-tester.js";

/** Role DataRole trusting `principal` (YAML flow), with `condition` on the statement when given. */
function trust(principal: string, condition = "", action = "sts:AssumeRole"): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DataRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: ${principal}}
            Action: ${action}
${condition ? `            Condition: ${condition}\n` : ""}`;
}

/** What a DynamoDB table needs to deploy: a key and a billing mode. */
const ORDERS_TABLE =
  "{BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{AttributeName: id, AttributeType: S}], KeySchema: [{AttributeName: id, KeyType: HASH}]}";
const ROOT = '"arn:aws:iam::111111111111:root"';
const parameterMessage = (parameter: string) =>
  `Role DataRole lets every principal of the accounts that parameter ${parameter} gives assume it, as far as their own IAM policies allow (statement 1 trusts their account roots with no narrowing condition): add an aws:PrincipalArn, aws:PrincipalOrgID or sts:ExternalId condition`;
const rootMessage = (account: string) =>
  `Role DataRole lets every principal of account ${account} that its own IAM policies allow assume it (statement 1 trusts the account root with no narrowing condition): add an aws:PrincipalArn, aws:PrincipalOrgID or sts:ExternalId condition, or list the account in trustedAccounts`;

/**
 * OrdersFunction running as OrdersRole, whose inline policy allows sts:AssumeRole on `resource`, with
 * `variables` as its environment (YAML flow) and `extra` appended to the resources.
 */
function assumer(variables: string, { resource = '"*"', trust = LAMBDA_TRUST, condition = "", extra = "" } = {}): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Code: {ZipFile: "exports.handler = async () => {}"}
      Role: !GetAtt OrdersRole.Arn
      Environment: {Variables: ${variables}}
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      ${trust}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: ${resource}
${condition ? `                Condition: ${condition}\n` : ""}${extra}`;
}

const WRITER = "arn:aws:iam::222222222222:role/OrdersWriter";
/** A template with `parameter` (YAML lines under its name) declared. */
const withParameter = (code: string, name: string, parameter: string) =>
  code.replace("Resources:", `Parameters:\n  ${name}:\n${parameter.replace(/^/gmu, "    ")}\nResources:`);
/** The accounts of the AWS VPC peering sample's accepter role (aws-cloudformation-templates, Solutions/VPCPeering). */
const PEER_OWNERS = "Type: String\nAllowedPattern: ^(\\d{12})$|^((\\d{12}(,|, ))*\\d{12})$";
const assumeAnyMessage = (role: string, statement: string, holders: string, target: string) =>
  `Role ${role} allows sts:AssumeRole on every role (Resource "*" in ${statement}), and the only role ARN in the environment of ${holders} is ${target}: allow sts:AssumeRole on that ARN alone`;
/** A case of `assumer`'s template, in which OrdersRole's grant on "*" is reported for OrdersFunction's TARGET_ROLE_ARN. */
function ordersRoleAssumesAny(name: string, code: string) {
  const message = assumeAnyMessage(
    "OrdersRole",
    'statement 1 of inline policy "assume" of role OrdersRole',
    "OrdersFunction (TARGET_ROLE_ARN)",
    WRITER,
  );
  return { name, filename: "template.yaml", code, errors: [{ message, ...locate(code, '"*"') }] };
}
const anyMessage =
  'Role DataRole lets principals of any AWS account assume it (statement 1 trusts "*" with no condition that narrows it): name the account or role meant, or add an aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn condition';

templateRuleTester().run("cross-account-trust-scope", rule as never, {
  valid: [
    {
      name: "an account root narrowed to one role by aws:PrincipalArn",
      filename: "template.yaml",
      code: trust(ROOT, '{ArnEquals: {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/writer"}}'),
    },
    {
      name: "an account root narrowed to the organisation",
      filename: "template.yaml",
      code: trust(ROOT, "{StringEquals: {'aws:PrincipalOrgID': o-abc123defg}}"),
    },
    {
      name: "a third party with an external ID (condition keys are case-insensitive)",
      filename: "template.yaml",
      code: trust(ROOT, "{StringEquals: {'STS:ExternalId': shared-secret}}"),
    },
    { name: "the stack's own account", filename: "template.yaml", code: trust('!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"') },
    {
      name: "an account listed in trustedAccounts",
      filename: "template.yaml",
      code: trust(ROOT),
      options: [{ trustedAccounts: ["111111111111"] }],
    },
    {
      name: "a role of this template",
      filename: "template.yaml",
      code: `${trust("!GetAtt Caller.Arn")}  Caller:\n    Type: AWS::IAM::Role\n    Properties:\n      ${LAMBDA_TRUST}\n`,
    },
    {
      name: "a role of the stack's own account, named by its ARN",
      filename: "template.yaml",
      code: trust('!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/caller"'),
    },
    { name: "a statement that does not allow sts:AssumeRole", filename: "template.yaml", code: trust(ROOT, "", "sts:TagSession") },
    {
      name: "a condition that cannot be read may be the narrowing one",
      filename: "template.yaml",
      code: trust(ROOT, "!If [C, {}, {}]").replace(
        "Resources:",
        "Parameters:\n  Narrow: {Type: String}\nConditions:\n  C: !Equals [!Ref Narrow, 'yes']\nResources:",
      ),
    },
    { name: "a principal that cannot be read", filename: "template.yaml", code: trust("!ImportValue caller-arn") },
    {
      name: "a parameter that may hold a role's ARN",
      filename: "template.yaml",
      code: withParameter(trust("!Ref Caller"), "Caller", "Type: String"),
    },
    {
      name: "a parameter whose pattern allows more than account IDs",
      filename: "template.yaml",
      code: withParameter(trust("!Ref Caller"), "Caller", "Type: String\nAllowedPattern: ^arn:aws:iam::\\d{12}:role/.+$"),
    },
    {
      name: "accounts of a parameter, narrowed to the organisation",
      filename: "template.yaml",
      code: withParameter(
        trust('!Split [",", !Ref PeerOwnerIds]', "{StringEquals: {'aws:PrincipalOrgID': o-abc123defg}}"),
        "PeerOwnerIds",
        PEER_OWNERS,
      ),
    },
    {
      // IAM has rejected this form in a role trust policy (aws/aws-cdk#5746): what it admits is not claimed.
      name: 'Principal: "*" as a string',
      filename: "template.yaml",
      code: trust('"*"').replace('Principal: {AWS: "*"}', 'Principal: "*"'),
    },
    {
      name: "every account, narrowed to the organisation",
      filename: "template.yaml",
      code: trust('"*"', "{StringEquals: {'aws:PrincipalOrgID': o-abc123defg}}"),
    },
    {
      name: "an AssumeRole grant on the one role the environment names",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}}`, { resource: WRITER }),
    },
    {
      name: "an environment naming two roles",
      filename: "template.yaml",
      code: assumer(`{READER: ${WRITER}, WRITER: "arn:aws:iam::222222222222:role/OrdersReader"}`),
    },
    { name: "an environment naming no role", filename: "template.yaml", code: assumer("{TABLE: orders}") },
    {
      name: "a parameter in the environment may hold another role's ARN",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}, OTHER: !Ref Other}`).replace(
        "Resources:",
        "Parameters:\n  Other: {Type: String}\nResources:",
      ),
    },
    {
      name: "an SSM reference in the environment may hold another role's ARN",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}, OTHER: "{{resolve:ssm:/roles/other}}"}`),
    },
    {
      name: "a grant with a condition",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}}`, { condition: "{StringEquals: {'aws:ResourceTag/team': orders}}" }),
    },
    {
      name: "a role that another service may also assume",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}}`, {
        trust:
          "AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: [lambda.amazonaws.com, ecs-tasks.amazonaws.com]}, Action: sts:AssumeRole}]}",
      }),
    },
    {
      name: "an include in Resources may add another function that runs as the role",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}}`, {
        extra: "  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/functions.yaml}}\n",
      }),
    },
    {
      name: "an output that is not read may hand the role to other stacks",
      filename: "template.yaml",
      code: `${assumer(`{TARGET_ROLE_ARN: ${WRITER}}`)}Outputs:\n  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/outputs.yaml}}\n`,
    },
    {
      name: "a role that an output hands to other stacks",
      filename: "template.yaml",
      code: `${assumer(`{TARGET_ROLE_ARN: ${WRITER}}`)}Outputs:\n  RoleArn: {Value: !GetAtt OrdersRole.Arn}\n`,
    },
    {
      name: "a role shared by functions naming different roles",
      filename: "template.yaml",
      code: assumer(`{TARGET_ROLE_ARN: ${WRITER}}`, {
        extra: `  ReportsFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Code: {ZipFile: "exports.handler = async () => {}"}
      Role: !GetAtt OrdersRole.Arn
      Environment: {Variables: {TARGET_ROLE_ARN: "arn:aws:iam::222222222222:role/ReportsReader"}}
`,
      }),
    },
  ],
  invalid: [
    {
      name: "every account, with a condition that does not narrow it",
      filename: "template.yaml",
      code: trust('"*"', "{Bool: {'aws:MultiFactorAuthPresent': 'true'}}"),
      errors: [{ message: anyMessage }],
    },
    (() => {
      const code = trust(ROOT);
      return {
        name: "an account root with no condition",
        filename: "template.yaml",
        code,
        errors: [{ message: rootMessage("111111111111"), ...locate(code, ROOT) }],
      };
    })(),
    {
      name: "the account ID alone, and a condition that does not narrow the principal",
      filename: "template.yaml",
      code: trust("'111111111111'", "{Bool: {'aws:MultiFactorAuthPresent': 'true'}}"),
      errors: [{ message: rootMessage("111111111111") }],
    },
    {
      name: "an account given by a parameter",
      filename: "template.yaml",
      code: withParameter(trust('!Sub "arn:${AWS::Partition}:iam::${TrustedAccount}:root"'), "TrustedAccount", "Type: String"),
      errors: [{ message: parameterMessage("TrustedAccount") }],
    },
    (() => {
      const principal = '"arn:aws:iam::111111111111:role/writer"';
      const code = trust(principal);
      return {
        name: "a role of another account named by its ARN",
        filename: "template.yaml",
        code,
        errors: [
          {
            message:
              "Role DataRole trusts arn:aws:iam::111111111111:role/writer by its ARN (statement 1): IAM keeps that role's unique ID, so the trust stops working when the role is deleted and re-created; trust its account root with an ArnEquals aws:PrincipalArn condition instead",
            ...locate(code, principal),
          },
        ],
      };
    })(),
    (() => {
      const principal = '!Split [",", !Ref PeerOwnerIds]';
      const code = withParameter(trust(principal), "PeerOwnerIds", PEER_OWNERS);
      return {
        name: "accounts that a parameter lists, its AllowedPattern proving them account IDs (the VPC peering sample)",
        filename: "template.yaml",
        code,
        errors: [{ message: parameterMessage("PeerOwnerIds"), ...locate(code, principal) }],
      };
    })(),
    {
      name: "an account parameter whose AllowedValues are account IDs",
      filename: "template.yaml",
      code: withParameter(trust("!Ref TrustedAccount"), "TrustedAccount", "Type: String\nAllowedValues: ['111111111111', '222222222222']"),
      errors: [{ message: parameterMessage("TrustedAccount") }],
    },
    (() => {
      const code = trust('"*"');
      return {
        name: "every account, with no condition",
        filename: "template.yaml",
        code,
        errors: [{ message: anyMessage, ...locate(code, '"*"') }],
      };
    })(),
    ordersRoleAssumesAny(
      "an AssumeRole grant on every role, with one role in the environment",
      assumer(`{TARGET_ROLE_ARN: ${WRITER}, TABLE: !Ref Orders}`, {
        extra: `  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties: ${ORDERS_TABLE}\n`,
      }),
    ),
    ordersRoleAssumesAny(
      "a function that runs as the role under two conditions is named once",
      assumer(`{TARGET_ROLE_ARN: ${WRITER}}`)
        .replace(
          "Role: !GetAtt OrdersRole.Arn",
          "Role: !If [Blue, !GetAtt OrdersRole.Arn, !If [Green, !GetAtt OrdersRole.Arn, !Ref Other]]",
        )
        .replace(
          "Resources:",
          "Parameters:\n  Other: {Type: String}\n  Stage: {Type: String}\nConditions:\n  Blue: !Equals [!Ref Stage, blue]\n  Green: !Equals [!Ref Stage, green]\nResources:",
        ),
    ),
    (() => {
      const code = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: s3://bucket/orders.zip
      Environment: {Variables: {WRITER: !GetAtt Writer.Arn}}
      Policies:
        - Statement: [{Effect: Allow, Action: [sts:AssumeRole, sts:TagSession], Resource: "*"}]
  Writer:
    Type: AWS::IAM::Role
    Properties:
      RoleName: OrdersWriter
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: !GetAtt OrdersFunctionRole.Arn}, Action: sts:AssumeRole}]}
`;
      return {
        name: "SAM's generated role, and a role of the template",
        filename: "template.yaml",
        code,
        errors: [
          {
            message: assumeAnyMessage(
              "OrdersFunctionRole (generated by SAM)",
              "statement 1 of inline policy in OrdersFunction's Policies",
              "OrdersFunction (WRITER)",
              "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/OrdersWriter",
            ),
            ...locate(code, '"*"'),
          },
        ],
      };
    })(),
  ],
});
