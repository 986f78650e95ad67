import rule from "../../src/rules/cdk-imported-function-permissions.js";
import { RuleTester } from "../code-rule-tester.js";
import { locate } from "../rule-tester.js";

const HEAD = 'import { Fn, aws_iam as iam, aws_lambda as lambda } from "aws-cdk-lib";\nimport * as ssm from "aws-cdk-lib/aws-ssm";';
const PERMISSION = 'fn.addPermission("Invoke", { principal: new iam.ServicePrincipal("s3.amazonaws.com") });';
const program = (...lines: string[]) => `${[HEAD, ...lines, PERMISSION].join("\n")}\n`;

new RuleTester().run("cdk-imported-function-permissions", rule, {
  valid: [
    {
      name: "a literal ARN: whether it is the stack's account depends on the stack's env",
      code: program('const fn = lambda.Function.fromFunctionArn(stack, "F", "arn:aws:lambda:us-east-1:111111111111:function:f");'),
    },
    {
      name: "fromFunctionAttributes with sameEnvironment: the permission is created",
      code: program(
        'const fn = lambda.Function.fromFunctionAttributes(stack, "F", { functionArn: Fn.importValue("fn-arn"), sameEnvironment: true });',
      ),
    },
    { name: "a function created here", code: program('const fn = new lambda.Function(stack, "F", props);') },
    ...['Fn.select(0, ["arn:aws:lambda:us-east-1:111111111111:function:f"])', 'ssm.StringParameter.valueFromLookup(stack, "/fn-arn")'].map(
      (arn) => ({
        name: `${arn} is a literal at synth (a literal list's item, a context lookup): whether it is the stack's account is not known`,
        code: program(`const fn = lambda.Function.fromFunctionArn(stack, "F", ${arn});`),
      }),
    ),
  ],
  invalid: [
    ...[
      ['Fn.importValue("orders-fn-arn")', 'lambda.Function.fromFunctionArn(stack, "Orders", ARN)'],
      ['ssm.StringParameter.valueForStringParameter(stack, "/orders/fn-arn")', 'lambda.Function.fromFunctionArn(stack, "Orders", ARN)'],
      ["arnParameter.valueAsString", 'lambda.Function.fromFunctionAttributes(stack, "Orders", { functionArn: ARN })'],
    ].map(([arn, importing]) => {
      const code = program(`const fn = ${importing!.replace("ARN", arn!)};`);
      return {
        name: `imported from ${arn}`,
        code,
        errors: [
          {
            messageId: "permissionNotAdded" as const,
            data: { call: "fn.addPermission(...)", function: "Orders", arn: arn!, line: "3" },
            ...locate(code, PERMISSION.slice(0, -1)),
          },
        ],
      };
    }),
    (() => {
      const code = program(
        'const arn = Fn.importValue("orders-fn-arn");',
        'const fn = lambda.Function.fromFunctionArn(stack, "Orders", arn);',
      );
      return {
        name: "imported from an ARN that a constant holds (Fn.importValue)",
        code,
        errors: [
          {
            messageId: "permissionNotAdded" as const,
            data: { call: "fn.addPermission(...)", function: "Orders", arn: 'Fn.importValue("orders-fn-arn")', line: "3" },
            ...locate(code, PERMISSION.slice(0, -1)),
          },
        ],
      };
    })(),
  ],
});
