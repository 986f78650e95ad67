import eventSourcePermissions from "./event-source-permissions.js";
import noSharedExecutionRole from "./no-shared-execution-role.js";
import type { TemplateRule } from "./create-rule.js";

/** Every template rule, by name. */
export const templateRules: Record<string, TemplateRule> = {
  "event-source-permissions": eventSourcePermissions,
  "no-shared-execution-role": noSharedExecutionRole,
};
