import type { ResourceValues } from "../../template/resource-values.js";
import type { Need } from "./need.js";
import type { Located } from "../finding.js";
import { grantsAction, howAllowed } from "./grant-usage.js";
import type { PolicyOrigin, Statement } from "./policy.js";
import { isPlainAllow, isReadable, readPolicyDocument } from "./policy.js";
import { policyTemplateSource, samPolicyTemplates } from "./sam-policies.js";

/** A SAM policy template entry of a function's `Policies` that grants more than its functions need. */
export type TemplateFit =
  | { kind: "unused-template"; template: string; at: Located }
  /** A template taking the same parameters, whose actions are some of this one's, serves every need it serves. */
  | { kind: "narrower-template"; template: string; narrower: string; actions: string[]; at: Located; nameAt: Located };

/**
 * The SAM policy templates of a role whose needs are known whole that serve no need, or whose needs a
 * narrower template serves: one that takes the same parameters, grants only actions this one grants,
 * fewer of them, and allows, with the same parameter values, each need this one allows (as surely). The
 * narrowest such template is named; the narrowest available is never reported for its other actions.
 */
export function policyTemplateFits(statements: Statement[], needs: Need[], values: ResourceValues): TemplateFit[] {
  const entries = new Map<PolicyOrigin, Statement[]>();
  for (const statement of statements)
    if (statement.origin.samTemplate) entries.set(statement.origin, [...(entries.get(statement.origin) ?? []), statement]);
  const fits: TemplateFit[] = [];
  for (const [origin, group] of entries) {
    const template = origin.samTemplate!;
    if (!group.every(plain)) continue;
    const served = needs.flatMap((need) => {
      if (need.standing === "conditional") return [];
      const how = howAllowed(group, need);
      return how === "no" ? [] : [{ need, how }];
    });
    // What calls may use by their input (an ACL), which this template grants: a narrower one must grant it too.
    const mayUse = needs.filter((need) => need.standing === "conditional" && group.some((statement) => grantsAction(statement, need)));
    if (served.length === 0) {
      fits.push({ kind: "unused-template", template: template.name, at: origin.at });
      continue;
    }
    const own = actionsOf(group);
    const parameters = samPolicyTemplates().find((candidate) => candidate.name === template.name)?.parameters ?? [];
    const narrower = samPolicyTemplates()
      .filter((candidate) => candidate.name !== template.name && sameSet(candidate.parameters, parameters))
      .flatMap((candidate) => {
        const source = policyTemplateSource(candidate.name, template.parameters, template.parameters);
        if (source.kind !== "document") return [];
        const read = readPolicyDocument(source.document, { label: candidate.name, at: origin.at }, values);
        const actions = actionsOf(read.statements);
        if (
          read.unreadable ||
          !read.statements.every(plain) ||
          actions.length >= own.length ||
          !actions.every((action) => own.includes(action))
        )
          return [];
        const servesAll =
          served.every(({ need, how }) => {
            const candidateHow = howAllowed(read.statements, need);
            return candidateHow !== "no" && (how !== "yes" || candidateHow === "yes");
          }) && mayUse.every((need) => read.statements.some((statement) => grantsAction(statement, need)));
        return servesAll ? [{ name: candidate.name, actions }] : [];
      })
      .sort((a, b) => a.actions.length - b.actions.length || a.name.localeCompare(b.name));
    if (narrower[0])
      fits.push({
        kind: "narrower-template",
        template: template.name,
        narrower: narrower[0].name,
        actions: narrower[0].actions,
        at: origin.at,
        nameAt: template.nameAt,
      });
  }
  return fits;
}

/** A plain Allow statement, every action and resource readable. */
function plain(statement: Statement): boolean {
  return isPlainAllow(statement) && isReadable(statement);
}

function actionsOf(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap((statement) => statement.actions.flatMap((action) => ("text" in action ? [action.text] : []))))];
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
