import type { Expr } from "../../template/expr.js";
import type { Template } from "../../template/types.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import { interpolate } from "../../template/interpolation.js";
import { actionMatcher } from "./arn-pattern.js";

/** `arn:<partition>:iam::<account>:root`, or the account ID alone, with the account as it is written. */
const ACCOUNT_ROOT = /^(?:arn:(?:[a-z-]+|\$\{AWS::Partition\}):iam::(\$\{[^}]+\}|[^:]+):root|(\d{12}))$/u;
/** A role's ARN: account, then path and name (`role/service/Writer`). */
export const ROLE_ARN = /^arn:(?:[a-z-]+|\$\{AWS::Partition\}):iam::(\$\{[^}]+\}|[^:]+):role\/(.+)$/u;

/** The account of an account-root principal (`123456789012`, `arn:aws:iam::123456789012:root`), as written. */
export function rootAccount(text: string): string | undefined {
  const root = ACCOUNT_ROOT.exec(text);
  return root ? (root[1] ?? root[2])! : undefined;
}

/** Whether a statement's actions include sts:AssumeRole (`sts:*`, `*`); "unreadable" when an action cannot be read. */
export function assumesRole(statement: Expr): boolean | "unreadable" {
  let unreadable = false;
  for (const action of listItems(entryOf(statement, "Action"))) {
    const text = literalText(action);
    if (text === undefined) unreadable = true;
    else if (actionMatcher(text).test("sts:AssumeRole")) return true;
  }
  return unreadable ? "unreadable" : false;
}

/** The condition keys of a statement, lower-cased (IAM compares them so), or "unreadable". */
export function conditionKeys(condition: Expr | undefined): Set<string> | "unreadable" {
  const keys = new Set<string>();
  if (!condition) return keys;
  if (condition.kind !== "object") return "unreadable";
  for (const { value: block } of condition.entries.values()) {
    if (block.kind !== "object") return "unreadable";
    for (const key of block.entries.keys()) keys.add(key.toLowerCase());
  }
  return keys;
}

/** A principal as written: literal text, or a `!Sub` whose variables are pseudo parameters and parameters; else undefined. */
export function writtenText(principal: Expr): string | undefined {
  const literal = literalText(principal);
  if (literal !== undefined) return literal;
  if (principal.kind !== "sub") return undefined;
  const parts = interpolate(principal);
  if (!parts) return undefined;
  if (parts.some((part) => "expr" in part && part.expr.kind !== "ref")) return undefined;
  return parts.map((part) => ("text" in part ? part.text : `\${${(part.expr as { target: string }).target}}`)).join("");
}

/** `\d`, `[0-9]`, literal digits, commas, spaces and regex syntax that adds no other character. */
const DIGITS_ONLY_PATTERN = /^(?:\\d|\[0-9\]|[\d, (){}|*+?^$])*$/u;

/**
 * The parameter whose values a principal entry is, when they can only be account IDs (the
 * principal is then those accounts' roots): `!Ref Accounts` or `!Split [",", !Ref Accounts]`, whose
 * `AllowedValues` are all lists of 12-digit IDs, or whose `AllowedPattern` (which CloudFormation
 * matches against the whole value) can match nothing but digits, commas and spaces.
 */
export function accountIdParameter(template: Template, principal: Expr): string | undefined {
  const split = principal.kind === "call" && principal.name === "Fn::Split" ? listItems(principal.argument) : undefined;
  const reference = split ? (split.length === 2 && literalText(split[0]) !== undefined ? split[1] : undefined) : principal;
  const parameter = reference?.kind === "ref" ? template.parameters.get(reference.target) : undefined;
  if (!parameter) return undefined;
  const { allowedValues, allowedPattern } = parameter;
  const ids = allowedValues
    ? allowedValues.length > 0 && allowedValues.every((value) => /^\d{12}(?:, ?\d{12})*$/u.test(value))
    : allowedPattern !== undefined && allowedPattern.includes("\\d{12}") && DIGITS_ONLY_PATTERN.test(allowedPattern);
  return ids ? parameter.name : undefined;
}
