import type { Located } from "../finding.js";
import type { Need } from "./need.js";
import { howAllowed } from "./grant-usage.js";
import { managedPolicyByName } from "./managed-policies.js";
import type { PolicyOrigin, Statement } from "./policy.js";

/**
 * AWS's managed policies for Lambda's own features and event sources: AWS designs their `*` scope in,
 * so one is judged only by whether any of its own actions (those beyond the logs actions it shares with
 * AWSLambdaBasicExecutionRole) is needed.
 */
const LAMBDA_SERVICE_POLICIES = new Set([
  "AWSLambdaVPCAccessExecutionRole",
  "AWSLambdaSQSQueueExecutionRole",
  "AWSLambdaKinesisExecutionRole",
  "AWSLambdaDynamoDBExecutionRole",
  "AWSLambdaMSKExecutionRole",
  "AWSXRayDaemonWriteAccess",
  "AWSXrayWriteOnlyAccess",
]);

/** A managed policy the template names that grants more than its functions need. */
export type ManagedFit =
  { kind: "unused-managed"; policy: string; at: Located } | { kind: "wider-managed"; policy: string; needed: string[]; at: Located };

/**
 * The AWS managed policies a template names for a role whose needs are known whole (not those SAM adds
 * itself): one of Lambda's own that none of its own actions is needed of; any other that serves no need,
 * or that serves some (then it is wider than they are: what they are is listed).
 */
export function managedPolicyFits(statements: Statement[], needs: Need[]): ManagedFit[] {
  const policies = new Map<PolicyOrigin, Statement[]>();
  for (const statement of statements)
    if (statement.origin.managedPolicy?.written) policies.set(statement.origin, [...(policies.get(statement.origin) ?? []), statement]);
  const required = needs.filter((need) => need.standing !== "documented" && need.standing !== "conditional");
  const fits: ManagedFit[] = [];
  for (const [origin, group] of policies) {
    const policy = origin.managedPolicy!.name;
    // A statement under a condition counts as serving what it matches: "unused" is said only of what serves nothing.
    if (policy === "AWSLambdaBasicExecutionRole") continue;
    if (LAMBDA_SERVICE_POLICIES.has(policy)) {
      const own = ownActions(policy);
      // Its logs actions count only where the role's other grants allow them too: without those, removing it loses the logs.
      const others = statements.filter((statement) => statement.origin !== origin && statement.uncertainty === undefined);
      const sharedElsewhere = required
        .filter((need) => howAllowed(group, need) !== "no")
        .every((need) => howAllowed(others, need) === "yes");
      if (sharedElsewhere && !required.some((need) => need.anyOf.some((action) => own.has(action.toLowerCase()))))
        fits.push({ kind: "unused-managed", policy, at: origin.at });
      continue;
    }
    const served = required.filter((need) => howAllowed(group, need) !== "no");
    if (served.length === 0) fits.push({ kind: "unused-managed", policy, at: origin.at });
    else
      fits.push({
        kind: "wider-managed",
        policy,
        needed: [...new Set(served.map((need) => `${need.anyOf.join(" or ")} on ${need.resourceLabel}`))],
        at: origin.at,
      });
  }
  return fits;
}

/** The actions a Lambda service policy grants beyond AWSLambdaBasicExecutionRole's, in lower case. */
function ownActions(policy: string): Set<string> {
  const actions = (name: string) => {
    const lookup = managedPolicyByName(name);
    return lookup.kind !== "known"
      ? []
      : (lookup.statements as Array<{ Action?: string | string[] }>).flatMap((statement) =>
          (Array.isArray(statement.Action) ? statement.Action : [statement.Action ?? ""]).map((action) => action.toLowerCase()),
        );
  };
  const basic = new Set(actions("AWSLambdaBasicExecutionRole"));
  return new Set(actions(policy).filter((action) => !basic.has(action)));
}
