import managedPolicyData from "../../data/managed-policies.json" with { type: "json" };
import type { Part } from "../../template/interpolation.js";

interface ManagedPolicy {
  arn: string | null;
  statements: unknown[];
}

const POLICIES = managedPolicyData as Record<string, ManagedPolicy>;

/** Names of AWS managed policies by their ARN's path and name, e.g. `service-role/AWSLambdaBasicExecutionRole`. */
const BY_PATH_AND_NAME = new Map<string, string>();
for (const [name, policy] of Object.entries(POLICIES)) {
  const pathAndName = policy.arn?.split(":policy/")[1];
  if (pathAndName) BY_PATH_AND_NAME.set(pathAndName, name);
}

export type ManagedPolicyLookup =
  | { kind: "known"; name: string; statements: unknown[] }
  /** An AWS managed policy ARN whose document is not in the bundled data. */
  | { kind: "unlisted"; name: string }
  /** Not an AWS managed policy ARN. */
  | { kind: "other" };

const AWS_MANAGED_ARN = /^arn:(?:aws|aws-cn|aws-us-gov|\{Ref:AWS::Partition\}):iam::aws:policy\/(.+)$/u;

/** Looks up an AWS managed policy by ARN parts (`arn:${AWS::Partition}:iam::aws:policy/...` included). */
export function managedPolicyByArn(parts: Part[]): ManagedPolicyLookup {
  const text = parts.map((part) => ("text" in part ? part.text : part.symbol)).join("");
  const pathAndName = AWS_MANAGED_ARN.exec(text)?.[1];
  if (!pathAndName || pathAndName.includes("{")) return { kind: "other" };
  const name = BY_PATH_AND_NAME.get(pathAndName);
  if (name) return { kind: "known", name, statements: POLICIES[name]!.statements };
  return { kind: "unlisted", name: pathAndName };
}

/** Looks up an AWS managed policy by the short name SAM accepts in `Policies` (`AWSLambdaBasicExecutionRole`). */
export function managedPolicyByName(name: string): ManagedPolicyLookup {
  const policy = POLICIES[name];
  return policy ? { kind: "known", name, statements: policy.statements } : { kind: "unlisted", name };
}
