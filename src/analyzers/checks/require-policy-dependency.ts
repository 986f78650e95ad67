import type { ValueNode } from "../../language/ast.js";
import type { Analysis } from "../analysis.js";
import { DependencyGraph } from "../wiring/dependencies.js";
import { mappingReadRequirements } from "../wiring/mapping-requirements.js";
import type { LambdaFunction } from "../wiring/functions.js";
import type { Finding } from "../finding.js";
import type { Requirement } from "../wiring/requirement.js";
import { listNames } from "../finding.js";

export type PolicyDependencyMessageId = "missingDependency";

/** Something AWS validates against the role when CloudFormation creates it. */
interface ValidatedResource {
  /** The resource that must wait (a SAM event's mapping inherits its function's dependencies). */
  logicalId: string;
  at: ValueNode;
  what: string;
  fn: LambdaFunction;
  requirements: Requirement[];
}

/**
 * A resource that AWS validates against the execution role at creation, whose permission comes only
 * from a separate policy resource, must depend on that policy (DependsOn, or a Ref/GetAtt path):
 * otherwise CloudFormation may create it before the policy is attached.
 */
export function findMissingPolicyDependencies(analysis: Analysis): Array<Finding<PolicyDependencyMessageId>> {
  const graph = new DependencyGraph(analysis.template);
  const findings: Array<Finding<PolicyDependencyMessageId>> = [];
  for (const target of validatedResources(analysis)) {
    for (const candidate of target.fn.candidates) {
      const missing = new Map<string, string[]>();
      for (const requirement of target.requirements) {
        const resource = requirement.resource;
        if (!resource) continue;
        for (const action of requirement.anyOf) {
          const policies = analysis.iam.separatePoliciesNeeded(target.fn, candidate, action, resource);
          if (!policies || policies.length === 0) continue;
          if (policies.some((policy) => graph.dependsOn(target.logicalId, policy))) continue;
          const key = policies.join(", ");
          missing.set(key, [...(missing.get(key) ?? []), action]);
          break;
        }
      }
      for (const [policies, actions] of missing) {
        const names = policies.split(", ");
        findings.push({
          messageId: "missingDependency",
          data: {
            resource: target.logicalId,
            what: target.what,
            actions: listNames(actions),
            policies: listNames(names),
            dependsOn: names[0]!,
          },
          at: target.at,
          related: [],
        });
      }
    }
  }
  return findings;
}

function validatedResources(analysis: Analysis): ValidatedResource[] {
  const targets: ValidatedResource[] = [];
  for (const mapping of analysis.wiring.eventSourceMappings) {
    if (!mapping.facts.failsDeploy) continue;
    targets.push({
      logicalId: mapping.viaSam ? mapping.fn.logicalId : mapping.name,
      at: mapping.viaSam ? mapping.fn.resource.node.key : mapping.at,
      what: mapping.viaSam ? `the event source mapping of its event ${mapping.name.split(".").pop()}` : "the event source mapping",
      fn: mapping.fn,
      // Lambda checks the read actions when it creates the mapping; not kms:Decrypt or the OnFailure destination.
      requirements: mappingReadRequirements(analysis.wiring, mapping),
    });
  }
  for (const fn of analysis.functions) {
    const features = analysis.wiring.features(fn).filter((feature) => feature.validatedAtCreate);
    if (features.length === 0) continue;
    targets.push({
      logicalId: fn.logicalId,
      at: fn.resource.node.key,
      what: `the function (its ${features.map((feature) => feature.label).join(" and ")})`,
      fn,
      // A requirement with a consequence of its own is not what fails creation.
      requirements: features.flatMap((feature) => feature.requirements.filter((requirement) => !requirement.consequence)),
    });
  }
  return targets;
}
