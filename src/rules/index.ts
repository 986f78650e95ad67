import cdkImportedFunctionPermissions from "./cdk-imported-function-permissions.js";
import cdkImportedRoleGrants from "./cdk-imported-role-grants.js";
import cdkNoSharedRole from "./cdk-no-shared-role.js";
import crossAccountAccess from "./cross-account-access.js";
import crossAccountTrustScope from "./cross-account-trust-scope.js";
import eventSourcePermissions from "./event-source-permissions.js";
import executionRoleTrust from "./execution-role-trust.js";
import functionConfigPermissions from "./function-config-permissions.js";
import invokePermissionScope from "./invoke-permission-scope.js";
import leastPrivilege from "./least-privilege.js";
import noIgnoredSamPolicies from "./no-ignored-sam-policies.js";
import noSharedExecutionRole from "./no-shared-execution-role.js";
import requireInvokePermission from "./require-invoke-permission.js";
import requirePolicyDependency from "./require-policy-dependency.js";
import type { TemplateRule } from "./create-rule.js";
import sdkCallPermissions from "./sdk-call-permissions.js";

/** Every template rule, by name. */
export const templateRules = {
  "cross-account-trust-scope": crossAccountTrustScope,
  "event-source-permissions": eventSourcePermissions,
  "execution-role-trust": executionRoleTrust,
  "function-config-permissions": functionConfigPermissions,
  "invoke-permission-scope": invokePermissionScope,
  "least-privilege": leastPrivilege,
  "no-ignored-sam-policies": noIgnoredSamPolicies,
  "no-shared-execution-role": noSharedExecutionRole,
  "require-invoke-permission": requireInvokePermission,
  "require-policy-dependency": requirePolicyDependency,
} satisfies Record<string, TemplateRule>;

/** Rules for code (TypeScript and JavaScript): Lambda handlers and AWS CDK apps, by name. */
export const handlerRules = {
  "cdk-imported-function-permissions": cdkImportedFunctionPermissions,
  "cdk-imported-role-grants": cdkImportedRoleGrants,
  "cdk-no-shared-role": cdkNoSharedRole,
  "cross-account-access": crossAccountAccess,
  "sdk-call-permissions": sdkCallPermissions,
};
