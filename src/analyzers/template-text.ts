import type { ParseProblem } from "../language/parse.js";
import { parseTemplate } from "../language/parse.js";
import { Analysis } from "./analysis.js";

/** A file's text read as a template: its analysis, or that it is no template, or why it cannot be read. */
export type TemplateRead =
  { kind: "template"; analysis: Analysis } | { kind: "not-template" } | { kind: "unreadable"; problem: ParseProblem };

/** The one way a template's text becomes an analysis (each caller keeps what it reads in its own cache). */
export function readTemplateText(text: string): TemplateRead {
  const outcome = parseTemplate(text);
  if (!outcome.ok) return { kind: "unreadable", problem: outcome.problem };
  return outcome.ast.isTemplate ? { kind: "template", analysis: new Analysis(outcome.ast, text) } : { kind: "not-template" };
}
