import eventSourcePermissions from "./event-source-permissions.js";
import executionRoleTrust from "./execution-role-trust.js";
import functionConfigPermissions from "./function-config-permissions.js";
import noSharedExecutionRole from "./no-shared-execution-role.js";
import type { TemplateRule } from "./create-rule.js";

/** Every template rule, by name. */
export const templateRules: Record<string, TemplateRule> = {
  "event-source-permissions": eventSourcePermissions,
  "execution-role-trust": executionRoleTrust,
  "function-config-permissions": functionConfigPermissions,
  "no-shared-execution-role": noSharedExecutionRole,
};
