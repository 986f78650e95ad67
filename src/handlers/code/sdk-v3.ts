import sdkActionData from "../../data/sdk-actions.json" with { type: "json" };

/** The AWS SDK for JavaScript v3's commands by package, with the IAM actions each needs (src/data/sdk-actions.json). */
const SDK_ACTIONS = sdkActionData as Record<
  string,
  Record<
    string,
    {
      actions: string[];
      inexact?: boolean;
      kmsWhenEncrypted?: string[];
      whenInput?: Record<string, string>;
      mayUse?: Record<string, string>;
    }
  >
>;

/** lib-dynamodb's document-client commands, by the DynamoDB operation each sends. */
const DOCUMENT_CLIENT_OPERATIONS: Record<string, string> = {
  Get: "GetItem",
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  BatchGet: "BatchGetItem",
  BatchWrite: "BatchWriteItem",
  Query: "Query",
  Scan: "Scan",
  TransactGet: "TransactGetItems",
  TransactWrite: "TransactWriteItems",
  ExecuteStatement: "ExecuteStatement",
  BatchExecuteStatement: "BatchExecuteStatement",
  ExecuteTransaction: "ExecuteTransaction",
};

/** A v3 command as the model names it: the service its actions belong to, the operation, and what it needs. */
export interface V3Command {
  service: string;
  operation: string;
  actions: string[];
  kmsWhenEncrypted: string[];
  mayUse: Record<string, string>;
}

/**
 * A package whose clients call AWS: one the data maps, or any other service's client package
 * (`@aws-sdk/client-transcribe`), whose calls are then known to be made and not known to be allowed.
 */
export function isSdkPackage(packageName: string): boolean {
  return packageName in SDK_ACTIONS || /^@aws-sdk\/client-[a-z0-9-]+$/u.test(packageName);
}

/** The AWS SDK for JavaScript v2 (`aws-sdk`, `aws-sdk/clients/s3`), whose calls the reader does not read. */
export function isSdkV2Package(packageName: string): boolean {
  return packageName === "aws-sdk" || packageName.startsWith("aws-sdk/");
}

/** Whether a package and command are known to the SDK data at all (for reporting unmapped commands). */
export function isKnownCommand(packageName: string, command: string): boolean {
  return SDK_ACTIONS[packageName]?.[command] !== undefined;
}

/** A command that needs no IAM permission at all (STS GetCallerIdentity): there is nothing to check, and nothing unchecked. */
export function needsNoPermission(packageName: string, command: string): boolean {
  const entry = SDK_ACTIONS[packageName]?.[command];
  return entry !== undefined && !entry.inexact && entry.actions.length === 0;
}

/**
 * A command of a package (without its `Command` suffix) with the IAM actions it needs, those its input
 * asks for included (s3:GetObjectVersion for a `VersionId`); undefined when it is not mapped, or its
 * actions depend on the request's content (a PartiQL statement, a transaction).
 */
export function v3Command(packageName: string, command: string, inputKeys: Iterable<string>): V3Command | undefined {
  const entry = SDK_ACTIONS[packageName]?.[command];
  if (!entry || entry.inexact || entry.actions.length === 0) return undefined;
  const keys = new Set(inputKeys);
  const requested = Object.entries(entry.whenInput ?? {})
    .filter(([key]) => keys.has(key))
    .map(([, action]) => action);
  const service = entry.actions[0]!.split(":")[0]!;
  const operation =
    packageName === "@aws-sdk/lib-dynamodb"
      ? (DOCUMENT_CLIENT_OPERATIONS[command] ?? command)
      : packageName === "@aws-sdk/lib-storage"
        ? "PutObject"
        : command;
  return {
    service,
    operation,
    actions: [...entry.actions, ...requested],
    kmsWhenEncrypted: entry.kmsWhenEncrypted ?? [],
    mayUse: entry.mayUse ?? {},
  };
}
