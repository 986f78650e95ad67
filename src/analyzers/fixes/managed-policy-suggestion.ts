import managedPolicyData from "../../data/managed-policies.json" with { type: "json" };
import { entryOf } from "../../template/expr.js";
import type { Analysis } from "../analysis.js";
import type { RoleCandidate } from "../wiring/functions.js";
import type { Suggestion } from "../finding.js";
import type { Requirement } from "../wiring/requirement.js";
import { addManagedPolicyEdit } from "./add-managed-policy.js";

const POLICIES = managedPolicyData as Record<string, { arn: string | null }>;

/**
 * A suggestion to attach an AWS managed policy to the role, offered only when it is proven to fix
 * the gap: the role is declared in this template with no permissions boundary, and the policy alone
 * allows every missing action on its resource.
 */
export function managedPolicySuggestion(
  analysis: Analysis,
  candidate: RoleCandidate,
  policy: string | null | undefined,
  missing: Requirement[],
): Suggestion[] {
  const roleId = candidate.identity?.logicalId;
  const role = roleId ? analysis.template.resources.get(roleId) : undefined;
  const pathAndName = policy ? POLICIES[policy]?.arn?.split(":policy/")[1] : undefined;
  if (!policy || !pathAndName || !role || role.type !== "AWS::IAM::Role" || !candidate.node) return [];
  if (entryOf(role.properties, "PermissionsBoundary")) return [];
  const fixes = missing.every(
    (requirement) =>
      requirement.resource !== undefined &&
      requirement.anyOf.some((action) => analysis.iam.managedPolicyAllows(policy, action, requirement.resource!)),
  );
  const edit = fixes ? addManagedPolicyEdit(analysis.textStyle, role, pathAndName) : undefined;
  return edit ? [{ messageId: "addManagedPolicy", data: { policy, role: role.logicalId }, edits: [edit] }] : [];
}
