import type { ValueNode } from "../../language/ast.js";
import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalBoolean, literalText } from "../../template/expr.js";
import type { Resource } from "../../template/model.js";
import type { LambdaFunction } from "./functions.js";
import type { FunctionIndex, FunctionTarget } from "./function-references.js";
import { INVOKERS } from "./invokers.js";
import { samEvents } from "../../template/sam-events.js";
import { literalString } from "../../template/interpolation.js";
import type { ResourceValues } from "../../template/resource-values.js";

/**
 * The account a permission's `SourceAccount` requires: a literal ID, or for `${AWS::AccountId}` the
 * account its template deploys to (`account`, asked only then); undefined when it sets none, or the
 * account cannot be read or is not known.
 */
export function requiredSourceAccount(
  permission: LambdaPermission,
  values: ResourceValues,
  account: () => string | undefined,
): string | undefined {
  const parts = permission.sourceAccount && values.parts(permission.sourceAccount);
  const own = parts?.length === 1 && "symbol" in parts[0]! && parts[0].symbol === "{Ref:AWS::AccountId}";
  const text = own ? account() : parts && literalString(parts);
  return text !== undefined && /^\d{12}$/u.test(text) ? text : undefined;
}

/**
 * An `AWS::Lambda::Permission`, or one principal and action of an `AWS::Lambda::ResourcePolicy`
 * statement: who may (or, for a Deny, may not) invoke which function, scoped how.
 */
export interface LambdaPermission {
  logicalId: string;
  /** What messages call it: `permission Fn`, `statement 2 of resource policy FnPolicy`. */
  name: string;
  effect: "Allow" | "Deny";
  resource: Resource;
  at: ValueNode;
  target: FunctionTarget;
  /** The literal action, undefined when it is not a plain string. */
  action: string | undefined;
  /** The literal principal, undefined when it is not a plain string. */
  principal: string | undefined;
  principalExpr: Expr | undefined;
  sourceArn: Expr | undefined;
  sourceAccount: Expr | undefined;
  principalOrgId: Expr | undefined;
  eventSourceToken: Expr | undefined;
  functionUrlAuthType: string | undefined;
  invokedViaFunctionUrl: boolean;
  /** True for the permission SAM generates for a push event (reported at the event). */
  viaSam: boolean;
  /** A condition we do not model narrows it: it may not apply. */
  otherConditions: boolean;
  /**
   * For a request by a service principal (every push invoker's), a condition on a key such a request
   * never carries (`aws:PrincipalOrgID`), decided: `holds` false makes the statement never apply to
   * it (`StringEquals`), true always (`StringNotEquals`, `...IfExists`). Undefined when there is none.
   */
  forServices: { key: string; holds: boolean } | undefined;
  /**
   * For an `AWS::Lambda::Permission` (or one SAM generates) on a function or alias that also has an
   * `AWS::Lambda::ResourcePolicy`: that policy's logical ID. PutResourcePolicy replaces the statements
   * AddPermission added, so whether this one survives depends on the order CloudFormation runs them in.
   */
  replacedBy: string | undefined;
}

/** The permission fields that only a resource policy's conditions or an AWS::Lambda::Permission set. */
type Scope = Pick<
  LambdaPermission,
  | "sourceArn"
  | "sourceAccount"
  | "principalOrgId"
  | "eventSourceToken"
  | "functionUrlAuthType"
  | "invokedViaFunctionUrl"
  | "otherConditions"
  | "forServices"
>;

/** The principal of the permission SAM generates for each push event type, from the invokers' data. */
const SAM_EVENT_PRINCIPALS = new Map(
  Object.values(INVOKERS).flatMap((facts) => facts.samEvents.map((type) => [type, facts.principals[0]!] as const)),
);

/**
 * Every `AWS::Lambda::Permission` of the template, and the permissions SAM generates for push events:
 * those are read as unscoped (their SourceArn is SAM's business), so they satisfy any invoker of the
 * same principal.
 */
export function lambdaPermissions(index: FunctionIndex): LambdaPermission[] {
  const { template, functions } = index;
  const permissions: LambdaPermission[] = [];
  const policyOf = new Map<string, string>();
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::ResourcePolicy") continue;
    const policyPermissions = resourcePolicyPermissions(index, resource);
    permissions.push(...policyPermissions);
    for (const { target } of policyPermissions) if (target.kind === "function") policyOf.set(targetKey(target), resource.logicalId);
  }
  for (const fn of functions) {
    const qualifier = literalText(entryOf(fn.resource.properties, "AutoPublishAlias"));
    for (const { name, key, type, properties } of samEvents(fn.resource).events) {
      const principal = SAM_EVENT_PRINCIPALS.get(type ?? "");
      if (!principal) continue;
      permissions.push({
        logicalId: `${fn.logicalId}${name}Permission`,
        name: `permission ${fn.logicalId}${name}Permission`,
        effect: "Allow",
        resource: fn.resource,
        at: key,
        target: { kind: "function", fn, qualifier },
        action: "lambda:InvokeFunction",
        principal,
        principalExpr: undefined,
        // SAM scopes every generated permission by SourceArn or SourceAccount, except an AlexaSkill
        // event's, which is scoped by its SkillId (EventSourceToken) when one is given.
        sourceArn: undefined,
        sourceAccount: type === "AlexaSkill" ? undefined : { kind: "ref", target: "AWS::AccountId", node: key },
        principalOrgId: undefined,
        forServices: undefined,
        eventSourceToken: type === "AlexaSkill" ? entryOf(properties, "SkillId") : undefined,
        functionUrlAuthType: undefined,
        invokedViaFunctionUrl: false,
        viaSam: true,
        otherConditions: false,
        replacedBy: policyOf.get(targetKey({ fn, qualifier })),
      });
    }
  }
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::Permission") continue;
    const properties = resource.properties;
    const principalExpr = entryOf(properties, "Principal");
    const target = index.target(entryOf(properties, "FunctionName"));
    permissions.push({
      logicalId: resource.logicalId,
      name: `permission ${resource.logicalId}`,
      effect: "Allow",
      resource,
      at: resource.node.key,
      target,
      action: literalText(entryOf(properties, "Action")),
      principal: literalText(principalExpr),
      principalExpr,
      sourceArn: entryOf(properties, "SourceArn"),
      sourceAccount: entryOf(properties, "SourceAccount"),
      principalOrgId: entryOf(properties, "PrincipalOrgID"),
      // AddPermission's PrincipalOrgID is an aws:PrincipalOrgID condition, which a service principal never meets.
      forServices: entryOf(properties, "PrincipalOrgID") ? { key: "aws:PrincipalOrgID", holds: false } : undefined,
      eventSourceToken: entryOf(properties, "EventSourceToken"),
      functionUrlAuthType: literalText(entryOf(properties, "FunctionUrlAuthType")),
      invokedViaFunctionUrl: literalBoolean(entryOf(properties, "InvokedViaFunctionUrl")) === true,
      viaSam: false,
      otherConditions: false,
      replacedBy: target.kind === "function" ? policyOf.get(targetKey(target)) : undefined,
    });
  }
  return permissions;
}

/** The functions of this template that have an `AWS::Lambda::ResourcePolicy`, by `fn` or `fn:qualifier`. */
function targetKey(target: { fn: LambdaFunction; qualifier: string | undefined }): string {
  return target.qualifier === undefined ? target.fn.logicalId : `${target.fn.logicalId}:${target.qualifier}`;
}

const UNSCOPED: Scope = {
  sourceArn: undefined,
  sourceAccount: undefined,
  principalOrgId: undefined,
  eventSourceToken: undefined,
  functionUrlAuthType: undefined,
  invokedViaFunctionUrl: false,
  otherConditions: false,
  forServices: undefined,
};

/**
 * The statements of an `AWS::Lambda::ResourcePolicy`, one permission per principal and action, on the
 * function, version or alias its `ResourceArn` names. What cannot be read (a document given as a string,
 * a principal or action written with an intrinsic, `NotPrincipal`, `NotAction`) stays undefined, so it
 * may stand for any principal or action.
 */
function resourcePolicyPermissions(index: FunctionIndex, resource: Resource): LambdaPermission[] {
  const target = index.target(entryOf(resource.properties, "ResourceArn"));
  const base = { logicalId: resource.logicalId, resource, target, viaSam: false, replacedBy: undefined, principalExpr: undefined };
  const unreadable = (at: ValueNode, name: string): LambdaPermission => ({
    ...base,
    ...UNSCOPED,
    name,
    effect: "Allow",
    at,
    action: undefined,
    principal: undefined,
  });
  const statements = entryOf(entryOf(resource.properties, "PolicyDocument"), "Statement");
  if (!statements || resource.propertiesUnknown) return [unreadable(resource.node.key, `resource policy ${resource.logicalId}`)];
  return listItems(statements).flatMap((statement, index) => {
    const name = `statement ${index + 1} of resource policy ${resource.logicalId}`;
    const effect = literalText(entryOf(statement, "Effect"));
    if (statement.kind !== "object" || (effect !== "Allow" && effect !== "Deny")) return [unreadable(statement.node, name)];
    const scope = statementScope(entryOf(statement, "Condition"));
    const actions = entryOf(statement, "NotAction") ? [undefined] : listItems(entryOf(statement, "Action")).map(literalText);
    return statementPrincipals(statement).flatMap((principal) =>
      actions.map((action): LambdaPermission => ({ ...base, ...scope, name, effect, at: statement.node, action, principal })),
    );
  });
}

/** A statement's principals as AddPermission would write them: `*`, a service, an account or an ARN; undefined where unreadable. */
function statementPrincipals(statement: Expr): Array<string | undefined> {
  const principal = entryOf(statement, "Principal");
  if (!principal || entryOf(statement, "NotPrincipal")) return [undefined];
  if (principal.kind !== "object") return [literalText(principal)];
  return [...principal.entries].flatMap(([kind, { value }]) =>
    listItems(value).map((item) => {
      const text = literalText(item);
      return kind === "AWS" && text === "*" ? "*" : text;
    }),
  );
}

/** Condition keys that AddPermission's own parameters stand for, by the operators that give them that meaning. */
const CONDITION_SCOPES: Record<string, { field: Exclude<keyof Scope, "otherConditions" | "forServices">; operators: string[] }> = {
  "aws:sourcearn": { field: "sourceArn", operators: ["ArnLike", "ArnEquals", "StringEquals", "StringLike"] },
  "aws:sourceaccount": { field: "sourceAccount", operators: ["StringEquals", "StringLike"] },
  "aws:principalorgid": { field: "principalOrgId", operators: ["StringEquals", "StringLike"] },
  "lambda:eventsourcetoken": { field: "eventSourceToken", operators: ["StringEquals"] },
  "lambda:functionurlauthtype": { field: "functionUrlAuthType", operators: ["StringEquals"] },
  "lambda:invokedviafunctionurl": { field: "invokedViaFunctionUrl", operators: ["Bool"] },
};

/**
 * Keys that a request made by a service principal does not carry: per IAM's global condition keys,
 * aws:PrincipalOrgID and aws:PrincipalOrgPaths are in a request only when its principal is a member
 * of an organization, which a service principal is not.
 */
const ABSENT_FOR_SERVICES = new Set(["aws:principalorgid", "aws:principalorgpaths"]);

/**
 * Whether a condition on a key that the request does not carry holds (IAM condition operators: a
 * missing key makes a condition false, except a negated operator's, `...IfExists`, and `Null: true`).
 */
function holdsWithoutKey(operator: string, value: Expr): boolean | undefined {
  if (operator.endsWith("IfExists")) return true;
  if (operator === "Null") return literalBoolean(value.kind === "list" && value.items.length === 1 ? value.items[0]! : value);
  if (/^(?:ForAllValues|ForAnyValue):/u.test(operator)) return undefined;
  return /^(?:StringNot|ArnNot|NotIpAddress|NumericNotEquals|DateNotEquals)/u.test(operator);
}

/** What a statement's `Condition` narrows it to; any other key, operator or shape is `otherConditions`. */
function statementScope(condition: Expr | undefined): Scope {
  const scope: Scope = { ...UNSCOPED };
  if (!condition) return scope;
  if (condition.kind !== "object") return { ...scope, otherConditions: true };
  for (const [operator, { value: block }] of condition.entries) {
    if (block.kind !== "object") return { ...scope, otherConditions: true };
    for (const [key, { value }] of block.entries) {
      const known = CONDITION_SCOPES[key.toLowerCase()];
      const single = value.kind === "list" ? (value.items.length === 1 ? value.items[0] : undefined) : value;
      if (ABSENT_FOR_SERVICES.has(key.toLowerCase())) {
        const holds = holdsWithoutKey(operator, value);
        if (holds === undefined) scope.otherConditions = true;
        // A failing condition decides (the statement never applies); holding ones only when none fails.
        else if (!holds || scope.forServices === undefined) scope.forServices = { key, holds };
        if (known?.operators.includes(operator) && single && !scope.principalOrgId) scope.principalOrgId = single;
        continue;
      }
      if (!known || !known.operators.includes(operator) || !single || scope[known.field]) {
        scope.otherConditions = true;
      } else if (known.field === "functionUrlAuthType") {
        scope.functionUrlAuthType = literalText(single);
        if (scope.functionUrlAuthType === undefined) scope.otherConditions = true;
      } else if (known.field === "invokedViaFunctionUrl") {
        scope.invokedViaFunctionUrl = literalBoolean(single) === true;
        if (literalBoolean(single) === undefined) scope.otherConditions = true;
      } else {
        scope[known.field] = single;
      }
    }
  }
  return scope;
}
