import type { QuestionResource } from "./evaluate.js";

/** Something a function's execution role must allow, on a resource the template makes known, and why. */
export interface Need {
  /** Allowing any one of these suffices. */
  anyOf: string[];
  resource: QuestionResource;
  resourceLabel: string;
  /** Why the function needs it: "SQS event source Jobs", "src/app.ts:12 PutItemCommand", "CloudWatch Logs". */
  reason: string;
  /**
   * "needed": what it must be allowed; "alternative": another spelling of a needed resource, which AWS may
   * evaluate instead; "documented": what AWS's managed policy for the feature grants, which is not called unused;
   * "conditional": what a call may use by its input or target, which the reader does not decide (s3:ListBucket
   * for GetObject, s3:PutObjectAcl for a put with an ACL): neither required nor called unused.
   */
  standing: "needed" | "alternative" | "documented" | "conditional";
}
