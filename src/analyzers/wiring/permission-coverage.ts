import type { Assumption } from "../../template/conditions.js";
import { canHoldTogether } from "../../template/conditions.js";
import type { Part } from "../../template/interpolation.js";
import type { Template } from "../../template/model.js";
import type { ResourceValues } from "../../template/resource-values.js";
import type { Tri } from "../iam/arn-pattern.js";
import { actionMatcher, compilePattern, compileValue, matchPattern } from "../iam/arn-pattern.js";
import type { Invoker } from "./invokers.js";
import type { LambdaPermission } from "./lambda-permissions.js";
import { requiredSourceAccount } from "./lambda-permissions.js";

/**
 * Whether a permission (or resource policy statement) lets a push invoker call: its action, principal,
 * function and qualifier, its SourceArn against the ARN the service sends, its SourceAccount against the
 * source's owner, and the conditions it and its invoker exist under.
 */

/** The resource types that grant a push invoker its call. */
export const PERMISSION_TYPES = ["AWS::Lambda::Permission", "AWS::Lambda::ResourcePolicy"];

/**
 * Whether the template proves the invoker permitted: a permission on its function that surely covers it,
 * and no Deny that might apply (for the wiring picture: a proven edge).
 */
export function provablyPermitted(template: Template, permissions: LambdaPermission[], invoker: Invoker, values: ResourceValues): boolean {
  const candidates = permissions.filter(
    (permission) => permission.target.kind === "unknown" || (permission.target.kind === "function" && permission.target.fn === invoker.fn),
  );
  if (candidates.some((permission) => permission.effect === "Deny" && denies(permission, invoker, values) !== "no")) return false;
  // A permission under a Condition proves it only where the invoker cannot exist without it.
  return candidates.some(
    (permission) =>
      permission.effect === "Allow" &&
      covers(permission, invoker, values).match === "yes" &&
      (!permission.resource.condition || canHoldTogether(template, withoutPermission(invoker, permission)) === false),
  );
}

export type Verdict = {
  match: Tri;
  reason?: "qualifier" | "sourceArn" | "sourceAccount" | "serviceCondition";
  /** For a SourceAccount that cannot match: the account it allows and the one that owns the source. */
  accounts?: { permitted: string; owner: string };
};

/**
 * Whether a permission is about the invoker's call at all: its action, principal and function. "maybe"
 * for one whose function cannot be read (it may be on this one, if its principal and action fit);
 * `certain` when action and principal surely fit.
 */
function aboutCall(permission: LambdaPermission, invoker: Invoker): { about: Tri; certain: boolean } {
  const action = permission.action === undefined ? "maybe" : actionMatcher(permission.action).test("lambda:InvokeFunction") ? "yes" : "no";
  const principal = principalMatches(permission, invoker);
  const certain = action === "yes" && principal === "yes";
  if (action === "no" || principal === "no") return { about: "no", certain };
  if (permission.target.kind === "unknown") return { about: "maybe", certain };
  return { about: permission.target.kind === "function" && permission.target.fn === invoker.fn ? "yes" : "no", certain };
}

/** Whether a permission lets the invoker's service invoke the invoker's target. */
export function covers(
  permission: LambdaPermission,
  invoker: Invoker,
  values: ResourceValues,
  account: () => string | undefined = () => undefined,
): Verdict {
  const { about, certain } = aboutCall(permission, invoker);
  if (about !== "yes") return { match: about };
  if (!sameQualifier(permission, invoker)) return { match: "no", reason: "qualifier" };
  if (permission.forServices?.holds === false) return { match: "no", reason: "serviceCondition" };
  const sourceArn = sourceArnMatches(permission, invoker, values);
  if (sourceArn === "no") return { match: "no", reason: "sourceArn" };
  const accounts = sourceAccountMismatch(permission, invoker, values, account);
  if (accounts) return { match: "no", reason: "sourceAccount", accounts };
  return { match: certain && sourceArn === "yes" && !permission.otherConditions && permission.replacedBy === undefined ? "yes" : "maybe" };
}

/**
 * Whether the template can deploy the invoker (and its function) without any of the permissions that
 * would let it call: true only when each of them has a Condition, and the conditions can all be false
 * while the invoker's and the function's own hold (proven by a choice of parameter values).
 */
export function canBeWithout(template: Template, invoker: Invoker, covering: LambdaPermission[]): boolean {
  // A SAM-generated permission goes with its function.
  if (covering.some((permission) => permission.viaSam || !permission.resource.condition)) return false;
  return canHoldTogether(template, withoutPermission(invoker, ...covering)) === true;
}

/** The assumptions of a deployment with the invoker and its function, and none of these permissions. */
function withoutPermission(invoker: Invoker, ...permissions: LambdaPermission[]): Assumption[] {
  const assumptions: Assumption[] = permissions.flatMap((permission) =>
    permission.resource.condition ? [{ condition: permission.resource.condition, value: false }] : [],
  );
  for (const condition of [invoker.resource.condition, invoker.fn.resource.condition]) {
    if (condition) assumptions.push({ condition, value: true });
  }
  return assumptions;
}

/** Whether a Deny statement stops the invoker: "yes" only when nothing it names could leave the invoker out. */
export function denies(permission: LambdaPermission, invoker: Invoker, values: ResourceValues): Tri {
  const { about, certain } = aboutCall(permission, invoker);
  if (about !== "yes") return about;
  if (!sameQualifier(permission, invoker)) return "no";
  if (permission.forServices?.holds === false) return "no";
  const sourceArn = sourceArnMatches(permission, invoker, values);
  if (sourceArn === "no") return "no";
  const narrowed =
    permission.resource.condition ||
    permission.otherConditions ||
    permission.sourceAccount ||
    permission.principalOrgId ||
    permission.eventSourceToken ||
    permission.functionUrlAuthType ||
    permission.invokedViaFunctionUrl;
  return certain && sourceArn === "yes" && !narrowed ? "yes" : "maybe";
}

function sameQualifier(permission: LambdaPermission, invoker: Invoker): boolean {
  return permission.target.kind === "function" && (permission.target.qualifier ?? "") === (invoker.qualifier ?? "");
}

function principalMatches(permission: LambdaPermission, invoker: Invoker): Tri {
  const principal = permission.principal;
  if (principal === undefined) return "maybe";
  if (principal === "*" || invoker.facts.principals.includes(principal)) return "yes";
  if (invoker.facts.regionalPrincipal && /^logs\.[a-z0-9-]+\.amazonaws\.com$/u.test(principal)) return "yes";
  return "no";
}

/**
 * A SourceAccount that provably differs from the account that owns the invoker's source, which the
 * service sends as aws:SourceAccount: a literal account against the source ARN's literal account or the
 * template's own (known from the settings). SAM's permissions are not judged: SAM sets SourceAccount only
 * for S3 events, whose buckets are in the template.
 */
function sourceAccountMismatch(
  permission: LambdaPermission,
  invoker: Invoker,
  values: ResourceValues,
  own: () => string | undefined,
): { permitted: string; owner: string } | undefined {
  if (permission.viaSam) return undefined;
  const permitted = requiredSourceAccount(permission, values, own);
  if (permitted === undefined) return undefined;
  const owner = sourceOwner(invoker.sourceArn, own);
  return owner !== undefined && owner !== permitted ? { permitted, owner } : undefined;
}

/** The account that owns an invoker's source: its ARN's literal account, or the template's own for one without. */
function sourceOwner(sourceArn: Part[] | undefined, own: () => string | undefined): string | undefined {
  if (!sourceArn) return undefined;
  // Symbols hold colons (`{Ref:AWS::AccountId}`): each stands as one character, the account's as its own.
  const fields = sourceArn
    .map((part) => ("text" in part ? part.text : part.symbol === "{Ref:AWS::AccountId}" ? "\u0001" : "\u0000"))
    .join("")
    .split(":");
  const account = fields[4];
  if (account === undefined) return undefined;
  if (/^\d{12}$/u.test(account)) return account;
  // No account (an S3 bucket) or this stack's: the template's own.
  return account === "" || account === "\u0001" ? own() : undefined;
}

/** A permission's SourceArn is an ArnLike pattern: "no" only when it provably cannot match the invoker's ARN. */
function sourceArnMatches(permission: LambdaPermission, invoker: Invoker, values: ResourceValues): Tri {
  if (!permission.sourceArn) return "yes";
  if (!invoker.sourceArn) return "maybe";
  const pattern = values.parts(permission.sourceArn);
  if (!pattern) return "maybe";
  return matchPattern(compilePattern(pattern), compileValue(invoker.sourceArn));
}
