import rule from "../../src/rules/cdk-no-shared-role.js";
import { RuleTester } from "../code-rule-tester.js";
import { locate } from "../rule-tester.js";

const IMPORTS = 'import * as iam from "aws-cdk-lib/aws-iam";\nimport * as lambda from "aws-cdk-lib/aws-lambda";\n';
const ROLE = 'const role = new iam.Role(this, "Shared", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });\n';
const fn = (id: string, role = "role") =>
  `new lambda.Function(this, "${id}", { runtime: lambda.Runtime.NODEJS_22_X, handler: "index.handler", code: lambda.Code.fromAsset("src"), ${role} });\n`;
const inConstructor = (body: string) => `${IMPORTS}export class Orders extends Stack {\n  constructor() {\n    super();\n${body}  }\n}\n`;

new RuleTester().run("cdk-no-shared-role", rule, {
  valid: [
    {
      name: "one role per function",
      code: inConstructor(`${ROLE}${fn("Worker")}const other = new iam.Role(this, "Own", {});\n${fn("Reporter", "role: other")}`),
    },
    {
      name: "functions created in exclusive branches never exist together",
      code: inConstructor(`${ROLE}if (props.a) ${fn("Worker")}else ${fn("Reporter")}`),
    },
    {
      name: "a role made per call by a helper is a new role each time",
      code: `${IMPORTS}function make(scope: never, id: string) {\n  ${ROLE}  return ${fn("X")}}\n`,
    },
    {
      name: "a role imported by ARN is not created here: the template rule sees it in cdk.out",
      code: inConstructor(`const role = iam.Role.fromRoleArn(this, "R", "arn:aws:iam::111111111111:role/r");\n${fn("A")}${fn("B")}`),
    },
    {
      name: "a Function of another library is not CDK's",
      code: `import { Function } from "./local";\nimport * as iam from "aws-cdk-lib/aws-iam";\n${ROLE}new Function(this, "A", { role });\nnew Function(this, "B", { role });\n`,
    },
    {
      name: "a role variable that is reassigned may be two roles",
      code: inConstructor(`let role = new iam.Role(this, "R", {});\n${fn("A")}role = new iam.Role(this, "S", {});\n${fn("B")}`),
    },
  ],
  invalid: [
    (() => {
      const code = inConstructor(`${ROLE}${fn("Worker", "role: role")}${fn("Reporter", "role: role")}${fn("Batch")}`);
      return {
        name: "a role given to three functions is reported at the second and the third",
        code,
        errors: [
          {
            messageId: "sharedRole" as const,
            data: { function: "Reporter", role: "role", other: "Worker", line: "7" },
            ...locate(code, "role: role", 1),
          },
          {
            messageId: "sharedRole" as const,
            data: { function: "Batch", role: "role", other: "Worker", line: "7" },
            ...locate(code, "role", 5),
          },
        ],
      };
    })(),
    (() => {
      const code = `import { aws_iam as iam, aws_lambda_nodejs as nodejs } from "aws-cdk-lib";\nconst role = new iam.Role(app, "R", {});\nnew nodejs.NodejsFunction(app, "A", { entry: "a.ts", role });\nnew nodejs.NodejsFunction(app, "B", { entry: "b.ts", role });\n`;
      return {
        name: "NodejsFunction through aws-cdk-lib's module names, at the top level of the app",
        code,
        errors: [
          { messageId: "sharedRole" as const, data: { function: "B", role: "role", other: "A", line: "3" }, ...locate(code, "role", 2) },
        ],
      };
    })(),
  ],
});
