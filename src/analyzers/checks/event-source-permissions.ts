import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { listNames } from "../finding.js";
import { declaredRoleName } from "./support/role-arns.js";
import type { EventSourceMapping } from "../wiring/event-sources.js";
import type { RoleCandidate } from "../wiring/functions.js";
import type { Workspace } from "../workspace.js";
import type { RequirementMessageId } from "./support/requirements.js";
import { checkRequirements } from "../iam/requirement-check.js";
import { requirementFindings, roleLabel } from "./support/requirements.js";
import { crossAccountSource, keyPolicyRefusal, policiesRefuse } from "./support/cross-account-sources.js";
export type EventSourceMessageId = RequirementMessageId | "refusedBySourcePolicy" | "noSourcePolicy" | "refusedBySourceKey";

export interface EventSourceOptions {
  reportUnverifiable: boolean;
}

/**
 * For every event source mapping and SAM pull event: the actions its source needs (the data's
 * "required" entries), kms:Decrypt for a source encrypted with a customer managed key, and the
 * OnFailure destination's send action, each checked against every role the function can have; for a
 * queue or stream of another account, also against the policy its own template gives it.
 */
export function findEventSourceGaps(
  analysis: Analysis,
  options: EventSourceOptions,
  workspace: Workspace,
): Array<Finding<EventSourceMessageId>> {
  const { iam } = analysis;
  const findings: Array<Finding<EventSourceMessageId>> = [];
  for (const mapping of analysis.wiring.eventSourceMappings) {
    const requirements = analysis.wiring.mappingRequirements(mapping);
    const source = mapping.sourceResource ? analysis.template.resources.get(mapping.sourceResource) : undefined;
    for (const candidate of mapping.fn.candidates) {
      const check = checkRequirements(iam, mapping.fn, candidate, requirements);
      const role = roleLabel(iam, mapping.fn, candidate);
      const samNote =
        mapping.viaSam && candidate.node && mapping.facts.managedPolicy
          ? `; SAM adds ${mapping.facts.managedPolicy} only to the role it generates when the function has no Role`
          : "";
      const consequence = mapping.facts.failsDeploy ? "CloudFormation fails to create the mapping" : "the mapping cannot read its source";
      const data = { mapping: mapping.name, role, function: mapping.fn.logicalId, source: mapping.facts.label, consequence, samNote };
      findings.push(
        ...requirementFindings(analysis, candidate, check, {
          at: mapping.at,
          data,
          related: source ? [{ at: source.node.key, message: `the source ${source.logicalId}` }] : [],
          managedPolicy: mapping.facts.managedPolicy,
          reportUnverifiable: options.reportUnverifiable,
          subject: { kind: "mapping", mapping: mapping.name },
        }),
      );
      for (const refusal of sourcePolicyRefusals(analysis, mapping, candidate, workspace)) {
        findings.push({ ...refusal, data: { ...data, ...refusal.data }, subject: { kind: "mapping", mapping: mapping.name } });
      }
    }
  }
  return findings;
}

/**
 * Across accounts a mapping reads its source only if the source's own policy allows the function's
 * role as well as the role's policy does (the role's side is the requirements above), and, for a
 * source encrypted with a customer managed key of that account, only if the key's policy allows the
 * role to decrypt. Reported when the other account's template provably gives the queue or stream no
 * policy that allows the role, or the key a policy that does not.
 */
function sourcePolicyRefusals(
  analysis: Analysis,
  mapping: EventSourceMapping,
  candidate: RoleCandidate,
  workspace: Workspace,
): Array<Finding<"refusedBySourcePolicy" | "noSourcePolicy" | "refusedBySourceKey">> {
  const source = crossAccountSource(mapping, analysis, workspace);
  if (!source) return [];
  const caller = { account: workspace.account!, ...declaredRoleName(analysis, candidate), externalId: "none" as const };
  const { template, resource } = source.declared;
  const where = {
    sourceKind: source.label,
    sourceName: resource.logicalId,
    sourceTemplate: template.file,
    sourceLine: String(resource.node.loc.start.line),
    sourceAccount: source.account,
    account: workspace.account!,
  };
  const findings: Array<Finding<"refusedBySourcePolicy" | "noSourcePolicy" | "refusedBySourceKey">> = [];
  const refused: string[] = [];
  for (const requirement of mapping.facts.requirements.filter((entry) => entry.resource === "source")) {
    if (requirement.anyOf.every((action) => policiesRefuse(source, action, caller))) refused.push(requirement.anyOf.join(" or "));
  }
  if (refused.length > 0) {
    const policies = source.policies.map(
      ({ template: other, resource: policy }) => `${policy.logicalId} (${other.file}:${policy.node.loc.start.line})`,
    );
    findings.push({
      messageId: policies.length === 0 ? "noSourcePolicy" : "refusedBySourcePolicy",
      data: { ...where, actions: refused.join(", "), policyKind: source.policyLabel, policies: listNames(policies) },
      at: mapping.at,
      related: [],
    });
  }
  const key = keyPolicyRefusal(source, mapping.facts.kmsActions, caller);
  if (key) {
    findings.push({
      messageId: "refusedBySourceKey",
      data: { ...where, key: key.key.logicalId, keyLine: String(key.key.node.loc.start.line), actions: listNames(key.actions) },
      at: mapping.at,
      related: [],
    });
  }
  return findings;
}
