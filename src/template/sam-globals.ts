import type { Expr, ObjectEntry, ObjectExpr } from "./expr.js";
import type { Template } from "./types.js";

/** SAM resource types whose `Globals` section applies, by the section's key. */
const GLOBALS_SECTIONS: Record<string, string> = {
  Function: "AWS::Serverless::Function",
  Api: "AWS::Serverless::Api",
  HttpApi: "AWS::Serverless::HttpApi",
  SimpleTable: "AWS::Serverless::SimpleTable",
  StateMachine: "AWS::Serverless::StateMachine",
  LayerVersion: "AWS::Serverless::LayerVersion",
  CapacityProvider: "AWS::Serverless::CapacityProvider",
  WebSocketApi: "AWS::Serverless::WebSocketApi",
};

/** Function properties that SAM refuses in Globals (the translator rejects the template). */
const NOT_GLOBAL_FUNCTION_PROPERTIES = new Set(["Role", "Policies", "FunctionName", "Events"]);

/**
 * Merges SAM `Globals` into each SAM resource the way the SAM translator does (plugins/globals): maps
 * merge key by key with the resource winning, lists concatenate (globals first), anything else (including
 * an intrinsic function) is replaced by the resource's own value.
 */
export function mergeSamGlobals(template: Template, globals: Expr | undefined): void {
  if (globals?.kind !== "object") return;
  for (const [section, { value }] of globals.entries) {
    const type = GLOBALS_SECTIONS[section];
    if (!type || value.kind !== "object") continue;
    const applicable: ObjectExpr =
      section === "Function"
        ? { ...value, entries: new Map([...value.entries].filter(([key]) => !NOT_GLOBAL_FUNCTION_PROPERTIES.has(key))) }
        : value;
    for (const resource of template.resources.values()) {
      if (resource.type !== type) continue;
      const ignored = ignoredGlobals(resource.definition.entries.get("IgnoreGlobals")?.value);
      if (ignored === "all") continue;
      const own: ObjectExpr =
        ignored.size === 0 ? applicable : { ...applicable, entries: new Map([...applicable.entries].filter(([key]) => !ignored.has(key))) };
      resource.properties = resource.properties ? (merge(own, resource.properties) as ObjectExpr) : own;
    }
  }
}

/**
 * The Globals a resource opts out of with `IgnoreGlobals` (samtranslator plugins/globals/globals.py):
 * `"*"` for all of them, or a list of property names. A value we cannot read opts out of all of them,
 * so that no requirement is taken from Globals the resource may ignore.
 */
function ignoredGlobals(value: Expr | undefined): Set<string> | "all" {
  if (!value) return new Set();
  if (value.kind === "literal" && value.text === "*") return "all";
  if (value.kind !== "list") return "all";
  const names = value.items.map((item) => (item.kind === "literal" && typeof item.value === "string" ? item.text : undefined));
  return names.every((name) => name !== undefined) ? new Set(names as string[]) : "all";
}

function merge(global: Expr, local: Expr): Expr {
  if (global.kind === "object" && local.kind === "object") {
    const entries = new Map<string, ObjectEntry>(global.entries);
    for (const [key, entry] of local.entries) {
      const globalEntry = entries.get(key);
      entries.set(key, globalEntry ? { key: entry.key, value: merge(globalEntry.value, entry.value) } : entry);
    }
    return { kind: "object", entries, node: local.node };
  }
  if (global.kind === "list" && local.kind === "list") {
    return { kind: "list", items: [...global.items, ...local.items], node: local.node };
  }
  return local;
}
