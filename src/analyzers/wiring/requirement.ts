import type { QuestionResource } from "../iam/evaluate.js";

/** Something a function's role must allow: one of `anyOf` on `resource`. */
export interface Requirement {
  anyOf: string[];
  resource: QuestionResource | undefined;
  /** Other spellings of the same resource that AWS may evaluate instead: allowing any one suffices. */
  alternatives?: QuestionResource[];
  /** How messages name the resource: a logical id, an ARN, or "*". */
  resourceLabel: string;
  /**
   * What happens without it, when that is not what happens to the group it belongs to (a mapping that
   * is created but cannot decrypt its records). Such a requirement is not what AWS checks at creation.
   */
  consequence?: string;
  /** The in-template `AWS::KMS::Key` the resource is, whose key policy decides alongside IAM. */
  keyId?: string;
}
