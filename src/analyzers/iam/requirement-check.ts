import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import type { Requirement } from "../wiring/requirement.js";
import { describeStatement } from "./evaluate.js";
import type { IamEngine } from "./engine.js";
import { keyPolicyVerdict } from "./key-policy.js";

/** The requirements a role fails, grouped by resource, and those it cannot be checked against. */
export interface RequirementCheck {
  missing: Array<{
    actions: string[];
    resourceLabel: string;
    deniedBy: string | undefined;
    refusedByKey?: string;
    requirements: Requirement[];
  }>;
  unknown: Array<{ actions: string[]; resourceLabel: string; reason: string }>;
}

/** Asks the engine about each requirement; only proven gaps (not granted, or denied) count as missing. */
export function checkRequirements(
  iam: IamEngine,
  fn: LambdaFunction,
  candidate: RoleCandidate,
  requirements: Requirement[],
): RequirementCheck {
  const check: RequirementCheck = { missing: [], unknown: [] };
  for (const requirement of requirements) {
    if (!requirement.resource) {
      check.unknown.push({ actions: requirement.anyOf, resourceLabel: requirement.resourceLabel, reason: "the resource cannot be read" });
      continue;
    }
    const key = requirement.keyId ? keyPolicyVerdict(iam.values, requirement.keyId, candidate.identity, requirement.anyOf[0]!) : undefined;
    if (key?.outcome === "allows") continue;
    if (key?.outcome === "unknown") {
      check.unknown.push({
        actions: requirement.anyOf,
        resourceLabel: requirement.resourceLabel,
        reason: `the key policy of ${requirement.keyId} cannot be read whole`,
      });
      continue;
    }
    if (key?.outcome === "refuses" || key?.outcome === "denies") {
      const deniedBy = key.outcome === "denies" ? key.statement : undefined;
      check.missing.push({
        actions: requirement.anyOf,
        resourceLabel: requirement.resourceLabel,
        deniedBy,
        refusedByKey: key.outcome === "refuses" ? requirement.keyId : undefined,
        requirements: [requirement],
      });
      continue;
    }
    const resources = [requirement.resource, ...(requirement.alternatives ?? [])];
    const decisions = requirement.anyOf.flatMap((action) => resources.map((resource) => iam.ask(fn, candidate, action, resource)));
    if (decisions.some((decision) => decision.outcome === "allowed")) continue;
    const unknown = decisions.find((decision) => decision.outcome === "unknown");
    if (unknown && unknown.outcome === "unknown") {
      check.unknown.push({ actions: requirement.anyOf, resourceLabel: requirement.resourceLabel, reason: unknown.reason });
      continue;
    }
    const denied = decisions.find((decision) => decision.outcome === "denied");
    const deniedBy = denied?.outcome === "denied" ? describeStatement(denied.statement) : undefined;
    const action = requirement.anyOf.join(" or ");
    const group = check.missing.find(
      (entry) => entry.resourceLabel === requirement.resourceLabel && entry.deniedBy === deniedBy && !entry.refusedByKey,
    );
    if (group) {
      group.actions.push(action);
      group.requirements.push(requirement);
    } else {
      check.missing.push({ actions: [action], resourceLabel: requirement.resourceLabel, deniedBy, requirements: [requirement] });
    }
  }
  return check;
}
