/**
 * The language-neutral model of a handler's AWS SDK usage: what each reader (JavaScript/TypeScript SDK
 * v3 today) produces from a file, and all that the checks see of the code. Nothing here says which
 * language a call was written in.
 */

/** A value of a call's input as the code writes it: a literal, an environment variable, or unknown. */
export type InputValue = { kind: "literal"; text: string } | { kind: "env"; name: string } | { kind: "unknown" };

/**
 * Whose credentials sign a call: the execution role (a client built with no credentials of its own
 * uses the SDK's default chain, which in Lambda reads the execution role's session), other credentials
 * (an assumed role's, a key), or credentials the code does not show (then the call is not judged).
 */
export type CallCredentials = "execution-role" | "other" | "unknown";

/** Offsets into the linted file's text: where a call or an assumption is written. */
export type CodeRange = [number, number];

/** An AWS SDK call. */
export interface SdkCall {
  /** The service's IAM prefix, which names its resource inputs too: `dynamodb`, `s3`, `sqs`. */
  service: string;
  /** The API operation: `PutItem`, `ListObjectsV2`. */
  operation: string;
  /** How the code names it, for messages: `PutItemCommand`, `s3.list_objects_v2`. */
  label: string;
  /** The IAM actions it needs in its default shape, with those its input asks for (a `VersionId`). */
  actions: string[];
  /** KMS actions it needs when its target is encrypted with a customer managed key. */
  kmsWhenEncrypted: string[];
  /**
   * Actions it may also use, by its input or its target, that the reader does not decide, with when
   * (s3:ListBucket, without which GetObject answers a missing key with 403 rather than 404; an ACL).
   */
  mayUse: Record<string, string>;
  /** The input's values by the API's member names (`TableName`, `Bucket`, `QueueUrl`). */
  input: Map<string, InputValue>;
  credentials: CallCredentials;
  /** The role assumption whose credentials sign it, when the code shows which one. */
  assumption?: RoleAssumption;
  /** The top-level function it is written in (`handler`), when one: which handler reaches it. */
  owner: string | undefined;
  range: CodeRange;
}

/** The code assumes a role (an `AssumeRole` call, a temporary-credentials provider). */
export interface RoleAssumption {
  /** `RoleArn`, `DurationSeconds`, `ExternalId`, ... as the code writes them. */
  input: Map<string, InputValue>;
  /** Who signs the AssumeRole call itself. */
  credentials: CallCredentials;
  owner: string | undefined;
  range: CodeRange;
}

/**
 * Why the IAM actions of an SDK call are not known: its command is not in the data, the actions
 * depend on the request's content (a PartiQL statement, a transaction's items), it is made with an
 * SDK the reader does not read (the JavaScript SDK v2, where the import stands for every call), or it
 * presigns a request that someone else sends with the role's credentials (boto3's generate_presigned_url).
 */
type UnmappedReason = "not-in-data" | "depends-on-request" | "unread-sdk" | "presigned";

/** An SDK call whose IAM actions are not known, so that it is not checked. */
export interface UnmappedCall {
  label: string;
  /** What names the client or package, for messages: `@aws-sdk/client-s3`. */
  source: string;
  why: UnmappedReason;
  range: CodeRange;
}

/** What a reader found in one file. */
export interface SdkUsage {
  calls: SdkCall[];
  assumptions: RoleAssumption[];
  unmapped: UnmappedCall[];
}
