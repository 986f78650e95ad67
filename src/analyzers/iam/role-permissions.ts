import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText, toExpr } from "../../template/expr.js";
import { canonical } from "../../template/interpolation.js";
import type { Resource, Template } from "../../template/model.js";
import { mayAdd } from "../../template/model.js";
import { syntheticNode } from "../../template/synthetic.js";
import type { Assumption } from "../../template/conditions.js";
import { canHoldTogether } from "../../template/conditions.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import type { Connector } from "../wiring/connectors.js";
import { expandConditions } from "../wiring/functions.js";
import type { Located } from "../finding.js";
import { managedPolicyByArn, managedPolicyByName } from "./managed-policies.js";
import type { PolicyOrigin, Statement } from "./policy.js";
import { readPolicyDocument } from "./policy.js";
import type { ResourceValues } from "../../template/resource-values.js";
import { samPolicyStatements } from "./sam-policies.js";

/** Everything a role is granted, and what could not be known about it. */
export interface RolePermissions {
  /** How messages name the role. */
  role: string;
  statements: Statement[];
  /** The permissions boundary, when the role has one. */
  boundary: { statements: Statement[]; unknown: string[] } | undefined;
  /** Why the statements may be incomplete (a policy from another stack, an unreadable document, ...). */
  unknown: string[];
  /** Sources that may add permissions for some services only (a SAM connector to a queue adds sqs:*). */
  unknownFor?: Array<{ reason: string; services: Set<string> }>;
}

/** The IAM service prefix of the permissions a SAM connector grants for an endpoint of this type. */
const CONNECTOR_SERVICES: Record<string, string> = {
  "AWS::SQS::Queue": "sqs",
  "AWS::SNS::Topic": "sns",
  "AWS::DynamoDB::Table": "dynamodb",
  "AWS::Serverless::SimpleTable": "dynamodb",
  "AWS::S3::Bucket": "s3",
  "AWS::StepFunctions::StateMachine": "states",
  "AWS::Serverless::StateMachine": "states",
  "AWS::Lambda::Function": "lambda",
  "AWS::Serverless::Function": "lambda",
  "AWS::Events::EventBus": "events",
  "AWS::Kinesis::Stream": "kinesis",
  "AWS::Location::PlaceIndex": "geo",
  "AWS::AppSync::DataSource": "appsync",
};

const POLICY_TYPES = new Set(["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"]);

/** Finds every source of permissions of the roles in one template. */
export class PermissionSources {
  /** Policies attached by role logical id. */
  readonly #attached = new Map<string, Resource[]>();
  /** Policies attached to roles we cannot tell (a parameter, an import): they may attach to any role. */
  readonly #unresolvedAttachments: string[] = [];
  readonly #cache = new Map<string, RolePermissions>();
  #literalNamesComplete: boolean | undefined;
  /** What SAM connectors may add to a function's role, by function; "*" for any function. */
  readonly #connectors = new Map<string, Array<{ reason: string; services: Set<string> }>>();
  /** Parts of the template we do not expand that may attach policies to any role. */
  readonly #unexpandedPolicies: string[];

  constructor(
    readonly template: Template,
    readonly values: ResourceValues,
    connectors: Connector[],
  ) {
    for (const resource of template.resources.values()) {
      if (!POLICY_TYPES.has(resource.type)) continue;
      const roleNames =
        resource.type === "AWS::IAM::RolePolicy"
          ? [entryOf(resource.properties, "RoleName")]
          : listItems(entryOf(resource.properties, "Roles"));
      for (const roleName of roleNames) {
        if (!roleName) continue;
        const roleId = this.#roleOfName(roleName);
        const attached = roleId ? this.#attached.get(roleId) : undefined;
        if (roleId && attached) attached.push(resource);
        else if (roleId) this.#attached.set(roleId, [resource]);
        else if (roleId === undefined)
          this.#unresolvedAttachments.push(`${resource.logicalId} attaches to a role named by a value that cannot be resolved`);
      }
    }
    this.#findConnectors(connectors);
    this.#unexpandedPolicies = template.unexpanded
      .filter((part) => mayAdd(part, POLICY_TYPES))
      .map((part) => `${part.what}, which this linter does not expand, may attach policies to the role`);
  }

  /**
   * SAM connectors (`AWS::Serverless::Connector`, or `Connectors` on a resource) add policies to the
   * role of a function they connect, for the service at the connector's other end; we do not model
   * what they add, so the role's permissions for that service are unknown.
   */
  #findConnectors(connectors: Connector[]): void {
    for (const connector of connectors) {
      const ends = connector.endpoints.map((end) => ({ id: end.id, service: (end.type && CONNECTOR_SERVICES[end.type]) ?? "*" }));
      for (const end of ends) {
        const services = new Set(ends.filter((other) => other !== end).map((other) => other.service));
        const entry = { reason: `SAM connector ${connector.name} adds policies that are not modelled`, services };
        const key = end.id ?? "*";
        this.#connectors.set(key, [...(this.#connectors.get(key) ?? []), entry]);
      }
    }
  }

  /** The permissions of a function's execution role (one candidate of its `Role`). */
  forFunction(fn: LambdaFunction, candidate: RoleCandidate): RolePermissions {
    const permissions = this.#forFunction(fn, candidate);
    const connectors = [...(this.#connectors.get(fn.logicalId) ?? []), ...(this.#connectors.get("*") ?? [])];
    return connectors.length > 0 ? { ...permissions, unknownFor: [...(permissions.unknownFor ?? []), ...connectors] } : permissions;
  }

  #forFunction(fn: LambdaFunction, candidate: RoleCandidate): RolePermissions {
    const identity = candidate.identity;
    if (!identity) return unknownRole("the role value cannot be read", "the execution role");
    if (!candidate.node && fn.resource.type === "AWS::Serverless::Function") return this.#samGeneratedRole(fn);
    const declared = identity.logicalId ? this.template.resources.get(identity.logicalId) : undefined;
    if (declared?.type === "AWS::IAM::Role") return this.forRole(declared.logicalId, candidate.assumptions);
    return unknownRole(`role ${identity.label} is defined outside this template`, identity.label);
  }

  /**
   * The permissions of an `AWS::IAM::Role` declared in the template, as seen by a function that exists
   * under `assumptions`: a policy that exists only under a condition those assumptions imply is certain.
   */
  forRole(logicalId: string, assumptions: Assumption[] = []): RolePermissions {
    const cacheKey = `${logicalId}|${assumptions.map((a) => `${a.value ? "" : "!"}${a.condition}`).join(",")}`;
    const cached = this.#cache.get(cacheKey);
    if (cached) return cached;
    const role = this.template.resources.get(logicalId)!;
    const permissions: RolePermissions = {
      role: logicalId,
      statements: [],
      boundary: undefined,
      unknown: [...this.#unresolvedAttachments, ...this.#unexpandedPolicies],
    };
    if (role.propertiesUnknown) permissions.unknown.push(`role ${logicalId}: ${role.propertiesUnknown}`);
    const uncertain = (condition: string | undefined, what: string) =>
      condition && canHoldTogether(this.template, [...assumptions, { condition, value: false }]) !== false
        ? `${what} exists only under condition ${condition}`
        : undefined;
    const roleCondition = uncertain(role.condition, `role ${logicalId}`);
    for (const { value: policy, uncertainty } of this.#branches(listItems(entryOf(role.properties, "Policies")), assumptions)) {
      const name = literalText(entryOf(policy, "PolicyName")) ?? "(unnamed)";
      const conditional = [roleCondition, uncertainty].filter(Boolean).join("; ") || undefined;
      this.#addDocument(permissions, entryOf(policy, "PolicyDocument"), {
        label: `inline policy "${name}" of role ${logicalId}`,
        at: policy.node,
        conditional,
      });
    }
    for (const { value: arn, uncertainty } of this.#branches(listItems(entryOf(role.properties, "ManagedPolicyArns")), assumptions)) {
      this.#addManagedPolicy(permissions, arn, [roleCondition, uncertainty].filter(Boolean).join("; ") || undefined);
    }
    for (const policy of this.#attached.get(logicalId) ?? []) {
      const conditional = uncertain(policy.condition, policy.logicalId) ?? roleCondition;
      const origin = {
        label: `${describeType(policy.type)} ${policy.logicalId}`,
        at: policy.node.key,
        conditional,
        resource: policy.logicalId,
      };
      this.#addDocument(permissions, entryOf(policy.properties, "PolicyDocument"), origin);
    }
    const boundary = entryOf(role.properties, "PermissionsBoundary");
    if (boundary) permissions.boundary = this.#boundary(boundary);
    this.#cache.set(cacheKey, permissions);
    return permissions;
  }

  /** The role SAM generates for a function without `Role` (samtranslator sam_resources.py `_construct_role`). */
  #samGeneratedRole(fn: LambdaFunction): RolePermissions {
    const roleId = `${fn.logicalId}Role`;
    const permissions: RolePermissions = {
      role: `${roleId} (generated by SAM)`,
      statements: [],
      boundary: undefined,
      unknown: [...this.#unexpandedPolicies],
    };
    const properties = fn.resource.properties;
    // SAM gives the generated role the function's own Condition: it exists whenever the function does.
    const conditional = undefined;
    const at = fn.resource.node.key;
    for (const source of samPolicyStatements(fn.resource, properties)) {
      if (source.kind === "managed") {
        const note = source.written ? undefined : "added by SAM";
        this.#addManagedLookup(permissions, managedPolicyByName(source.name), source.at ?? at, conditional, note);
      } else if (source.kind === "document") {
        const origin = {
          label: source.label,
          at: source.at ?? at,
          conditional,
          ...(source.bundled && { bundled: source.bundled }),
          ...(source.samTemplate && { samTemplate: source.samTemplate }),
        };
        this.#addDocument(permissions, source.document, origin);
      } else if (source.kind === "arn") {
        this.#addManagedPolicy(permissions, source.arn, conditional);
      } else if (source.kind === "unknownFor") {
        permissions.unknownFor = [...(permissions.unknownFor ?? []), { reason: source.reason, services: new Set(source.services) }];
      } else {
        permissions.unknown.push(source.reason);
      }
    }
    const boundary = entryOf(properties, "PermissionsBoundary");
    if (boundary) permissions.boundary = this.#boundary(boundary);
    return permissions;
  }

  /**
   * The entries of a list with their `Fn::If`s resolved for a function that exists under `assumptions`:
   * branches that cannot hold with them are dropped (as is `AWS::NoValue`), the others carry the
   * conditions they still depend on.
   */
  #branches(items: Expr[], assumptions: Assumption[]): Array<{ value: Expr; uncertainty: string | undefined }> {
    const result: Array<{ value: Expr; uncertainty: string | undefined }> = [];
    for (const item of items) {
      for (const branch of expandConditions(item, [])) {
        if (branch.value.kind === "ref" && branch.value.target === "AWS::NoValue") continue;
        if (canHoldTogether(this.template, [...assumptions, ...branch.assumptions]) === false) continue;
        const open = branch.assumptions.filter(
          (assumption) =>
            canHoldTogether(this.template, [...assumptions, { condition: assumption.condition, value: !assumption.value }]) !== false,
        );
        const uncertainty =
          open.length > 0 ? `it applies only when ${open.map((a) => `${a.condition} is ${a.value}`).join(" and ")}` : undefined;
        result.push({ value: branch.value, uncertainty });
      }
    }
    return result;
  }

  #addDocument(permissions: RolePermissions, document: Expr | undefined, origin: PolicyOrigin): void {
    const read = readPolicyDocument(document, origin, this.values);
    for (const statement of read.statements) permissions.statements.push(statement);
    if (read.unreadable) permissions.unknown.push(read.unreadable);
  }

  /** `what` names the policy in a reason: a managed policy, or a role's permissions boundary (also a managed policy). */
  #addManagedPolicy(permissions: RolePermissions, arn: Expr, conditional: string | undefined, what = "managed policy"): void {
    if (arn.kind === "ref" && this.template.resources.get(arn.target)?.type === "AWS::IAM::ManagedPolicy") {
      const policy = this.template.resources.get(arn.target)!;
      const attachedDirectly = (this.#attached.get(permissions.role) ?? []).includes(policy);
      if (!attachedDirectly) {
        this.#addDocument(permissions, entryOf(policy.properties, "PolicyDocument"), {
          label: `managed policy ${policy.logicalId}`,
          at: arn.node,
          conditional,
        });
      }
      return;
    }
    const parts = this.values.parts(arn);
    const lookup = parts ? managedPolicyByArn(parts) : ({ kind: "other" } as const);
    if (lookup.kind === "other") {
      permissions.unknown.push(`${what} ${canonical(arn)} is defined outside this template`);
      return;
    }
    this.#addManagedLookup(permissions, lookup, arn.node, conditional, undefined);
  }

  #addManagedLookup(
    permissions: RolePermissions,
    lookup: ReturnType<typeof managedPolicyByName>,
    at: Located,
    conditional: string | undefined,
    note: string | undefined,
  ): void {
    if (lookup.kind !== "known") {
      permissions.unknown.push(`AWS managed policy ${"name" in lookup ? lookup.name : ""} is not in the bundled policy data`);
      return;
    }
    const document = toExpr(syntheticNode({ Statement: lookup.statements }, at));
    const label = `AWS managed policy ${lookup.name}${note ? ` (${note})` : ""}`;
    const managedPolicy = { name: lookup.name, written: note === undefined };
    this.#addDocument(permissions, document, { label, at, conditional, bundled: true, managedPolicy });
  }

  #boundary(arn: Expr): { statements: Statement[]; unknown: string[] } {
    const boundary: RolePermissions = { role: "boundary", statements: [], boundary: undefined, unknown: [] };
    this.#addManagedPolicy(boundary, arn, undefined, "permissions boundary");
    return { statements: boundary.statements, unknown: boundary.unknown };
  }

  /**
   * The role a `Roles` entry names: `!Ref Role`, or a literal equal to a role's literal `RoleName`; null
   * for a role that is provably not in this template, undefined when we cannot tell.
   */
  #roleOfName(name: Expr): string | null | undefined {
    if (name.kind === "ref") {
      if (this.template.resources.get(name.target)?.type === "AWS::IAM::Role") return name.target;
      return this.template.resources.has(name.target) ? null : undefined;
    }
    const text = literalText(name);
    if (text === undefined) return undefined;
    const named = this.template.rolesByName.get(text);
    if (named) return named[0]!.logicalId;
    // A literal name that no role of this template has: another stack's role.
    this.#literalNamesComplete ??= literalNamesAreComplete(this.template);
    return this.#literalNamesComplete ? null : undefined;
  }
}

function unknownRole(reason: string, label: string): RolePermissions {
  return { role: label, statements: [], boundary: undefined, unknown: [reason] };
}

function describeType(type: string): string {
  return type === "AWS::IAM::ManagedPolicy" ? "managed policy" : "policy";
}

/** Whether every role of the template has a literal name or none: then a literal matches only by name. */
function literalNamesAreComplete(template: Template): boolean {
  return [...template.resources.values()].every(
    (resource) =>
      resource.type !== "AWS::IAM::Role" ||
      !entryOf(resource.properties, "RoleName") ||
      literalText(entryOf(resource.properties, "RoleName")) !== undefined,
  );
}
