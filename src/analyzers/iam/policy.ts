import type { Located } from "../finding.js";
import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Compiled, WildcardPattern } from "./arn-pattern.js";
import { actionMatcher, compilePattern } from "./arn-pattern.js";
import type { ResourceValues } from "../../template/resource-values.js";
import { partsDisplay } from "../../template/interpolation.js";

/** Where a statement comes from, in words a user recognises, and where it is written. */
export interface PolicyOrigin {
  /** e.g. `inline policy "Poll" of role ConsumerRole`, `AWS managed policy AWSLambdaSQSQueueExecutionRole`. */
  label: string;
  at: Located;
  /** Set when the policy applies only under a condition (a resource `Condition`, an `Fn::If`). */
  conditional?: string;
  /** Set for a document that is not written in the file: an AWS managed policy, a SAM policy template. */
  bundled?: true;
  /** For an AWS managed policy: its name, and whether the template names it (else SAM adds it for a feature or an event). */
  managedPolicy?: { name: string; written: boolean };
  /** For a SAM policy template: its name, its parameters as written, and where its name is written. */
  samTemplate?: { name: string; parameters: Expr; nameAt: Located };
  /**
   * The separate policy resource (`AWS::IAM::Policy`, a `ManagedPolicy` attached by `Roles`, a
   * `RolePolicy`) that holds the statement: CloudFormation may attach it after resources that need it.
   */
  resource?: string;
}

type ActionPattern = ({ service: string; matcher: WildcardPattern; text: string } | { unknown: string }) & {
  /** Where the action is written. */
  at: Located;
};
type ResourcePattern = { compiled: Compiled; text: string } | { unknown: string };

export interface Statement {
  effect: "Allow" | "Deny";
  /** Listed in `Action`, or in `NotAction` when `notAction`. */
  actions: ActionPattern[];
  notAction: boolean;
  resources: ResourcePattern[];
  notResource: boolean;
  /** Why the statement may not apply even when action and resource match (a Condition, a conditional policy). */
  uncertainty: string | undefined;
  origin: PolicyOrigin;
  /** 1-based position in its policy, for messages. */
  index: number;
  at: Located;
  /** The `Resource` (or `NotResource`) value. */
  resourceAt: Located;
}

export interface ReadPolicy {
  statements: Statement[];
  /** Set when the document cannot be read whole: what it grants is then unknown. */
  unreadable: string | undefined;
}

/** Reads a policy document (`{Version, Statement}`) into statements. */
export function readPolicyDocument(document: Expr | undefined, origin: PolicyOrigin, values: ResourceValues): ReadPolicy {
  const statementList = entryOf(document, "Statement");
  if (!statementList) return { statements: [], unreadable: `${origin.label} has no readable Statement` };
  const items = statementList.kind === "list" ? statementList.items : [statementList];
  const statements: Statement[] = [];
  let unreadable: string | undefined;
  items.forEach((item, index) => {
    const statement = readStatement(item, origin, index + 1, values);
    if (statement) statements.push(statement);
    else unreadable ??= `statement ${index + 1} of ${origin.label} cannot be read`;
  });
  return { statements, unreadable };
}

function readStatement(item: Expr, origin: PolicyOrigin, index: number, values: ResourceValues): Statement | undefined {
  if (item.kind !== "object") return undefined;
  const effect = literalText(entryOf(item, "Effect"));
  if (effect !== "Allow" && effect !== "Deny") return undefined;
  const action = entryOf(item, "Action");
  const notAction = entryOf(item, "NotAction");
  const resource = entryOf(item, "Resource");
  const notResource = entryOf(item, "NotResource");
  if (!(action ?? notAction) || !(resource ?? notResource)) return undefined;
  const uncertainties = [
    origin.conditional,
    entryOf(item, "Condition") ? `statement ${index} of ${origin.label} has a Condition` : undefined,
  ].filter(Boolean);
  return {
    effect,
    actions: listItems(action ?? notAction!).map(actionPattern),
    notAction: !action,
    resources: listItems(resource ?? notResource!).map((expr) => resourcePattern(expr, values)),
    notResource: !resource,
    uncertainty: uncertainties.length > 0 ? uncertainties.join("; ") : undefined,
    origin,
    index,
    at: item.node,
    resourceAt: (resource ?? notResource!).node,
  };
}

function actionPattern(expr: Expr): ActionPattern {
  const text = literalText(expr);
  if (text === undefined) return { unknown: "an action that is not a plain string", at: expr.node };
  const colon = text.indexOf(":");
  const service = colon > 0 && !/[*?]/u.test(text.slice(0, colon)) ? text.slice(0, colon).toLowerCase() : "*";
  return { service, matcher: actionMatcher(text), text, at: expr.node };
}

function resourcePattern(expr: Expr, values: ResourceValues): ResourcePattern {
  const parts = values.parts(expr);
  if (!parts) return { unknown: "a resource that cannot be read" };
  return { compiled: compilePattern(parts), text: partsDisplay(parts) };
}

/** An Allow under no condition that lists its actions and resources (no NotAction, no NotResource). */
export function isPlainAllow(statement: Statement): boolean {
  return statement.effect === "Allow" && !statement.notAction && !statement.notResource && statement.uncertainty === undefined;
}

/** Whether every action and every resource of a statement can be read. */
export function isReadable(statement: Statement): boolean {
  return statement.actions.every((action) => "text" in action) && statement.resources.every((resource) => "text" in resource);
}

/** The service prefixes a statement can grant or deny (`*` when any). */
export function statementServices(statement: Statement): string[] {
  if (statement.notAction) return ["*"];
  return [...new Set(statement.actions.map((action) => ("unknown" in action ? "*" : action.service)))];
}
