import destinationData from "../../data/destinations.json" with { type: "json" };

interface DestinationFacts {
  byArnService: Record<string, string>;
  deadLetter: { actions: Record<string, string[]>; sources: string[] };
  async: { actions: Record<string, string[]>; sources: string[] };
}

const FACTS = destinationData as DestinationFacts;

/** A dead-letter target (`deadLetter`) or an asynchronous invocation destination (`async`). */
export type DestinationUse = "deadLetter" | "async";

/** The destination type an ARN's service names (`sqs` is SQS, `events` EventBridge), when it is one. */
export function destinationType(arnService: string | undefined): string | undefined {
  return arnService ? FACTS.byArnService[arnService] : undefined;
}

/**
 * What the execution role must allow to send to a destination of this type (`SQS`, `SNS`, `Lambda`,
 * `EventBridge`), as src/data/destinations.json says; undefined for a type this linter does not check
 * (an S3 bucket, whose actions are on its objects).
 */
export function destinationActions(use: DestinationUse, type: string | undefined): string[] | undefined {
  return type ? FACTS[use].actions[type] : undefined;
}
