import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import { canonical } from "../../template/interpolation.js";
import { mayAdd } from "../../template/model.js";
import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { listNames } from "../finding.js";
import { describeStatement } from "../iam/evaluate.js";
import type { Statement } from "../iam/policy.js";
import { isPlainAllow } from "../iam/policy.js";
import { accountIdParameter, assumesRole, conditionKeys, ROLE_ARN, rootAccount, writtenText } from "../iam/principals.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import { FUNCTION_TYPES } from "../wiring/functions.js";
import type { EnvironmentRole } from "./support/environment-roles.js";
import { environmentRoles } from "./support/environment-roles.js";

export type TrustScopeMessageId = "accountRoot" | "parameterAccountRoot" | "rolePrincipal" | "anyPrincipal" | "assumeAnyRole";

export interface TrustScopeOptions {
  /** Accounts (12 digits) whose root a role may trust without a narrowing condition: your own accounts. */
  trustedAccounts: string[];
}

/** The condition keys that narrow an account-root principal to the callers meant (IAM's confused deputy guidance). */
const NARROWING_KEYS = new Set(["aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "sts:externalid"]);
/** And those that narrow `*` to some accounts or services. */
const WILDCARD_NARROWING_KEYS = new Set([
  ...NARROWING_KEYS,
  "aws:principalaccount",
  "aws:principalservicename",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
]);

/** Trusts and AssumeRole grants wider than they must be. */
export function findWideTrusts(analysis: Analysis, options: TrustScopeOptions): Array<Finding<TrustScopeMessageId>> {
  // A macro may rewrite any role or function.
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return [];
  return [...wideTrusts(analysis, options), ...wideAssumeGrants(analysis)];
}

/**
 * Roles that another account may assume, trusted wider than they must be: every account (`*`), or an
 * account root (any of that account's principals its IAM policies allow), with no condition that
 * narrows it, and a role named by its ARN, which IAM stores as the role's unique ID (the trust stops
 * working when that role is deleted and re-created). The stack's own account (`${AWS::AccountId}`) is
 * not another account.
 */
function wideTrusts(analysis: Analysis, options: TrustScopeOptions): Array<Finding<TrustScopeMessageId>> {
  const findings: Array<Finding<TrustScopeMessageId>> = [];
  for (const role of analysis.template.resources.values()) {
    if (role.type !== "AWS::IAM::Role" || role.propertiesUnknown) continue;
    const statements = entryOf(entryOf(role.properties, "AssumeRolePolicyDocument"), "Statement");
    listItems(statements).forEach((statement, index) => {
      if (literalText(entryOf(statement, "Effect")) !== "Allow" || assumesRole(statement) !== true) return;
      const narrowed = conditionKeys(entryOf(statement, "Condition"));
      const principals = entryOf(statement, "Principal");
      // `Principal: "*"` as a string is left alone: IAM has rejected it in trust policies (aws/aws-cdk#5746).
      for (const principal of listItems(entryOf(principals, "AWS"))) {
        // A parameter that holds account IDs is those accounts' roots.
        const parameter = accountIdParameter(analysis.template, principal);
        const text = parameter === undefined ? writtenText(principal) : `\${${parameter}}`;
        if (text === undefined) continue;
        const account = rootAccount(text) ?? (parameter === undefined ? undefined : text);
        const data = { role: role.logicalId, statement: String(index + 1), principal: text };
        if (text === "*") {
          if (narrowed === "unreadable" || [...narrowed].some((key) => WILDCARD_NARROWING_KEYS.has(key))) continue;
          findings.push({
            messageId: "anyPrincipal",
            data,
            at: principal.node,
            related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
          });
        } else if (account !== undefined && account !== "${AWS::AccountId}" && !options.trustedAccounts.includes(account)) {
          // A condition we cannot read may be the narrowing one.
          if (narrowed === "unreadable" || [...narrowed].some((key) => NARROWING_KEYS.has(key))) continue;
          const parameterName = /^\$\{([^}]+)\}$/u.exec(account)?.[1];
          findings.push({
            ...(parameterName === undefined || !analysis.template.parameters.has(parameterName)
              ? { messageId: "accountRoot" as const, data: { ...data, account } }
              : { messageId: "parameterAccountRoot" as const, data: { ...data, parameter: parameterName } }),
            at: principal.node,
            related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
          });
        } else if (isOtherAccountRole(text)) {
          findings.push({
            messageId: "rolePrincipal",
            data,
            at: principal.node,
            related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
          });
        }
      }
    });
  }
  return findings;
}

/** A role ARN of an account other than the stack's own. */
function isOtherAccountRole(text: string): boolean {
  const account = ROLE_ARN.exec(text)?.[1];
  return account !== undefined && account !== "${AWS::AccountId}";
}

/**
 * Execution roles that allow `sts:AssumeRole` on every role (`Resource: "*"`) while the environment of
 * each function that runs as them holds one role ARN, the same: the grant can name that role. Only a
 * role whose trust admits Lambda alone and which no output hands to other stacks is judged, and only
 * statements written in the file without a condition.
 */
function wideAssumeGrants(analysis: Analysis): Array<Finding<TrustScopeMessageId>> {
  // What is not expanded may add another function that runs as the role, with other roles to assume.
  if (analysis.template.unexpanded.some((part) => mayAdd(part, FUNCTION_TYPES))) return [];
  const usersByRole = new Map<string, Array<{ fn: LambdaFunction; candidate: RoleCandidate }>>();
  for (const fn of analysis.functions) {
    for (const candidate of fn.candidates) {
      const key = candidate.identity?.logicalId && candidate.identity.key;
      const users = key ? (usersByRole.get(key) ?? []) : [];
      // A function that runs as the role under several conditions is one user.
      if (key && !users.some((user) => user.fn === fn)) usersByRole.set(key, [...users, { fn, candidate }]);
    }
  }
  const findings: Array<Finding<TrustScopeMessageId>> = [];
  const reported = new Set<number>();
  for (const users of usersByRole.values()) {
    const [{ fn, candidate }] = users as [{ fn: LambdaFunction; candidate: RoleCandidate }];
    // Without an environment there is no role to name: the role's permissions are not even read.
    if (!users.every((user) => entryOf(entryOf(user.fn.resource.properties, "Environment"), "Variables"))) continue;
    const permissions = analysis.iam.roleOf(fn, candidate).permissions;
    const wide = permissions.statements.filter(grantsAssumeAnyRole);
    if (wide.length === 0 || !runsOnlyLambda(analysis, fn, candidate.identity!.logicalId!)) continue;
    const held = users.map((user) => ({ fn: user.fn, roles: environmentRoles(analysis, user.fn) }));
    if (held.some(({ roles }) => roles?.length !== 1)) continue;
    const targets = held.map(({ fn: holder, roles }) => ({ fn: holder, role: roles![0]! }));
    if (new Set(targets.map(({ role }) => role.key)).size !== 1) continue;
    for (const statement of wide) {
      if (reported.has(statement.resourceAt.range[0])) continue;
      reported.add(statement.resourceAt.range[0]);
      findings.push({
        messageId: "assumeAnyRole",
        data: {
          role: permissions.role,
          statement: describeStatement(statement),
          holders: listNames(targets.map(({ fn: holder, role }) => `${holder.logicalId} (${role.variable})`)),
          target: targets[0]!.role.display,
        },
        at: statement.resourceAt,
        related: targets.map(({ fn: holder, role }) => ({ at: role.entry.key, message: environmentLabel(holder, role) })),
      });
    }
  }
  return findings;
}

function environmentLabel(fn: LambdaFunction, role: EnvironmentRole): string {
  return `${role.variable} of ${fn.logicalId}: ${role.display}`;
}

/** An Allow of sts:AssumeRole on `*`, unconditional, written in the file. */
function grantsAssumeAnyRole(statement: Statement): boolean {
  return (
    isPlainAllow(statement) &&
    !statement.origin.bundled &&
    statement.actions.some((action) => "text" in action && action.text.toLowerCase() === "sts:assumerole") &&
    statement.resources.some((resource) => "text" in resource && resource.text === "*")
  );
}

const LAMBDA_SERVICE = new Set(["lambda.amazonaws.com", "lambda.${AWS::URLSuffix}"]);

/**
 * Whether only Lambda functions can run as the role: SAM's generated role (which trusts Lambda unless
 * the function gives its own trust), or a role whose trust admits `lambda.amazonaws.com` alone and that
 * no output of the template names.
 */
function runsOnlyLambda(analysis: Analysis, fn: LambdaFunction, logicalId: string): boolean {
  const role = analysis.template.resources.get(logicalId);
  if (!role) return fn.resource.type === "AWS::Serverless::Function" && !entryOf(fn.resource.properties, "AssumeRolePolicyDocument");
  if (role.type !== "AWS::IAM::Role" || role.propertiesUnknown) return false;
  const outputs = analysis.template.outputs && canonical(analysis.template.outputs);
  // An output that names the role, or one that is not read (an include), may hand it on.
  if (
    outputs !== undefined &&
    [`{Ref:${logicalId}}`, `{GetAtt:${logicalId}.`, "{Fn::Transform:", "{opaque@"].some((text) => outputs.includes(text))
  )
    return false;
  const statements = listItems(entryOf(entryOf(role.properties, "AssumeRolePolicyDocument"), "Statement"));
  return (
    statements.length > 0 &&
    statements.every((statement) => literalText(entryOf(statement, "Effect")) !== "Allow" || admitsLambdaOnly(statement))
  );
}

function admitsLambdaOnly(statement: Expr): boolean {
  const principal = entryOf(statement, "Principal");
  if (principal?.kind !== "object" || principal.entries.size !== 1) return false;
  const services = listItems(entryOf(principal, "Service"));
  return services.length > 0 && services.every((service) => LAMBDA_SERVICE.has(writtenText(service) ?? ""));
}
