import type { Expr } from "../template/expr.js";
import { entryOf, literalText } from "../template/expr.js";
import type { Resource } from "../template/types.js";
import { ROLE_ARN } from "./iam/principals.js";
import type { Analysis } from "./analysis.js";

/** Where stacks are found: the reading template's account, and the one template deployed as a stack of an account. */
export interface StackLookup<T extends { analysis: Analysis }> {
  readonly account: string | undefined;
  stack(account: string, stackName: string): T | undefined;
}

/**
 * The resource of another template that an `Fn::GetStackOutput` reads: the output `OutputName` of the
 * stack `StackName`, whose `Value` is `!GetAtt X.Arn` (or `!Ref X`). The stack is in the account of
 * the literal `RoleArn` that reads it, or else in the template's own account; the settings or a CDK
 * manifest must name one template as that stack. Anything else is unknown (undefined).
 */
export function stackOutputResource<T extends { analysis: Analysis }>(
  workspace: StackLookup<T>,
  expr: Expr | undefined,
): { account: string; template: T; resource: Resource; attribute: string | undefined } | undefined {
  if (expr?.kind !== "call" || expr.name !== "Fn::GetStackOutput") return undefined;
  const stackName = literalText(entryOf(expr.argument, "StackName"));
  const outputName = literalText(entryOf(expr.argument, "OutputName"));
  const roleArn = entryOf(expr.argument, "RoleArn");
  const roleText = roleArn && literalText(roleArn);
  const readerAccount = roleText === undefined ? undefined : ROLE_ARN.exec(roleText)?.[1];
  const account = roleArn ? (readerAccount && /^\d{12}$/u.test(readerAccount) ? readerAccount : undefined) : workspace.account;
  if (stackName === undefined || outputName === undefined || account === undefined) return undefined;
  const template = workspace.stack(account, stackName);
  // A macro that may rewrite that template may rewrite its outputs.
  if (!template || template.analysis.template.unexpanded.some((part) => part.rewrites)) return undefined;
  const outputs = template.analysis.template.outputs;
  const value = outputs?.kind === "object" ? entryOf(outputs.entries.get(outputName)?.value, "Value") : undefined;
  const id = value?.kind === "getatt" ? value.resource : value?.kind === "ref" ? value.target : undefined;
  const resource = id === undefined ? undefined : template.analysis.template.resources.get(id);
  if (!resource) return undefined;
  return { account, template, resource, attribute: value?.kind === "getatt" ? value.attribute : undefined };
}
