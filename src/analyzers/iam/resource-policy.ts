import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Tri } from "./arn-pattern.js";
import { actionMatcher } from "./arn-pattern.js";
import type { Caller } from "./caller-match.js";
import { conditionMatch, principalMatch } from "./caller-match.js";

/** What a resource's policy asks about: one action by a caller of another account. */
export interface ResourcePolicyQuestion {
  action: string;
  caller: Caller;
  /** The account that holds the resource and its policy (what its `${AWS::AccountId}` is). */
  owner: string;
  /** Whether a statement's `Resource` entry covers the resource. */
  covers(resource: Expr): Tri;
}

/**
 * Whether a resource policy (a queue or stream policy) allows a caller of another account an action:
 * "allows" when an unconditional-for-this-caller `Allow` names it, "refuses" when no statement can.
 * A `Deny` that may apply, a `NotPrincipal`, `NotAction` or `NotResource`, a condition on a key
 * other than `aws:PrincipalArn` and `sts:ExternalId`, or anything unreadable, leaves it "unknown".
 */
export function resourcePolicyAnswer(document: Expr | undefined, question: ResourcePolicyQuestion): "allows" | "refuses" | "unknown" {
  const statements = entryOf(document, "Statement");
  if (!statements || (statements.kind !== "list" && statements.kind !== "object")) return "unknown";
  let allows: Tri = "no";
  for (const statement of listItems(statements)) {
    const effect = literalText(entryOf(statement, "Effect"));
    if (statement.kind !== "object" || (effect !== "Allow" && effect !== "Deny")) return "unknown";
    if (["NotPrincipal", "NotAction", "NotResource"].some((key) => entryOf(statement, key))) return "unknown";
    const matches: Tri[] = [];
    for (const match of [
      () => actionCovers(entryOf(statement, "Action"), question.action),
      () => principalAdmits(entryOf(statement, "Principal"), question),
      () =>
        any(
          listItems(entryOf(statement, "Resource")).map((resource) => question.covers(resource)),
          "maybe",
        ),
      () => conditionMatch(entryOf(statement, "Condition"), question.caller).answer,
    ]) {
      const tri = match();
      matches.push(tri);
      if (tri === "no") break;
    }
    if (matches.includes("no")) continue;
    // A deny that may apply is not modelled further.
    if (effect === "Deny") return "unknown";
    allows = matches.every((tri) => tri === "yes") ? "yes" : allows === "yes" ? "yes" : "maybe";
  }
  return allows === "yes" ? "allows" : allows === "no" ? "refuses" : "unknown";
}

/** "yes" if any is, else "maybe" if any is, else "no"; `empty` for no items. */
function any(tris: Tri[], empty: Tri): Tri {
  if (tris.length === 0) return empty;
  return tris.includes("yes") ? "yes" : tris.includes("maybe") ? "maybe" : "no";
}

function actionCovers(actions: Expr | undefined, action: string): Tri {
  return any(
    listItems(actions).map((item) => {
      const text = literalText(item);
      return text === undefined ? "maybe" : actionMatcher(text).test(action) ? "yes" : "no";
    }),
    "maybe",
  );
}

/** Everyone (`"*"`, `AWS: "*"`), the caller's account root, or its role's ARN. */
function principalAdmits(principal: Expr | undefined, question: ResourcePolicyQuestion): Tri {
  if (literalText(principal) === "*" || listItems(entryOf(principal, "AWS")).some((item) => literalText(item) === "*")) return "yes";
  return principalMatch(principal, question.owner, question.caller, []);
}
