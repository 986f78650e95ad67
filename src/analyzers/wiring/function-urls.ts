import type { ValueNode } from "../../language/ast.js";
import { entryOf, literalText } from "../../template/expr.js";
import type { LambdaFunction } from "./functions.js";
import type { FunctionIndex } from "./function-references.js";

/** A function URL with `AuthType: NONE`: an `AWS::Lambda::Url`, or SAM's `FunctionUrlConfig` (which generates its permissions). */
export interface PublicFunctionUrl {
  name: string;
  at: ValueNode;
  fn: LambdaFunction;
  qualifier: string | undefined;
  viaSam: boolean;
}

export function publicFunctionUrls(index: FunctionIndex): PublicFunctionUrl[] {
  const { template, functions } = index;
  const urls: PublicFunctionUrl[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::Url" || literalText(entryOf(resource.properties, "AuthType")) !== "NONE") continue;
    const target = index.target(entryOf(resource.properties, "TargetFunctionArn"));
    if (target.kind !== "function") continue;
    const qualifier = literalText(entryOf(resource.properties, "Qualifier")) ?? target.qualifier;
    urls.push({ name: resource.logicalId, at: resource.node.key, fn: target.fn, qualifier, viaSam: false });
  }
  for (const fn of functions) {
    const config = fn.resource.properties?.entries.get("FunctionUrlConfig");
    if (fn.resource.type !== "AWS::Serverless::Function" || !config || literalText(entryOf(config.value, "AuthType")) !== "NONE") continue;
    urls.push({
      name: `${fn.logicalId}.FunctionUrlConfig`,
      at: config.key,
      fn,
      qualifier: literalText(entryOf(fn.resource.properties, "AutoPublishAlias")),
      viaSam: true,
    });
  }
  return urls;
}
