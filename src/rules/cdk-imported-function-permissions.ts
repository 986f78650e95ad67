import type { TSESTree } from "@typescript-eslint/types";
import { cdkNames } from "../cdk/construct-code.js";
import { propertyOf } from "../handlers/object-literals.js";
import { createCdkRule } from "./create-rule.js";

type MessageIds = "permissionNotAdded";

/**
 * Calls that always return a token (aws-cdk-lib 2.276 `core/lib/cfn-fn.ts`, `aws-ssm/lib/parameter.ts`);
 * others resolve literal input at synth (`Fn.select` of a literal list, `Token.asString` of a string,
 * `StringParameter.valueFromLookup`).
 */
const TOKEN_CALLS = new Set([
  "core.Fn.importValue",
  "core.Fn.ref",
  "core.Fn.sub",
  "core.Fn.join",
  "aws-ssm.StringParameter.valueForStringParameter",
  "aws-ssm.StringParameter.valueForTypedStringParameterV2",
]);

export default createCdkRule<MessageIds>({
  name: "cdk-imported-function-permissions",
  type: "problem",
  description: "Disallow addPermission on a CDK function imported from an ARN unknown at synth time, which CDK skips",
  severity: "error",
  sources: ["https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda.FunctionAttributes.html"],
  messages: {
    permissionNotAdded:
      "{{call}} adds no permission: {{function}} is imported from an ARN known only at deploy time ({{arn}}, line {{line}}), so CDK cannot tell that it is in this stack's account and skips the permission (with only a synth warning). If it is, import it with fromFunctionAttributes({ functionArn, sameEnvironment: true })",
  },
  listen(cdk) {
    const names = cdkNames();

    /** Whether an expression is a token at synth time: `Fn.importValue(...)`, a CfnParameter's `valueAsString`, `StringParameter.valueForStringParameter(...)`. */
    function isToken(node: TSESTree.Node): boolean {
      if (
        node.type === "MemberExpression" &&
        node.property.type === "Identifier" &&
        /^valueAs(?:String|Number|List)$/u.test(node.property.name)
      )
        return true;
      return node.type === "CallExpression" && TOKEN_CALLS.has(names.nameOf(node.callee) ?? "");
    }

    /** The function a name stands for, imported here from a token ARN without `sameEnvironment`. */
    function tokenImport(node: TSESTree.Node): { id: string; arn: string; line: number } | undefined {
      if (node.type !== "Identifier") return undefined;
      const constant = cdk.constant(node);
      const init = constant?.init;
      if (init?.type !== "CallExpression") return undefined;
      const method = names.nameOf(init.callee);
      let arn: TSESTree.Node | undefined;
      if (method === "aws-lambda.Function.fromFunctionArn") arn = init.arguments[2];
      else if (method === "aws-lambda.Function.fromFunctionAttributes") {
        const attributes = init.arguments[2];
        // sameEnvironment or skipPermissions decides it: not this rule's case.
        if (propertyOf(attributes, "sameEnvironment") || propertyOf(attributes, "skipPermissions")) return undefined;
        arn = propertyOf(attributes, "functionArn")?.value;
      }
      // const arn = Fn.importValue("X"): the name stands for its value.
      if (arn?.type === "Identifier") arn = cdk.constant(arn)?.init ?? arn;
      if (!arn || !isToken(arn)) return undefined;
      const id = init.arguments[1];
      return { id: id?.type === "Literal" ? String(id.value) : node.name, arn: cdk.text(arn), line: arn.loc.start.line };
    }

    return {
      ...names.listeners,
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier" || callee.property.name !== "addPermission") return;
        const imported = tokenImport(callee.object);
        if (!imported) return;
        cdk.report(node, "permissionNotAdded", {
          call: `${cdk.text(callee)}(...)`,
          function: imported.id,
          arn: imported.arn,
          line: String(imported.line),
        });
      },
    };
  },
});
