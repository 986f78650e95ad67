import { Analysis } from "../../../src/analyzers/analysis.js";
import type { Decision } from "../../../src/analyzers/iam/evaluate.js";
import { resolveAlias } from "../../../src/language/ast.js";
import { parseTemplate } from "../../../src/language/parse.js";
import { toExpr } from "../../../src/template/expr.js";

export function analysisOf(text: string): Analysis {
  const outcome = parseTemplate(text);
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return new Analysis(outcome.ast);
}

/**
 * Asks whether function `functionId` of the template may do `action` on `resource`, a YAML value such as
 * `!GetAtt Queue.Arn` or a literal ARN, or "*" for actions without a resource.
 */
export function ask(text: string, functionId: string, action: string, resource: string): Decision & { explanation: string } {
  const analysis = analysisOf(text);
  const fn = analysis.functions.find((candidate) => candidate.logicalId === functionId);
  if (!fn) throw new Error(`no function ${functionId}`);
  const candidate = fn.candidates[0]!;
  const question = resource === "*" ? "*" : analysis.iam.resource(valueExpr(resource));
  if (!question) throw new Error(`cannot read resource ${resource}`);
  return { ...analysis.iam.ask(fn, candidate, action, question), explanation: analysis.iam.explain(fn, candidate, action, question) };
}

function valueExpr(yaml: string) {
  const outcome = parseTemplate(`value: ${yaml}\n`);
  if (!outcome.ok) throw new Error(outcome.problem.message);
  const body = resolveAlias(outcome.ast.body!);
  if (body.type !== "Mapping") throw new Error("not a mapping");
  return toExpr(body.pairs[0]!.value);
}
