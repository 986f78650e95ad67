import type { Variable } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/types";
import { cdkNames, constructId, FUNCTION_CLASSES } from "../cdk/construct-code.js";
import { propertyOf } from "../handlers/object-literals.js";
import { createCdkRule } from "./create-rule.js";

type MessageIds = "sharedRole";

/** Statements and expressions under which a function may or may not be created, or created several times. */
const CONDITIONAL = new Set([
  "IfStatement",
  "ConditionalExpression",
  "LogicalExpression",
  "SwitchStatement",
  "TryStatement",
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "WhileStatement",
  "DoWhileStatement",
]);

export default createCdkRule<MessageIds>({
  name: "cdk-no-shared-role",
  type: "suggestion",
  description: "Require each Lambda function of a CDK app to get an execution role of its own",
  severity: "warn",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda.Function.html",
  ],
  messages: {
    sharedRole:
      "Function {{function}} takes role {{role}}, which function {{other}} (line {{line}}) already runs as: each then holds the permissions CDK grants to the other. Give {{function}} a role of its own",
  },
  listen(cdk) {
    const names = cdkNames();
    const sites = new Map<Variable, Array<{ fn: TSESTree.NewExpression; role: TSESTree.Property }>>();

    /** The function (or program) a node runs in, when nothing between them makes it conditional or repeated. */
    function straightLineOwner(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let current = node.parent; current; current = current.parent) {
        if (CONDITIONAL.has(current.type)) return undefined;
        if (current.type === "Program" || current.type.includes("Function")) return current;
      }
      return undefined;
    }

    return {
      ...names.listeners,
      NewExpression(node) {
        if (!FUNCTION_CLASSES.has(names.nameOf(node.callee) ?? "")) return;
        const role = propertyOf(node.arguments[2], "role");
        if (role?.value.type !== "Identifier") return;
        const constant = cdk.constant(role.value);
        // A role created here, as a constant: one object for every function that takes it.
        if (constant?.init.type !== "NewExpression" || names.nameOf(constant.init.callee) !== "aws-iam.Role") return;
        const owner = straightLineOwner(node);
        if (!owner || owner !== straightLineOwner(constant.declarator)) return;
        sites.set(constant.variable, [...(sites.get(constant.variable) ?? []), { fn: node, role }]);
      },
      "Program:exit"() {
        for (const [variable, uses] of sites) {
          const [first, ...later] = uses;
          for (const use of later) {
            cdk.report(use.role, "sharedRole", {
              function: constructId(use.fn),
              role: variable.name,
              other: constructId(first!.fn),
              line: String(first!.fn.loc.start.line),
            });
          }
        }
      },
    };
  },
});
