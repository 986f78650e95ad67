import type { ValueNode } from "../../language/ast.js";
import type { Expr } from "../../template/expr.js";
import { trustsService } from "../iam/trust.js";
import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import { listNames } from "../finding.js";

export type TrustMessageId = "functionNotTrusted" | "roleNotTrusted" | "functionDenied" | "roleDenied" | "unverifiable";

const LAMBDA = "lambda.amazonaws.com";

/**
 * Every in-template role used as an execution role (and every SAM function's own
 * `AssumeRolePolicyDocument`) must let lambda.amazonaws.com call sts:AssumeRole. Reported at the trust
 * policy, naming the functions, and at each function's `Role`.
 */
export function findUntrustedExecutionRoles(
  analysis: Analysis,
  options: { reportUnverifiable: boolean } = { reportUnverifiable: false },
): Array<Finding<TrustMessageId>> {
  const findings: Array<Finding<TrustMessageId>> = [];
  const usersByRole = new Map<string, { document: Expr; at: ValueNode; users: Array<{ name: string; at: ValueNode }> }>();
  // A macro we do not run may rewrite any trust policy.
  if (analysis.template.unexpanded.some((part) => part.rewrites)) return findings;
  for (const fn of analysis.functions) {
    for (const candidate of fn.candidates) {
      if (!candidate.node && fn.resource.type === "AWS::Serverless::Function") {
        // SAM's generated role trusts Lambda, unless the function gives its own trust policy.
        const own = fn.resource.properties?.entries.get("AssumeRolePolicyDocument");
        if (own)
          usersByRole.set(`sam:${fn.logicalId}`, {
            document: own.value,
            at: own.key,
            users: [{ name: fn.logicalId, at: fn.resource.node.key }],
          });
        continue;
      }
      const roleId = candidate.identity?.logicalId;
      const role = roleId ? analysis.template.resources.get(roleId) : undefined;
      const document = role?.properties?.entries.get("AssumeRolePolicyDocument");
      if (!role || role.type !== "AWS::IAM::Role" || role.propertiesUnknown || !document || !candidate.node) continue;
      const entry = usersByRole.get(role.logicalId) ?? { document: document.value, at: document.key, users: [] };
      if (!entry.users.some((user) => user.name === fn.logicalId)) entry.users.push({ name: fn.logicalId, at: candidate.node });
      usersByRole.set(role.logicalId, entry);
    }
  }
  for (const [key, { document, at, users }] of usersByRole) {
    const verdict = trustsService(document, LAMBDA);
    if (verdict.outcome === "unknown" && options.reportUnverifiable) {
      const role = key.startsWith("sam:") ? `the role SAM generates for ${key.slice(4)}` : key;
      findings.push({ messageId: "unverifiable", data: { role, functions: listNames(users.map((user) => user.name)) }, at, related: [] });
    }
    if (verdict.outcome === "trusted" || verdict.outcome === "unknown") continue;
    const role = key.startsWith("sam:") ? `the role SAM generates for ${key.slice(4)}` : key;
    const denied: Record<string, string> = verdict.outcome === "denied" ? { statement: String(verdict.statement) } : {};
    const functions = users.map((user) => user.name);
    findings.push({
      messageId: verdict.outcome === "denied" ? "roleDenied" : "roleNotTrusted",
      data: { role, functions: listNames(functions), ...denied },
      subject: { kind: "trust", functions },
      at,
      related: [],
    });
    if (key.startsWith("sam:")) continue;
    for (const user of users) {
      findings.push({
        messageId: verdict.outcome === "denied" ? "functionDenied" : "functionNotTrusted",
        data: { function: user.name, role, ...denied },
        subject: { kind: "trust", functions: [user.name] },
        at: user.at,
        related: [],
      });
    }
  }
  return findings;
}
