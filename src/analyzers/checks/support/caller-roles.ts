import type { Expr } from "../../../template/expr.js";
import { entryOf } from "../../../template/expr.js";
import type { Part } from "../../../template/interpolation.js";
import type { Analysis } from "../../analysis.js";
import { roleIdentity } from "../../wiring/functions.js";
import { describeTarget } from "../../wiring/function-references.js";
import type { Finding } from "../../finding.js";
import { explainDecision } from "../../iam/evaluate.js";
import { trustsService } from "../../iam/trust.js";
import type { Invoker } from "../../wiring/invokers.js";

export type CallerRoleMessageId =
  "callerRoleCannotInvoke" | "callerRoleNotTrusted" | "callerRoleCannotInvokeNorPermission" | "callerRoleNotTrustedNorPermission";

/**
 * An invoker that calls with a role needs no resource-based permission: the role must trust the
 * service and allow lambda:InvokeFunction on the (qualified) function. Reported at the role value when
 * the role is in this template and provably fails one of them; a role of another stack, or API
 * Gateway's caller pass-through (`arn:aws:iam::*:user/*`), cannot be checked here.
 */
export function callerRoleFindings(
  analysis: Analysis,
  invoker: Invoker & { callerRole: Expr },
  consequence: string,
): Array<Finding<"callerRoleCannotInvoke" | "callerRoleNotTrusted">> {
  const identity = roleIdentity(analysis.template, invoker.callerRole);
  const role = identity?.logicalId ? analysis.template.resources.get(identity.logicalId) : undefined;
  if (!role || role.type !== "AWS::IAM::Role" || role.propertiesUnknown) return [];
  const principal = invoker.facts.principals[0]!;
  const data = {
    invoker: invoker.name,
    principal,
    function: describeTarget(invoker.fn.logicalId, invoker.qualifier),
    role: role.logicalId,
    consequence,
  };
  const findings: Array<Finding<"callerRoleCannotInvoke" | "callerRoleNotTrusted">> = [];
  const trust = entryOf(role.properties, "AssumeRolePolicyDocument");
  // A macro we do not run may rewrite the trust policy.
  const trustReadable = trust && !analysis.template.unexpanded.some((part) => part.rewrites);
  const verdict = trustReadable ? trustsService(trust, principal).outcome : "unknown";
  if (verdict === "not-trusted" || verdict === "denied") {
    findings.push({
      messageId: "callerRoleNotTrusted",
      data,
      at: invoker.callerRole.node,
      related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
    });
  }
  const functionArn = qualifiedFunctionArn(analysis, invoker);
  if (functionArn) {
    const decision = analysis.iam.askRole(role.logicalId, "lambda:InvokeFunction", functionArn);
    if (decision.outcome === "not-granted" || decision.outcome === "denied") {
      const explanation = explainDecision(decision, `role ${role.logicalId}`, "lambda:InvokeFunction", functionArn);
      findings.push({
        messageId: "callerRoleCannotInvoke",
        data: { ...data, explanation },
        at: invoker.callerRole.node,
        related: [{ at: role.node.key, message: `role ${role.logicalId}` }],
      });
    }
  }
  return findings;
}

/** The ARN the service invokes: the function's, with `:<alias>` when the invoker names an alias by its literal name. */
function qualifiedFunctionArn(analysis: Analysis, invoker: Invoker): Part[] | undefined {
  const arn = analysis.iam.values.parts({ kind: "getatt", resource: invoker.fn.logicalId, attribute: "Arn", node: invoker.at });
  if (!arn || invoker.qualifier === undefined) return arn;
  // `alias:<LogicalId>`, `version:<LogicalId>`, SAM's bare "alias": a qualifier whose name we do not know.
  if (invoker.qualifier.includes(":") || invoker.qualifier === "alias") return undefined;
  return [...arn, { text: `:${invoker.qualifier}` }];
}
