import rule from "../../src/rules/cdk-imported-role-grants.js";
import { RuleTester } from "../code-rule-tester.js";
import { locate } from "../rule-tester.js";

const HEAD = [
  'import { aws_iam as iam, aws_lambda as lambda, aws_sqs as sqs, aws_kms as kms } from "aws-cdk-lib";',
  'import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";',
  'const queue = new sqs.Queue(stack, "Jobs");',
].join("\n");
const imported = (options: string) =>
  `const role = iam.Role.fromRoleArn(stack, "Role", "arn:aws:iam::111111111111:role/worker", ${options});`;
/** A role imported by name: CDK writes its ARN in the stack's own account. */
const byName = (options: string) => `const role = iam.Role.fromRoleName(stack, "Role", "worker", ${options});`;
const FN =
  'const fn = new lambda.Function(stack, "Worker", { runtime: lambda.Runtime.NODEJS_22_X, handler: "index.handler", code, role });';
const program = (...lines: string[]) => `${[HEAD, ...lines].join("\n")}\n`;

new RuleTester().run("cdk-imported-role-grants", rule, {
  valid: [
    { name: "a mutable import (the default) takes the grant", code: program(imported("{}"), FN, "queue.grantConsumeMessages(fn);") },
    {
      name: "an immutable import whose grants go to the resources' policies",
      code: program(imported("{ mutable: false, addGrantsToResources: true }"), FN, "queue.grantConsumeMessages(fn);"),
    },
    {
      name: "a role created here takes every grant",
      code: program(
        'const role = new iam.Role(stack, "R", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });',
        FN,
        "fn.addToRolePolicy(statement);",
      ),
    },
    {
      name: "a KMS key's grant can write its key policy, which may suffice alone: not claimed",
      code: program(imported("{ mutable: false }"), FN, 'const key = new kms.Key(stack, "Key");', "key.grantDecrypt(fn);"),
    },
    {
      name: "mutable given as a variable is not known",
      code: program(imported("{ mutable: isMutable }"), FN, "queue.grantConsumeMessages(fn);"),
    },
    {
      name: "a resource's grant to a role imported by ARN may land in the resource's policy (the accounts cannot be compared), which may suffice alone",
      code: program(imported("{ mutable: false }"), FN, "queue.grantConsumeMessages(fn);", "fn.addEventSource(new SqsEventSource(queue));"),
    },
  ],
  invalid: [
    (() => {
      const code = program(
        byName("{ mutable: false }"),
        FN,
        "queue.grantConsumeMessages(fn);",
        "fn.addEventSource(new SqsEventSource(queue));",
        "fn.addToRolePolicy(statement);",
      );
      const data = (call: string) => ({ call, function: "Worker", role: "role", line: "4" });
      return {
        name: "a grant, an event source and a role policy on a function whose role is imported by name with mutable: false",
        code,
        errors: [
          {
            messageId: "droppedGrant" as const,
            data: data("queue.grantConsumeMessages(...)"),
            ...locate(code, "queue.grantConsumeMessages(fn)"),
          },
          {
            messageId: "droppedGrant" as const,
            data: data("fn.addEventSource(...)"),
            ...locate(code, "fn.addEventSource(new SqsEventSource(queue))"),
          },
          { messageId: "droppedGrant" as const, data: data("fn.addToRolePolicy(...)"), ...locate(code, "fn.addToRolePolicy(statement)") },
        ],
      };
    })(),
    (() => {
      const code = program(imported("{ mutable: false }"), FN, "fn.addToRolePolicy(statement);");
      return {
        name: "a role policy is lost whatever the role's account",
        code,
        errors: [
          {
            messageId: "droppedGrant" as const,
            data: { call: "fn.addToRolePolicy(...)", function: "Worker", role: "role", line: "4" },
            ...locate(code, "fn.addToRolePolicy(statement)"),
          },
        ],
      };
    })(),
    (() => {
      const code = program(
        'const base = new iam.Role(stack, "Base", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });',
        "const role = base.withoutPolicyUpdates();",
        "role.addManagedPolicy(policy);",
        "queue.grantSendMessages(role);",
      );
      return {
        name: "withoutPolicyUpdates() of a role created here, and changes made to the role itself",
        code,
        errors: [
          {
            messageId: "droppedRoleChange" as const,
            data: { call: "role.addManagedPolicy(...)", role: "role", line: "5" },
            ...locate(code, "role.addManagedPolicy(policy)"),
          },
          {
            messageId: "droppedRoleChange" as const,
            data: { call: "queue.grantSendMessages(...)", role: "role", line: "5" },
            ...locate(code, "queue.grantSendMessages(role)"),
          },
        ],
      };
    })(),
    (() => {
      const code = program(
        'const base = new iam.Role(stack, "Base", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });',
        'const fn = new lambda.Function(stack, "Worker", { runtime: lambda.Runtime.NODEJS_22_X, handler: "index.handler", code, role: base.withoutPolicyUpdates() });',
        "queue.grantConsumeMessages(fn);",
      );
      return {
        name: "a role made immutable in the function's props (withoutPolicyUpdates() written in place)",
        code,
        errors: [
          {
            messageId: "droppedGrant" as const,
            data: { call: "queue.grantConsumeMessages(...)", function: "Worker", role: "base.withoutPolicyUpdates()", line: "5" },
            ...locate(code, "queue.grantConsumeMessages(fn)"),
          },
        ],
      };
    })(),
  ],
});
