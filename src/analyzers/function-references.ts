import type { Expr } from "../template/expr.js";
import { entryOf, literalText } from "../template/expr.js";
import type { Template } from "../template/model.js";
import type { LambdaFunction } from "./execution-roles.js";

/**
 * The function of this template that a `FunctionName`-style value names: `!Ref Fn`, `!GetAtt Fn.Arn`,
 * an alias or version of it (`!Ref FnAlias`), or the function's literal `FunctionName`. Undefined when
 * the value names a function we cannot identify in this template.
 */
export function referencedFunction(template: Template, functions: LambdaFunction[], expr: Expr | undefined): LambdaFunction | undefined {
  if (!expr) return undefined;
  const byId = (id: string) => functions.find((fn) => fn.logicalId === id);
  if (expr.kind === "ref" || (expr.kind === "getatt" && expr.attribute === "Arn")) {
    const target = expr.kind === "ref" ? expr.target : expr.resource;
    const direct = byId(target);
    if (direct) return direct;
    const resource = template.resources.get(target);
    if (resource?.type === "AWS::Lambda::Alias" || resource?.type === "AWS::Lambda::Version") {
      return referencedFunction(template, functions, entryOf(resource.properties, "FunctionName"));
    }
    return undefined;
  }
  const name = literalText(expr);
  if (name === undefined) return undefined;
  return functions.find((fn) => literalText(entryOf(fn.resource.properties, "FunctionName")) === name);
}
