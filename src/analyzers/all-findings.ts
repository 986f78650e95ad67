import type { Analysis } from "./analysis.js";
import { findWideTrusts } from "./checks/cross-account-trust-scope.js";
import { findEventSourceGaps } from "./checks/event-source-permissions.js";
import { findUntrustedExecutionRoles } from "./checks/execution-role-trust.js";
import type { Finding } from "./finding.js";
import { NO_WORKSPACE } from "./workspace.js";
import { findFunctionConfigGaps } from "./checks/function-config-permissions.js";
import { findIgnoredSamPolicies } from "./checks/no-ignored-sam-policies.js";
import { findMissingPolicyDependencies } from "./checks/require-policy-dependency.js";
import { findSharedExecutionRoles } from "./checks/no-shared-execution-role.js";
import { findWidePermissions } from "./checks/invoke-permission-scope.js";
import { findMissingInvokePermissions } from "./checks/require-invoke-permission.js";

/**
 * Every analyzer's findings with default options, by rule name: for tools that compare whole
 * templates (the SAM differential test, the corpus report) without going through ESLint; no other
 * template is read, so nothing across accounts is claimed.
 */
export function allFindings(analysis: Analysis): Array<{ rule: string; finding: Finding }> {
  const byRule: Record<string, Finding[]> = {
    "event-source-permissions": findEventSourceGaps(analysis, { reportUnverifiable: false }, NO_WORKSPACE),
    "function-config-permissions": findFunctionConfigGaps(analysis, { reportUnverifiable: false, ignore: [] }),
    "execution-role-trust": findUntrustedExecutionRoles(analysis),
    "no-ignored-sam-policies": findIgnoredSamPolicies(analysis),
    "require-policy-dependency": findMissingPolicyDependencies(analysis),
    "no-shared-execution-role": findSharedExecutionRoles(analysis.template, analysis.functions, { allowedRoles: [] }),
    "require-invoke-permission": findMissingInvokePermissions(analysis, NO_WORKSPACE),
    "invoke-permission-scope": findWidePermissions(analysis, { allowPublicFunctionUrls: false }),
    "cross-account-trust-scope": findWideTrusts(analysis, { trustedAccounts: [] }),
  };
  return Object.entries(byRule).flatMap(([rule, findings]) => findings.map((finding) => ({ rule, finding })));
}
