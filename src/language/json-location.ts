import { resolveAlias } from "./ast.js";
import { parseTemplate } from "./parse.js";
import { mappingValue } from "./template-sniff.js";

/** A scalar of a JSON (or YAML) file with where it is written (1-based line and column). */
export interface LocatedValue {
  value: unknown;
  line: number;
  column: number;
}

/**
 * The scalar at a path of keys in a JSON or YAML file (a CDK `manifest.json`, `cdk.json`), with its
 * position, so that a message about a path that file names can say where it is named. Undefined when the
 * file cannot be read or holds no scalar there.
 */
export function jsonValueAt(text: string, keys: string[]): LocatedValue | undefined {
  const outcome = parseTemplate(text);
  let node = outcome.ok ? outcome.ast.body : null;
  for (const key of keys) {
    const mapping = node && resolveAlias(node);
    const value = mapping?.type === "Mapping" ? mappingValue(mapping, key) : undefined;
    if (!value) return undefined;
    node = value;
  }
  const scalar = node && resolveAlias(node);
  return scalar?.type === "Scalar" ? { value: scalar.value, line: scalar.loc.start.line, column: scalar.loc.start.column } : undefined;
}
