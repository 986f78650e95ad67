import type { Expr } from "./expr.js";
import { literalText } from "./expr.js";
import { canonical } from "./interpolation.js";
import type { Template } from "./model.js";

/** An assumption that a named condition has a given truth value (a resource's `Condition`, an `Fn::If` branch). */
export interface Assumption {
  condition: string;
  value: boolean;
}

type Formula =
  | { kind: "constant"; value: boolean }
  /** `Fn::Equals` of a symbolic value (a parameter, a mapping lookup) and a literal. */
  | { kind: "equals"; variable: string; value: string }
  /** `Fn::Equals` of two symbolic values: treated as a free choice. */
  | { kind: "free"; key: string }
  | { kind: "not"; operand: Formula }
  | { kind: "and" | "or"; operands: Formula[] };

/** Enumerating more assignments than this is not worth it: the answer is then "cannot tell". */
const MAX_ASSIGNMENTS = 50_000;
/** The value that stands for "anything other than the literals the conditions mention". */
const OTHER = "\u0000other";

/**
 * Whether all assumptions can hold at once for some choice of parameter values: true (proven by an
 * example), false (proven impossible), or undefined (a condition we cannot read, or too many choices).
 */
export function canHoldTogether(template: Template, assumptions: Assumption[]): boolean | undefined {
  if (assumptions.length === 0) return true;
  const formulas: Formula[] = [];
  for (const { condition, value } of assumptions) {
    const formula = conditionFormula(template, condition, new Set());
    if (!formula) return undefined;
    formulas.push(value ? formula : { kind: "not", operand: formula });
  }
  const goal: Formula = { kind: "and", operands: formulas };

  const domains = new Map<string, Set<string>>();
  const free = new Set<string>();
  collectVariables(goal, domains, free);
  const variables = [...domains].map(([name, literals]) => ({
    name,
    values: [...restrictToAllowedValues(template, name, literals)],
  }));
  const freeKeys = [...free];
  let count = 2 ** freeKeys.length;
  for (const variable of variables) count *= variable.values.length;
  if (count > MAX_ASSIGNMENTS) return undefined;

  const assignment = new Map<string, string>();
  const search = (index: number): boolean => {
    if (index < variables.length) {
      const variable = variables[index]!;
      return variable.values.some((value) => {
        assignment.set(variable.name, value);
        return search(index + 1);
      });
    }
    for (let bits = 0; bits < 2 ** freeKeys.length; bits++) {
      const freeValues = new Map(freeKeys.map((key, i) => [key, (bits >> i) % 2 === 1]));
      if (evaluate(goal, assignment, freeValues)) return true;
    }
    return false;
  };
  return search(0);
}

/** A parameter limited by `AllowedValues` can take only those (and never "something else"). */
function restrictToAllowedValues(template: Template, variable: string, literals: Set<string>): Set<string> {
  const parameterName = /^\{Ref:(.*)\}$/u.exec(variable)?.[1];
  const allowed = parameterName ? template.parameters.get(parameterName)?.allowedValues : undefined;
  if (!allowed) return new Set([...literals, OTHER]);
  const values = new Set(allowed.filter((value) => literals.has(value)));
  if (allowed.some((value) => !literals.has(value))) values.add(OTHER);
  return values;
}

function conditionFormula(template: Template, name: string, visiting: Set<string>): Formula | undefined {
  const expr = template.conditions.get(name);
  if (!expr || visiting.has(name)) return undefined;
  visiting.add(name);
  const formula = toFormula(template, expr, visiting);
  visiting.delete(name);
  return formula;
}

function toFormula(template: Template, expr: Expr, visiting: Set<string>): Formula | undefined {
  if (expr.kind === "literal" && typeof expr.value === "boolean") return { kind: "constant", value: expr.value };
  if (expr.kind !== "call") return undefined;
  const argument = expr.argument;
  switch (expr.name) {
    case "Condition": {
      const name = literalText(argument);
      return name === undefined ? undefined : conditionFormula(template, name, visiting);
    }
    case "Fn::Not": {
      const operand = argument.kind === "list" && argument.items.length === 1 ? argument.items[0] : undefined;
      const formula = operand && toFormula(template, operand, visiting);
      return formula && { kind: "not", operand: formula };
    }
    case "Fn::And":
    case "Fn::Or": {
      if (argument.kind !== "list") return undefined;
      const operands = argument.items.map((item) => toFormula(template, item, visiting));
      if (operands.some((operand) => !operand)) return undefined;
      return { kind: expr.name === "Fn::And" ? "and" : "or", operands: operands as Formula[] };
    }
    case "Fn::Equals": {
      if (argument.kind !== "list" || argument.items.length !== 2) return undefined;
      const [left, right] = argument.items as [Expr, Expr];
      const leftText = literalText(left);
      const rightText = literalText(right);
      if (leftText !== undefined && rightText !== undefined) return { kind: "constant", value: leftText === rightText };
      if (leftText !== undefined) return { kind: "equals", variable: canonical(right), value: leftText };
      if (rightText !== undefined) return { kind: "equals", variable: canonical(left), value: rightText };
      const [a, b] = [canonical(left), canonical(right)].sort();
      return a === b ? { kind: "constant", value: true } : { kind: "free", key: `${a}=${b}` };
    }
    default:
      return undefined;
  }
}

function collectVariables(formula: Formula, domains: Map<string, Set<string>>, free: Set<string>): void {
  switch (formula.kind) {
    case "equals": {
      const literals = domains.get(formula.variable) ?? new Set<string>();
      literals.add(formula.value);
      domains.set(formula.variable, literals);
      return;
    }
    case "free":
      free.add(formula.key);
      return;
    case "not":
      collectVariables(formula.operand, domains, free);
      return;
    case "and":
    case "or":
      for (const operand of formula.operands) collectVariables(operand, domains, free);
      return;
    case "constant":
      return;
  }
}

function evaluate(formula: Formula, assignment: Map<string, string>, free: Map<string, boolean>): boolean {
  switch (formula.kind) {
    case "constant":
      return formula.value;
    case "equals":
      return assignment.get(formula.variable) === formula.value;
    case "free":
      return free.get(formula.key) === true;
    case "not":
      return !evaluate(formula.operand, assignment, free);
    case "and":
      return formula.operands.every((operand) => evaluate(operand, assignment, free));
    case "or":
      return formula.operands.some((operand) => evaluate(operand, assignment, free));
  }
}
