import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import type { RequirementMessageId } from "./support/requirements.js";
import { checkRequirements, requirementFindings, roleLabel } from "./support/requirements.js";
export type EventSourceMessageId = RequirementMessageId;

export interface EventSourceOptions {
  reportUnverifiable: boolean;
}

/**
 * For every event source mapping and SAM pull event: the actions its source needs (the data's
 * "required" entries), kms:Decrypt for a source encrypted with a customer managed key, and the
 * OnFailure destination's send action, each checked against every role the function can have.
 */
export function findEventSourceGaps(analysis: Analysis, options: EventSourceOptions): Array<Finding<EventSourceMessageId>> {
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
        }),
      );
    }
  }
  return findings;
}
