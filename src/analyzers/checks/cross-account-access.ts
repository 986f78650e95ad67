import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Part } from "../../template/interpolation.js";
import type { Resource } from "../../template/types.js";
import type { Analysis } from "../analysis.js";
import type { Caller } from "../iam/caller-match.js";
import { conditionMatch, principalMatch } from "../iam/caller-match.js";
import { describeStatement } from "../iam/evaluate.js";
import { assumesRole, ROLE_ARN } from "../iam/principals.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import type { Workspace } from "../workspace.js";
import type { SdkCall } from "./sdk-call-permissions.js";
import { actionsOf, inputExpr, resourceInputOf } from "./sdk-call-permissions.js";
import type { CrossAccountResource, ResourceKindName } from "./support/cross-account-sources.js";
import { crossAccountResource, policiesRefuse } from "./support/cross-account-sources.js";

/** A role ARN whose account and name the template states: `arn:aws:iam::222222222222:role/Writer`. */
export interface RoleArn {
  text: string;
  account: string;
  /** The path and name after `role/`: `Writer`, `service/Writer`. */
  pathAndName: string;
}

/** The role ARN that parts spell, when its account and name are literal (the partition may be `${AWS::Partition}`). */
export function roleArnOf(parts: Part[]): RoleArn | undefined {
  let text = "";
  for (const part of parts) {
    if ("text" in part) text += part.text;
    else if (part.symbol === "{Ref:AWS::Partition}") text += "${AWS::Partition}";
    else return undefined;
  }
  const match = ROLE_ARN.exec(text);
  if (!match || !/^\d{12}$/u.test(match[1]!)) return undefined;
  return { text, account: match[1]!, pathAndName: match[2]! };
}

/** What a function's execution role says to `sts:AssumeRole` on a role: nothing to report, not granted, or denied by a statement. */
export type AssumeGrant =
  { outcome: "allowed-or-unknown" } | { outcome: "not-granted"; role: string } | { outcome: "denied"; role: string; statement: string };

export function assumeRoleGrant(analysis: Analysis, fn: LambdaFunction, candidate: RoleCandidate, target: Part[]): AssumeGrant {
  const index = analysis.iam.roleOf(fn, candidate);
  const decision = index.evaluate("sts:AssumeRole", target);
  if (decision.outcome === "denied")
    return { outcome: "denied", role: index.permissions.role, statement: describeStatement(decision.statement) };
  if (decision.outcome === "not-granted") return { outcome: "not-granted", role: index.permissions.role };
  return { outcome: "allowed-or-unknown" };
}

/** The role a template declares with this ARN's name and path (`RoleName` and `Path` as literals), if one. */
export function declaredRole(analysis: Analysis, arn: RoleArn): Resource | undefined {
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return undefined;
  for (const resource of analysis.template.resources.values()) {
    if (resource.type !== "AWS::IAM::Role" || resource.propertiesUnknown) continue;
    const name = literalText(entryOf(resource.properties, "RoleName"));
    const path = entryOf(resource.properties, "Path") === undefined ? "/" : literalText(entryOf(resource.properties, "Path"));
    if (name !== undefined && path !== undefined && `${path.slice(1)}${name}` === arn.pathAndName) return resource;
  }
  return undefined;
}

/** The name and path a function's execution role is given in its template (`RoleName`, `Path`), when they are literals. */
export function declaredRoleName(analysis: Analysis, candidate: RoleCandidate): { roleName: string | undefined; rolePath: string } {
  const logicalId = candidate.identity?.logicalId;
  const role = logicalId ? analysis.template.resources.get(logicalId) : undefined;
  if (role?.type !== "AWS::IAM::Role") return { roleName: undefined, rolePath: "/" };
  const path = entryOf(role.properties, "Path") === undefined ? "/" : literalText(entryOf(role.properties, "Path"));
  const roleName = literalText(entryOf(role.properties, "RoleName"));
  return path === undefined ? { roleName: undefined, rolePath: "/" } : { roleName, rolePath: path };
}

/** What a role's trust policy says to a caller of another account. */
export type TrustAnswer =
  { outcome: "admitted" | "unknown" } | { outcome: "not-trusted"; principals: string[] } | { outcome: "external-id"; expected: string[] };

/**
 * Whether a role's trust policy (in an account other than the caller's) admits the caller: an
 * `Allow` of `sts:AssumeRole` to the caller's account root or to its role's ARN, whose conditions
 * the call meets. A condition on any key but `sts:ExternalId`, a `Deny`, a `NotPrincipal` or
 * anything unreadable leaves the answer unknown.
 */
export function trustAnswer(role: Resource, trustingAccount: string, caller: Caller): TrustAnswer {
  const document = entryOf(role.properties, "AssumeRolePolicyDocument");
  const statements = entryOf(document, "Statement");
  if (!statements || (statements.kind !== "list" && statements.kind !== "object")) return { outcome: "unknown" };
  const principals: string[] = [];
  const expected: string[] = [];
  let unknown = false;
  for (const statement of listItems(statements)) {
    const effect = literalText(entryOf(statement, "Effect"));
    if (effect !== "Allow" || entryOf(statement, "NotPrincipal") || entryOf(statement, "NotAction")) return { outcome: "unknown" };
    const assumes = assumesRole(statement);
    if (assumes === "unreadable") unknown = true;
    if (assumes !== true) continue;
    const named: string[] = [];
    const match = principalMatch(entryOf(statement, "Principal"), trustingAccount, caller, named);
    if (match === "no") {
      principals.push(...named);
      continue;
    }
    const condition = conditionMatch(entryOf(statement, "Condition"), caller);
    if (match === "yes" && condition.answer === "yes") return { outcome: "admitted" };
    if (match === "maybe" || condition.answer === "maybe") unknown = true;
    else if (condition.principalArns.length > 0)
      principals.push(...named.map((text) => `${text} with aws:PrincipalArn ${condition.principalArns.join(" or ")}`));
    else expected.push(...condition.externalIds);
  }
  if (unknown) return { outcome: "unknown" };
  if (expected.length > 0) return { outcome: "external-id", expected };
  return { outcome: "not-trusted", principals };
}

/** The services whose resources a call may use across accounts through the resource's own policy, as this linter reads them. */
const RESOURCE_POLICY_SERVICES: Record<string, ResourceKindName> = { dynamodb: "DynamoDB", sns: "SNS", sqs: "SQS" };

/** A call signed by the execution role on a resource of another account, and the actions that resource's policy refuses. */
export interface RefusedCall {
  resource: CrossAccountResource;
  actions: string[];
}

/**
 * Across accounts a call is allowed only when the resource's own policy allows the caller as well as
 * the caller's role does. For a call the execution role signs on a DynamoDB table (by its ARN: a name
 * is looked up in the caller's own account), an SNS topic or an SQS queue (by its URL) that a template
 * of another account declares, the actions that every policy there (or the lack of one) refuses. A
 * query of an index is not judged.
 */
export function resourcePolicyRefusal(
  analysis: Analysis,
  fn: LambdaFunction,
  candidate: RoleCandidate,
  call: SdkCall,
  workspace: Workspace,
): RefusedCall | undefined {
  // A macro may rewrite the function's configuration, and with it the resource the call names.
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return undefined;
  const actions = actionsOf(call);
  const service = actions?.[0]?.split(":")[0];
  const kind = service === undefined ? undefined : RESOURCE_POLICY_SERVICES[service];
  const inputs = service === undefined ? undefined : resourceInputOf(service);
  if (!actions || !kind || !inputs || (inputs.indexInput && call.input.has(inputs.indexInput))) return undefined;
  const reference = inputExpr(fn, call.input.get(inputs.resourceInput))?.expr;
  const resource = reference && crossAccountResource(kind, reference, analysis, workspace);
  if (!resource) return undefined;
  const caller: Caller = { account: workspace.account!, ...declaredRoleName(analysis, candidate), externalId: "none" };
  const refused = actions.filter((action) => policiesRefuse(resource, action, caller));
  return refused.length > 0 ? { resource, actions: refused } : undefined;
}
