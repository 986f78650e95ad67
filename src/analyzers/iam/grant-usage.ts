import { partsText } from "../../template/interpolation.js";
import type { Need } from "./need.js";
import type { Located } from "../finding.js";
import type { Template } from "../../template/model.js";
import type { Compiled, Tri } from "./arn-pattern.js";
import { compileValue, hasWildcard, matchPattern } from "./arn-pattern.js";
import { policyResource } from "./minimal-policy.js";
import type { QuestionResource } from "./evaluate.js";
import type { Statement } from "./policy.js";
import { isPlainAllow, isReadable } from "./policy.js";

/** A granted action that no need matches. */
interface UnusedAction {
  kind: "unused-action";
  statement: Statement;
  /** The action as written, and its place among the statement's actions. */
  action: string;
  index: number;
  at: Located;
}

/**
 * Actions granted on `*`, or on a pattern, that every need of them names one resource for: `*`, or the
 * pattern as written, then matches resources that none of them is.
 */
interface WideResource {
  kind: "wide-resource";
  statement: Statement;
  /** `*`, or the pattern (`arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*`). */
  scope: string;
  actions: string[];
  /** The resources those needs name, as messages name them. */
  neededOn: string[];
  /** The same, as values (their other spellings left out). */
  resources: QuestionResource[];
  /** Whether these are all the statement's actions (then narrowing its `Resource` serves them all). */
  whole: boolean;
  at: Located;
}

export type GrantExcess = UnusedAction | WideResource;

/**
 * What the written statements of a role grant beyond its needs, for a role whose needs are known whole:
 * each action that no need's action matches (judged on the action alone, so a grant on the wrong
 * resource is never called unused), and the actions granted on `*` whose every need names a resource,
 * or on one pattern (a wildcard in its text) that covers each need, every need naming one resource as
 * the minimal policy writes it (no `*` there: not an object key or log stream known only at run time).
 * Only plain Allow statements written in the template are judged: no Condition, no NotAction or
 * NotResource, every action and resource readable; managed policies and SAM's bundled documents are not.
 */
export function grantExcess(statements: Statement[], needs: Need[], template: Template): GrantExcess[] {
  const excess: GrantExcess[] = [];
  for (const statement of statements.filter(judged)) {
    const scope = wideScope(statement);
    const narrowable: string[] = [];
    const neededOn = new Set<string>();
    const resources = new Map<string, QuestionResource>();
    for (const [index, action] of statement.actions.entries()) {
      if (!("text" in action)) continue;
      const matched = needs.filter((need) => need.anyOf.some((name) => action.matcher.test(name)));
      if (matched.length === 0) {
        excess.push({ kind: "unused-action", statement, action: action.text, index, at: action.at });
        continue;
      }
      if (scope && matched.every((need) => narrower(need, scope, template))) {
        narrowable.push(action.text);
        for (const need of matched) {
          neededOn.add(need.resourceLabel);
          if (need.standing !== "alternative") resources.set(need.resource === "*" ? "*" : partsText(need.resource), need.resource);
        }
      }
    }
    if (narrowable.length > 0)
      excess.push({
        kind: "wide-resource",
        statement,
        scope: scope!.text,
        actions: narrowable,
        neededOn: [...neededOn],
        resources: [...resources.values()],
        whole: narrowable.length === statement.actions.length,
        at: statement.resourceAt,
      });
  }
  return excess;
}

/** A statement's only resource when it is `*` or a pattern with a wildcard. */
function wideScope(statement: Statement): { compiled: Compiled; text: string } | undefined {
  const [only] = statement.resources;
  if (statement.resources.length !== 1 || !only || !("compiled" in only)) return undefined;
  return only.text === "*" || hasWildcard(only.compiled) ? only : undefined;
}

/**
 * Whether a need names one resource that a wide scope covers or may cover, scope and need being different:
 * under `*` any named resource; under a pattern, a resource the minimal policy writes without a `*` (one
 * that stands for one value, not any object key or log stream), the pattern not excluding it.
 */
function narrower(need: Need, scope: { compiled: Compiled; text: string }, template: Template): boolean {
  if (need.resource === "*") return false;
  if (scope.text === "*") return true;
  const written = policyResource(need.resource, template);
  if ((typeof written === "string" ? written : written["Fn::Sub"]).includes("*")) return false;
  return matchPattern(scope.compiled, compileValue(need.resource)) !== "no";
}

function judged(statement: Statement): boolean {
  return isPlainAllow(statement) && !statement.origin.bundled && isReadable(statement);
}

/** Whether an Allow statement names an action of a need, on whatever resource. */
export function grantsAction(statement: Statement, need: Pick<Need, "anyOf">): boolean {
  return (
    statement.effect === "Allow" &&
    statement.actions.some((action) => "text" in action && need.anyOf.some((name) => action.matcher.test(name)))
  );
}

/** How surely some statement allows a need: an action matches, and a resource matches ("maybe" when only a symbol may). */
export function howAllowed(statements: Statement[], need: Pick<Need, "anyOf" | "resource">): Tri {
  const value = compileValue(need.resource === "*" ? [{ text: "*" }] : need.resource);
  let best: Tri = "no";
  for (const statement of statements) {
    if (!grantsAction(statement, need)) continue;
    for (const resource of statement.resources) {
      if (!("compiled" in resource)) continue;
      const match = matchPattern(resource.compiled, value);
      if (match === "yes") return "yes";
      if (match === "maybe") best = "maybe";
    }
  }
  return best;
}
