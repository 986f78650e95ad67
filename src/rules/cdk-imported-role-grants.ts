import type { TSESTree } from "@typescript-eslint/types";
import { cdkNames, constructId, FUNCTION_CLASSES } from "../cdk/construct-code.js";
import { propertyOf } from "../handlers/object-literals.js";
import { createCdkRule } from "./create-rule.js";

type MessageIds = "droppedGrant" | "droppedRoleChange";

/**
 * The resources whose `grant*` methods give the grantee's role the permission and nothing else in
 * the same account (a KMS key's grant can also write its key policy, which may suffice alone).
 */
const GRANTING_MODULES = new Set([
  "aws-sqs",
  "aws-sns",
  "aws-s3",
  "aws-dynamodb",
  "aws-kinesis",
  "aws-secretsmanager",
  "aws-ssm",
  "aws-stepfunctions",
  "aws-logs",
]);
/** The role methods that an immutable role ignores. */
const ROLE_CHANGES = new Set(["addToPolicy", "addToPrincipalPolicy", "addManagedPolicy", "attachInlinePolicy"]);

export default createCdkRule<MessageIds>({
  name: "cdk-imported-role-grants",
  type: "problem",
  description: "Disallow grants to a CDK function whose role is imported as immutable, which CDK drops without a word",
  severity: "error",
  sources: [
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_iam.FromRoleArnOptions.html",
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_iam.Role.html#withoutwbrpolicywbrupdatesoptions",
  ],
  messages: {
    droppedGrant:
      "{{call}} adds nothing to {{function}}'s role: {{role}} is imported as immutable (line {{line}}), and CDK ignores every policy change to such a role without a warning. Grant it where the role is managed, or import the role mutable",
    droppedRoleChange:
      "{{call}} does nothing: {{role}} is imported as immutable (line {{line}}), and CDK ignores every policy change to such a role without a warning",
  },
  listen(cdk) {
    const names = cdkNames();

    /**
     * Whether a value is an immutable role: `Role.fromRoleArn/fromRoleName(..., { mutable: false })` or
     * `role.withoutPolicyUpdates()`; and whether it is provably of the stack's account. A resource's
     * grant falls back to the resource's own policy unless CDK sees grantee and resource in one account
     * (aws-iam `Grant.addToPrincipalOrResource`), and a policy naming the role may then suffice alone.
     */
    function immutability(init: TSESTree.Expression): { stackAccount: boolean } | undefined {
      if (init.type !== "CallExpression" || init.callee.type !== "MemberExpression" || init.callee.property.type !== "Identifier")
        return undefined;
      const method = init.callee.property.name;
      const options = method === "withoutPolicyUpdates" ? init.arguments[0] : init.arguments[3];
      // With addGrantsToResources, grants go to the resources' policies instead.
      const toResources = propertyOf(options, "addGrantsToResources")?.value;
      if (toResources && !(toResources.type === "Literal" && toResources.value === false)) return undefined;
      if (method === "withoutPolicyUpdates") {
        // A role created here is of the stack's account; an imported one's account is its ARN's.
        const receiver = init.callee.object.type === "Identifier" ? cdk.constant(init.callee.object) : undefined;
        const created = receiver?.init.type === "NewExpression" && names.nameOf(receiver.init.callee) === "aws-iam.Role";
        return { stackAccount: created };
      }
      const imported = names.nameOf(init.callee);
      if (imported !== "aws-iam.Role.fromRoleArn" && imported !== "aws-iam.Role.fromRoleName") return undefined;
      const mutable = propertyOf(options, "mutable")?.value;
      if (!(mutable?.type === "Literal" && mutable.value === false)) return undefined;
      // fromRoleName makes the ARN in the stack's own account.
      return { stackAccount: imported === "aws-iam.Role.fromRoleName" };
    }

    /**
     * The immutable role a value stands for, with where it is made immutable: a name whose constant is
     * one, or the call itself written in place (`{ role: base.withoutPolicyUpdates() }`).
     */
    function immutableRole(node: TSESTree.Node): { name: string; line: number; stackAccount: boolean } | undefined {
      if (node.type === "CallExpression") {
        const immutable = immutability(node);
        return immutable ? { name: cdk.text(node), line: node.loc.start.line, ...immutable } : undefined;
      }
      if (node.type !== "Identifier") return undefined;
      const constant = cdk.constant(node);
      const immutable = constant && immutability(constant.init);
      return immutable ? { name: node.name, line: constant.init.loc.start.line, ...immutable } : undefined;
    }

    /** The function a name stands for, when it is created here with an immutable role. */
    function functionWithImmutableRole(
      node: TSESTree.Node,
    ): { id: string; role: { name: string; line: number; stackAccount: boolean } } | undefined {
      if (node.type !== "Identifier") return undefined;
      const constant = cdk.constant(node);
      if (constant?.init.type !== "NewExpression" || !FUNCTION_CLASSES.has(names.nameOf(constant.init.callee) ?? "")) return undefined;
      const role = propertyOf(constant.init.arguments[2], "role")?.value;
      const imported = role && immutableRole(role);
      return imported ? { id: constructId(constant.init), role: imported } : undefined;
    }

    function droppedGrant(node: TSESTree.CallExpression, call: string, fn: { id: string; role: { name: string; line: number } }) {
      cdk.report(node, "droppedGrant", { call, function: fn.id, role: fn.role.name, line: String(fn.role.line) });
    }

    function droppedRoleChange(node: TSESTree.CallExpression, call: string, role: { name: string; line: number }) {
      cdk.report(node, "droppedRoleChange", { call, role: role.name, line: String(role.line) });
    }

    /** Whether a grant's receiver is a resource created here whose same-account grants land in the grantee's role alone. */
    function grantsToRoleOnly(receiver: TSESTree.Node): boolean {
      if (receiver.type !== "Identifier") return false;
      const constant = cdk.constant(receiver);
      if (constant?.init.type !== "NewExpression") return false;
      const created = names.nameOf(constant.init.callee);
      return created !== undefined && GRANTING_MODULES.has(created.slice(0, created.indexOf(".")));
    }

    return {
      ...names.listeners,
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return;
        const method = callee.property.name;
        const call = `${cdk.text(callee)}(...)`;
        // queue.grantConsumeMessages(fn), table.grantReadData(fn): lost only when nothing falls back to the resource's policy.
        if (method.startsWith("grant") && grantsToRoleOnly(callee.object)) {
          for (const argument of node.arguments) {
            const fn = functionWithImmutableRole(argument);
            const role = fn ? undefined : immutableRole(argument);
            if (fn?.role.stackAccount) droppedGrant(node, call, fn);
            else if (role?.stackAccount) droppedRoleChange(node, call, role);
          }
          return;
        }
        // fn.addToRolePolicy(statement) changes the function's role alone; an event source grants like a resource.
        if (method === "addToRolePolicy" || method === "addEventSource") {
          const fn = functionWithImmutableRole(callee.object);
          if (fn && (method === "addToRolePolicy" || fn.role.stackAccount)) droppedGrant(node, call, fn);
          return;
        }
        if (ROLE_CHANGES.has(method)) {
          const role = immutableRole(callee.object);
          if (role) droppedRoleChange(node, call, role);
        }
      },
    };
  },
});
