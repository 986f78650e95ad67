import type { Part } from "../../template/interpolation.js";
import type { Need } from "./need.js";
import type { Template } from "../../template/model.js";
import type { QuestionResource } from "./evaluate.js";

/** A resource's `Ref` is its name for these types, so `${Id}` in a `Fn::Sub` spells its name. */
const REF_IS_NAME = new Set([
  "AWS::DynamoDB::Table",
  "AWS::Serverless::SimpleTable",
  "AWS::S3::Bucket",
  "AWS::Logs::LogGroup",
  "AWS::Kinesis::Stream",
]);
/**
 * A function depends on its role: its role's policy cannot name it (CloudFormation refuses the circular
 * dependency), so its name is `*` there (the log group `/aws/lambda/*`).
 */
const DEPENDS_ON_ROLE = new Set(["AWS::Lambda::Function", "AWS::Serverless::Function"]);

export type PolicyResource = string | { "Fn::Sub": string };

/**
 * The smallest IAM policy document, as a template's `PolicyDocument`, that allows every need: one Allow
 * statement per resource, with the needed actions (the first of each `anyOf`) sorted. A resource the
 * template names is written with `Fn::Sub` (`${Orders}`, `${AWS::Region}`); a part known only at run time
 * (a log stream, an object key) is `*`, and so is a name whose spelling in `Fn::Sub` is not certain, or
 * a function's (which depends on the role).
 */
export function minimalPolicy(needs: Need[], template: Template): { Version: string; Statement: object[] } {
  const byResource = new Map<string, { resource: PolicyResource; actions: Set<string> }>();
  for (const need of needs) {
    if (need.standing !== "needed") continue;
    const resource = policyResource(need.resource, template);
    const key = JSON.stringify(resource);
    const entry = byResource.get(key) ?? { resource, actions: new Set<string>() };
    entry.actions.add(need.anyOf[0]!);
    byResource.set(key, entry);
  }
  const statements = [...byResource.values()]
    .map(({ resource, actions }) => {
      const sorted = [...actions].sort();
      return { Effect: "Allow", Action: sorted.length === 1 ? sorted[0]! : sorted, Resource: resource };
    })
    .sort((a, b) => JSON.stringify(a.Action).localeCompare(JSON.stringify(b.Action)));
  return { Version: "2012-10-17", Statement: statements };
}

/** A need's resource as a policy writes it in the template: a string, or `Fn::Sub` of the stack's names. */
export function policyResource(resource: QuestionResource, template: Template): PolicyResource {
  if (resource === "*") return "*";
  const parts: Part[] = resource;
  const pieces: Array<{ text: string } | { written: string }> = parts.map((part) =>
    "text" in part ? { text: part.text } : { written: subSpelling(part, template) ?? "*" },
  );
  const sub = pieces.some((piece) => "written" in piece && piece.written !== "*");
  // Literal text in a Fn::Sub string escapes its own "${" as "${!".
  const text = pieces
    .map((piece) => ("text" in piece ? (sub ? piece.text.replace(/\$\{/gu, "${!") : piece.text) : piece.written))
    .join("")
    .replace(/\*+/gu, "*");
  return sub ? { "Fn::Sub": text } : text;
}

/** How `Fn::Sub` writes a symbolic part: `${AWS::Region}`, `${Orders}`, `${Jobs.Arn}`; undefined for a run-time part. */
function subSpelling(part: Extract<Part, { symbol: string }>, template: Template): string | undefined {
  const { expr } = part;
  if (expr.kind === "ref" && (expr.target.startsWith("AWS::") || template.parameters.has(expr.target))) return `\${${expr.target}}`;
  if (expr.kind === "ref" && REF_IS_NAME.has(template.resources.get(expr.target)?.type ?? "")) return `\${${expr.target}}`;
  if (
    expr.kind === "getatt" &&
    template.resources.has(expr.resource) &&
    !DEPENDS_ON_ROLE.has(template.resources.get(expr.resource)!.type)
  ) {
    // A resource's name, as the model spells it, is its Ref for the types whose Ref is the name.
    if (expr.attribute === "Name") return REF_IS_NAME.has(template.resources.get(expr.resource)!.type) ? `\${${expr.resource}}` : undefined;
    return `\${${expr.resource}.${expr.attribute}}`;
  }
  return undefined;
}
