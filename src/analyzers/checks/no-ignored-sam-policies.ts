import type { Expr } from "../../template/expr.js";
import { keyText, literalText } from "../../template/expr.js";
import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { listNames } from "../finding.js";

export type IgnoredPoliciesMessageId = "ignoredPolicies";

/**
 * A SAM function with both `Role` and `Policies`: SAM builds a role from `Policies` only when it
 * generates the role, so with `Role` every entry of `Policies` is dropped without a word
 * (samtranslator sam_resources.py: `_construct_role` runs only without Role).
 */
export function findIgnoredSamPolicies(analysis: Analysis): Array<Finding<IgnoredPoliciesMessageId>> {
  const findings: Array<Finding<IgnoredPoliciesMessageId>> = [];
  for (const fn of analysis.functions) {
    if (fn.resource.type !== "AWS::Serverless::Function" || !fn.role) continue;
    const policies = fn.resource.properties?.entries.get("Policies");
    if (!policies) continue;
    const explicit = fn.candidates.find((candidate) => candidate.node);
    if (!explicit) continue;
    const items = policies.value.kind === "list" ? policies.value.items : [policies.value];
    findings.push({
      messageId: "ignoredPolicies",
      data: {
        function: fn.logicalId,
        role: explicit.identity?.label ?? "its Role",
        policies: listNames(items.map(describePolicy)),
      },
      at: policies.key,
      related: [{ at: fn.role.key, message: "the Role that makes SAM ignore Policies" }],
    });
  }
  return findings;
}

function describePolicy(item: Expr): string {
  const name = literalText(item);
  if (name !== undefined) return name;
  if (item.kind === "object") {
    if (item.entries.has("Statement")) return "an inline statement";
    const first = [...item.entries.values()][0];
    return first ? (keyText(first.key) ?? "a policy") : "a policy";
  }
  return "a policy";
}
