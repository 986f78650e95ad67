import { canHoldTogether } from "../../template/conditions.js";
import type { Template } from "../../template/model.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import type { Finding } from "../finding.js";
import { listNames } from "../finding.js";

export interface SharedRoleOptions {
  /** Roles that may be shared, by logical id, parameter name, ARN or export name. */
  allowedRoles: string[];
}

export type SharedRoleMessageId = "sharedRole";

/**
 * Functions whose execution roles are provably the same role in some deployment: the same identity, under
 * condition assumptions that can hold together. Reported at each function's own `Role` value (SAM's
 * generated roles have none: they are only named as the other side).
 */
export function findSharedExecutionRoles(
  template: Template,
  functions: LambdaFunction[],
  options: SharedRoleOptions,
): Array<Finding<SharedRoleMessageId>> {
  const allowed = new Set(options.allowedRoles);
  const byRole = new Map<string, Array<{ fn: LambdaFunction; candidate: RoleCandidate }>>();
  for (const fn of functions) {
    for (const candidate of fn.candidates) {
      const identity = candidate.identity;
      if (!identity || identity.names.some((name) => allowed.has(name))) continue;
      const users = byRole.get(identity.key) ?? [];
      users.push({ fn, candidate });
      byRole.set(identity.key, users);
    }
  }

  const findings: Array<Finding<SharedRoleMessageId>> = [];
  for (const users of byRole.values()) {
    for (const { fn, candidate } of users) {
      if (!candidate.node) continue;
      const others = users.filter(
        (other) => other.fn !== fn && canHoldTogether(template, [...candidate.assumptions, ...other.candidate.assumptions]) === true,
      );
      const otherNames = [...new Set(others.map((other) => other.fn.logicalId))];
      if (otherNames.length === 0) continue;
      findings.push({
        messageId: "sharedRole",
        data: { function: fn.logicalId, role: candidate.identity!.label, others: listNames(otherNames) },
        at: candidate.node,
        related: others.map((other) => ({
          at: other.candidate.node ?? other.fn.resource.node.key,
          message: `${other.fn.logicalId} also uses ${candidate.identity!.label}`,
        })),
      });
    }
  }
  return findings;
}
