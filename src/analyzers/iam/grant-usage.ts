import { partsText } from "../../template/interpolation.js";
import type { Need } from "./need.js";
import type { Located } from "../finding.js";
import type { Tri } from "./arn-pattern.js";
import { compileValue, matchPattern } from "./arn-pattern.js";
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

/** Actions granted on `*` that every need of them names a resource for. */
interface WideResource {
  kind: "wide-resource";
  statement: Statement;
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
 * resource is never called unused), and the actions granted on `*` whose every need names a resource.
 * Only plain Allow statements written in the template are judged: no Condition, no NotAction or
 * NotResource, every action and resource readable; managed policies and SAM's bundled documents are not.
 */
export function grantExcess(statements: Statement[], needs: Need[]): GrantExcess[] {
  const excess: GrantExcess[] = [];
  for (const statement of statements.filter(judged)) {
    const wide = statement.resources.length === 1 && "text" in statement.resources[0]! && statement.resources[0].text === "*";
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
      if (wide && matched.every((need) => need.resource !== "*")) {
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
        actions: narrowable,
        neededOn: [...neededOn],
        resources: [...resources.values()],
        whole: narrowable.length === statement.actions.length,
        at: statement.resourceAt,
      });
  }
  return excess;
}

function judged(statement: Statement): boolean {
  return isPlainAllow(statement) && !statement.origin.bundled && isReadable(statement);
}

/** How surely some statement allows a need: an action matches, and a resource matches ("maybe" when only a symbol may). */
export function howAllowed(statements: Statement[], need: Pick<Need, "anyOf" | "resource">): Tri {
  const value = compileValue(need.resource === "*" ? [{ text: "*" }] : need.resource);
  let best: Tri = "no";
  for (const statement of statements) {
    if (statement.effect !== "Allow") continue;
    if (!statement.actions.some((action) => "text" in action && need.anyOf.some((name) => action.matcher.test(name)))) continue;
    for (const resource of statement.resources) {
      if (!("compiled" in resource)) continue;
      const match = matchPattern(resource.compiled, value);
      if (match === "yes") return "yes";
      if (match === "maybe") best = "maybe";
    }
  }
  return best;
}
