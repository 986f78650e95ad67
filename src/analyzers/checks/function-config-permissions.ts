import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { canHoldTogether } from "../../template/conditions.js";
import type { RequirementMessageId } from "./support/requirements.js";
import { checkRequirements } from "../iam/requirement-check.js";
import { requirementFindings, roleLabel } from "./support/requirements.js";
export type FunctionConfigMessageId = RequirementMessageId;

export interface FunctionConfigOptions {
  reportUnverifiable: boolean;
  /** Features not to check: "Logging", "VpcConfig", "Tracing", "DeadLetterQueue", "Destinations". */
  ignore: string[];
}

/** The role of every function must allow what its logging, VPC, tracing, dead-letter queue and destinations need. */
export function findFunctionConfigGaps(analysis: Analysis, options: FunctionConfigOptions): Array<Finding<FunctionConfigMessageId>> {
  const { iam } = analysis;
  const ignored = new Set(options.ignore);
  const findings: Array<Finding<FunctionConfigMessageId>> = [];
  for (const fn of analysis.functions) {
    const features = analysis.wiring.features(fn).filter((feature) => !ignored.has(feature.name));
    for (const roleCandidate of fn.candidates) {
      const role = roleLabel(iam, fn, roleCandidate);
      for (const feature of features) {
        // A feature of one Fn::If branch is checked against the role as it is under that branch.
        const assumptions = [...roleCandidate.assumptions, ...(feature.assumptions ?? [])];
        if (canHoldTogether(analysis.template, assumptions) === false) continue;
        const candidate = feature.assumptions?.length ? { ...roleCandidate, assumptions } : roleCandidate;
        const check = checkRequirements(iam, fn, candidate, feature.requirements);
        const samNote =
          candidate.node && fn.resource.type === "AWS::Serverless::Function" && feature.samAdds
            ? `; SAM adds ${feature.samAdds} only to the role it generates when the function has no Role`
            : "";
        const data = { function: fn.logicalId, role, feature: feature.label, consequence: feature.consequence, samNote };
        findings.push(
          ...requirementFindings(analysis, candidate, check, {
            at: feature.at,
            data,
            managedPolicy: feature.managedPolicy,
            reportUnverifiable: options.reportUnverifiable,
            subject: { kind: "feature", function: fn.logicalId, feature: feature.label },
          }),
        );
      }
    }
  }
  return findings;
}
