import type { Expr } from "../template/expr.js";
import { entryOf, listItems, literalText, someExpr } from "../template/expr.js";
import type { Resource } from "../template/model.js";
import type { Analysis } from "./analysis.js";
import { functionNeeds } from "./function-needs.js";
import type { Need } from "./function-needs.js";
import type { Statement } from "./iam/policy.js";
import type { FunctionCodeReader } from "./sdk/function-code.js";
import type { LambdaFunction } from "./wiring/functions.js";

/** An execution role of the template's functions, what it grants, and what they need of it when that is known whole. */
export interface RoleNeeds {
  /** Its logical ID (SAM's `<Function>Role` for a role SAM generates). */
  role: string;
  /** Where it is written: its resource, or the function SAM generates it for. */
  at: Resource;
  /** Whether SAM generates it from the function's `Policies`. */
  generated: boolean;
  functions: LambdaFunction[];
  statements: Statement[];
  /**
   * Its statements but those of separate policy resources that may apply to more than this role (attached
   * to other roles, users or groups, or referred to elsewhere): what it does not need of those, another may.
   */
  own: Statement[];
  needs: Need[] | undefined;
  /** Why the needs are not known whole (empty when they are). */
  why: string[];
}

/** The principals an execution role may trust and still serve only Lambda functions. */
const LAMBDA_SERVICES = new Set(["lambda.amazonaws.com", "edgelambda.amazonaws.com"]);
const POLICY_TYPES = new Set(["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"]);

/**
 * Every execution role of the template's functions that the template declares (`AWS::IAM::Role`) or SAM
 * generates for a function, with what those functions need of it. The needs are known whole only when
 * nothing else can use the role (it trusts only Lambda, has no `RoleName` another stack could name, and
 * the template refers to it only from its functions' `Role`, the policies it attaches and outputs it does
 * not export), its grants are all readable, and every function's configuration and code are known whole
 * (`functionNeeds`).
 */
export function executionRoleNeeds(analysis: Analysis, code: FunctionCodeReader): RoleNeeds[] {
  const byRole = new Map<string, { functions: LambdaFunction[]; generated: boolean; statements: Statement[] }>();
  for (const fn of analysis.functions)
    for (const candidate of fn.candidates) {
      const id = candidate.identity?.logicalId;
      const generated = !candidate.node && fn.resource.type === "AWS::Serverless::Function";
      if (!id || !(generated || analysis.template.resources.get(id)?.type === "AWS::IAM::Role")) continue;
      const entry = byRole.get(id) ?? { functions: [], generated, statements: analysis.iam.roleOf(fn, candidate).permissions.statements };
      entry.functions.push(fn);
      byRole.set(id, entry);
    }
  return [...byRole].map(([id, { functions, generated, statements }]) => {
    const role = generated ? functions[0]!.resource : analysis.template.resources.get(id)!;
    const why = generated ? generatedRoleProblems(analysis, id, functions[0]!) : roleProblems(analysis, role, functions);
    const needs: Need[] = [];
    for (const fn of functions) {
      const known = functionNeeds(analysis, fn, code(fn));
      if (known.kind === "unknown") why.push(...known.why.map((reason) => `${fn.logicalId}: ${reason}`));
      else needs.push(...known.needs);
    }
    const beyond = policiesBeyond(analysis, id, statements);
    const own = statements.filter((statement) => !statement.origin.resource || !beyond.has(statement.origin.resource));
    return { role: id, at: role, generated, functions, statements, own, needs: why.length === 0 ? needs : undefined, why };
  });
}

/** Why the role SAM generates for a function may serve more than it, or grant what cannot be read. */
function generatedRoleProblems(analysis: Analysis, roleId: string, fn: LambdaFunction): string[] {
  const why: string[] = [];
  const trust = entryOf(fn.resource.properties, "AssumeRolePolicyDocument");
  if (trust && !trustsOnlyLambda(trust)) why.push(`${roleId} may be assumed by principals other than Lambda`);
  if (fn.candidates.length > 1) why.push(`${fn.logicalId} may run as more than one role`);
  const user = otherUse(analysis, roleId, [fn]);
  if (user) why.push(`${user} refers to ${roleId}`);
  const { permissions } = analysis.iam.roleOf(fn, fn.candidates[0]!);
  why.push(...permissions.unknown, ...(permissions.unknownFor ?? []).map((entry) => entry.reason));
  return why;
}

/** Why a role may serve more than the template's functions, or grant what cannot be read. */
function roleProblems(analysis: Analysis, role: Resource, functions: LambdaFunction[]): string[] {
  const why: string[] = [];
  if (!trustsOnlyLambda(entryOf(role.properties, "AssumeRolePolicyDocument")))
    why.push(`${role.logicalId} may be assumed by principals other than Lambda`);
  if (entryOf(role.properties, "RoleName")) why.push(`${role.logicalId} has a RoleName, by which other stacks may use it`);
  if (role.condition) why.push(`${role.logicalId} exists only under condition ${role.condition}`);
  for (const fn of functions) if (fn.candidates.length > 1) why.push(`${fn.logicalId} may run as more than one role`);
  const user = otherUse(analysis, role.logicalId, functions);
  if (user) why.push(`${user} refers to ${role.logicalId}`);
  const { permissions } = analysis.iam.roleIndex(role.logicalId);
  why.push(...permissions.unknown, ...(permissions.unknownFor ?? []).map((entry) => entry.reason));
  return why;
}

/** Whether every Allow statement of a trust policy names only Lambda's service principals. */
function trustsOnlyLambda(document: Expr | undefined): boolean {
  const statements = listItems(entryOf(document, "Statement"));
  return (
    statements.length > 0 &&
    statements.every((statement) => {
      if (statement.kind !== "object") return false;
      const effect = literalText(entryOf(statement, "Effect"));
      if (effect === "Deny") return true;
      const principal = entryOf(statement, "Principal");
      if (effect !== "Allow" || principal?.kind !== "object" || principal.entries.size !== 1) return false;
      const services = listItems(entryOf(principal, "Service"));
      return services.length > 0 && services.every((service) => LAMBDA_SERVICES.has(literalText(service) ?? ""));
    })
  );
}

/**
 * The first resource or output that refers to the role other than a function's `Role` or a policy's
 * `Roles`/`RoleName`: whatever it is may use the role, so what the role must allow is not the functions' alone.
 */
function otherUse(analysis: Analysis, roleId: string, functions: LambdaFunction[]): string | undefined {
  const functionIds = new Set(functions.map((fn) => fn.logicalId));
  return firstReference(analysis, roleId, (resource) =>
    functionIds.has(resource.logicalId) ? ["Role"] : POLICY_TYPES.has(resource.type) ? ["Roles", "RoleName"] : [],
  );
}

/**
 * The separate policies of a role's grants that may apply beyond it: attached to more than one role, to
 * users or groups, a managed policy with a name other stacks can attach it by, or one referred to other
 * than from this role's `ManagedPolicyArns`.
 */
function policiesBeyond(analysis: Analysis, roleId: string, statements: Statement[]): Set<string> {
  const beyond = new Set<string>();
  for (const id of new Set(statements.flatMap((statement) => (statement.origin.resource ? [statement.origin.resource] : [])))) {
    const properties = analysis.template.resources.get(id)?.properties;
    if (
      listItems(entryOf(properties, "Roles")).length > 1 ||
      entryOf(properties, "Users") ||
      entryOf(properties, "Groups") ||
      entryOf(properties, "ManagedPolicyName") ||
      firstReference(analysis, id, (resource) => (resource.logicalId === roleId ? ["ManagedPolicyArns"] : []))
    )
      beyond.add(id);
  }
  return beyond;
}

/**
 * The first resource (but the one itself) or exported output that refers to a resource, other than
 * by the properties `skipped` names for each resource.
 */
function firstReference(analysis: Analysis, id: string, skipped: (resource: Resource) => string[]): string | undefined {
  for (const resource of analysis.template.resources.values()) {
    if (resource.logicalId === id) continue;
    const keys = skipped(resource);
    for (const [key, entry] of resource.properties?.entries ?? []) {
      if (keys.includes(key)) continue;
      if (refersTo(entry.value, id)) return resource.logicalId;
    }
    if (refersTo(resource.metadata, id)) return resource.logicalId;
  }
  // An output tells a reader the resource's ARN; only an exported one lets another stack use it.
  const outputs = analysis.template.outputs;
  for (const [name, entry] of outputs?.kind === "object" ? outputs.entries : [])
    if (entryOf(entry.value, "Export") && refersTo(entry.value, id)) return `the exported output ${name}`;
  return outputs && outputs.kind !== "object" && refersTo(outputs, id) ? "the outputs" : undefined;
}

function refersTo(expr: Expr | undefined, id: string): boolean {
  return (
    expr !== undefined &&
    someExpr(expr, (inner) => {
      if (inner.kind === "ref") return inner.target === id;
      if (inner.kind === "getatt") return inner.resource === id;
      if (inner.kind === "sub") return inner.template.includes(`\${${id}}`) || inner.template.includes(`\${${id}.`);
      return inner.kind === "opaque";
    })
  );
}
