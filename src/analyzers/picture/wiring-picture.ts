import type { Located, Subject } from "../finding.js";
import type { Analysis } from "../analysis.js";
import { allFindings } from "../all-findings.js";
import { checkRequirements } from "../iam/requirement-check.js";
import { PERMISSION_TYPES, covers, provablyPermitted } from "../wiring/permission-coverage.js";
import { invokesThroughRole } from "../wiring/invokers.js";
import { trustsService } from "../iam/trust.js";
import type { LambdaFunction, RoleCandidate } from "../wiring/functions.js";
import { roleKeyOf } from "../wiring/functions.js";
import type { Requirement } from "../wiring/requirement.js";
import type { Invoker } from "../wiring/invokers.js";
import { mayAdd } from "../../template/model.js";

type EdgeStatus = "proven" | "missing" | "unknown";

interface PictureNode {
  id: string;
  kind: "function" | "role" | "source" | "invoker" | "destination";
  label: string;
  /** Where it is written (1-based line and column). */
  line: number;
  column: number;
}

interface PictureEdge {
  from: string;
  to: string;
  /** What the arrow needs: the actions, or the permission. */
  needs: string;
  status: EdgeStatus;
  /** For a missing edge: the rule that reports it. */
  rule?: string;
  /** For an unknown edge: why it cannot be proven. */
  reason?: string;
}

/** The wiring of one template as a graph whose every edge says whether the template proves it. */
export interface WiringPicture {
  nodes: PictureNode[];
  edges: PictureEdge[];
}

/**
 * The wiring picture: every function, the roles it runs as (with what its configuration needs of them),
 * its event sources, its push invokers and URLs, and its destinations. An edge is missing when a rule
 * (of those `enabled`, all by default) reports it, unknown when the analysis cannot prove it, and proven otherwise.
 */
export function wiringPicture(analysis: Analysis, enabled?: (rule: string) => boolean): WiringPicture {
  const nodes = new Map<string, PictureNode>();
  const edges: PictureEdge[] = [];
  // Only the rules the user's configuration runs decide that an edge is missing.
  const findings = allFindings(analysis).filter(({ rule }) => enabled?.(rule) ?? true);
  /** The first rule whose finding (a proven one, not an "unverifiable" note) has this subject. */
  const reportedBy = (about: (subject: Subject) => boolean) =>
    findings.find(({ finding }) => finding.subject && finding.messageId !== "unverifiable" && about(finding.subject))?.rule;
  const node = (id: string, kind: PictureNode["kind"], label: string, at: Located) => {
    if (!nodes.has(id)) nodes.set(id, { id, kind, label, line: at.loc.start.line, column: at.loc.start.column });
    return id;
  };
  const { wiring } = analysis;
  for (const fn of analysis.functions) {
    const fnId = node(`function:${fn.logicalId}`, "function", fn.logicalId, fn.resource.node.key);
    // A shared role, ignored SAM policies or a policy's deploy order are no broken trust: not this edge's.
    const roleRule = reportedBy((subject) => subject.kind === "trust" && subject.functions.includes(fn.logicalId));
    for (const candidate of fn.candidates) {
      const role = roleKeyOf(fn, candidate);
      const roleId = node(role.key, "role", role.label, candidate.node ?? fn.resource.node.key);
      edges.push({
        from: fnId,
        to: roleId,
        needs: "runs as it (trusts lambda.amazonaws.com)",
        ...(roleRule ? { status: "missing", rule: roleRule } : trustStatus(analysis, candidate)),
      });
      for (const feature of wiring.features(fn)) {
        const isDestination = feature.name === "DeadLetterQueue" || feature.name === "Destinations";
        const target = isDestination
          ? node(
              `destination:${feature.requirements[0]?.resourceLabel ?? feature.label}`,
              "destination",
              `${feature.requirements[0]?.resourceLabel ?? feature.label} (${feature.label})`,
              feature.at,
            )
          : roleId;
        const rule = reportedBy(
          (subject) => subject.kind === "feature" && subject.function === fn.logicalId && subject.feature === feature.label,
        );
        edges.push({
          from: fnId,
          to: target,
          needs: `${feature.label}: ${actionsOf(feature.requirements)}`,
          ...(rule ? { status: "missing", rule } : requirementStatus(analysis, fn, feature.requirements, [candidate])),
        });
      }
    }
  }
  for (const mapping of wiring.eventSourceMappings) {
    const source = node(
      `source:${mapping.sourceResource ?? mapping.name}`,
      "source",
      `${mapping.sourceResource ?? mapping.name} (${mapping.type})`,
      mapping.at,
    );
    const requirements = wiring.mappingRequirements(mapping);
    const rule = reportedBy((subject) => subject.kind === "mapping" && subject.mapping === mapping.name);
    edges.push({
      from: source,
      to: `function:${mapping.fn.logicalId}`,
      needs: actionsOf(requirements),
      ...(rule ? { status: "missing", rule } : requirementStatus(analysis, mapping.fn, requirements)),
    });
  }
  for (const invoker of wiring.invokers) {
    const from = node(`invoker:${invoker.name}`, "invoker", `${invoker.name} (${invoker.kind})`, invoker.resource.node.key);
    const target = invoker.qualifier ? `${invoker.fn.logicalId}:${invoker.qualifier}` : invoker.fn.logicalId;
    const throughRole = invokesThroughRole(invoker);
    const needs = throughRole
      ? `lambda:InvokeFunction on ${target} through its role`
      : `lambda:InvokeFunction for ${invoker.facts.principals[0]} on ${target}`;
    const rule = reportedBy((subject) => subject.kind === "invoker" && subject.invoker === invoker.name);
    const status: Pick<PictureEdge, "status" | "rule" | "reason"> = rule
      ? { status: "missing", rule }
      : !throughRole && provablyPermitted(analysis.template, wiring.permissions, invoker, analysis.iam.values)
        ? { status: "proven" }
        : { status: "unknown", reason: throughRole ? "its role's grant is not proven" : whyNotProven(analysis, invoker) };
    edges.push({ from, to: `function:${invoker.fn.logicalId}`, needs, ...status });
  }
  // SAM push events (Api, S3, SNS, Schedule...): SAM generates each one's permission.
  for (const permission of wiring.permissions) {
    if (!permission.viaSam || permission.target.kind !== "function") continue;
    const { fn, qualifier } = permission.target;
    const event = permission.at.type === "Scalar" ? String(permission.at.value) : permission.logicalId;
    const from = node(`invoker:${fn.logicalId}.Events.${event}`, "invoker", `${fn.logicalId}.Events.${event} (SAM event)`, permission.at);
    edges.push({
      from,
      to: `function:${fn.logicalId}`,
      needs: `SAM's permission for ${permission.principal}${qualifier ? ` on ${fn.logicalId}:${qualifier}` : ""}`,
      ...(permission.replacedBy
        ? { status: "unknown", reason: `resource policy ${permission.replacedBy} replaces the permission SAM generates when it is updated` }
        : { status: "proven" }),
    });
  }
  for (const url of wiring.publicUrls) {
    const from = node(`invoker:${url.name}`, "invoker", `${url.name} (public function URL)`, url.at);
    const rule = reportedBy((subject) => subject.kind === "url" && subject.url === url.name);
    edges.push({
      from,
      to: `function:${url.fn.logicalId}`,
      needs: "lambda:InvokeFunctionUrl and lambda:InvokeFunction for *",
      ...(rule ? { status: "missing", rule } : { status: "proven" }),
    });
  }
  return { nodes: [...nodes.values()], edges: withUnexpanded(analysis, edges) };
}

/** A finding in handler code about what a function of the template needs of a role, where the code makes the call. */
export interface CodeGap {
  subject: Extract<Subject, { kind: "call" }>;
  rule: string;
  /** The code file, as the outputs show it, and the call's 1-based line and column. */
  file: string;
  line: number;
  column: number;
}

/**
 * The picture with what handler code needs of the roles drawn in: a missing edge from the function to
 * the role that signs the call (its execution role, or one it assumes, added when not drawn yet).
 */
export function withCodeGaps(picture: WiringPicture, gaps: CodeGap[]): WiringPicture {
  const nodes = [...picture.nodes];
  const edges = [...picture.edges];
  for (const { subject, rule, file, line, column } of gaps) {
    const fn = nodes.find((node) => node.id === `function:${subject.function}`);
    if (!fn) continue;
    if (!nodes.some((node) => node.id === subject.role.key)) {
      nodes.push({ id: subject.role.key, kind: "role", label: subject.role.label, line: fn.line, column: fn.column });
    }
    const needs = `code: ${subject.needs} (${file}:${line}:${column})`;
    if (edges.some((edge) => edge.from === fn.id && edge.to === subject.role.key && edge.needs === needs)) continue;
    edges.push({ from: fn.id, to: subject.role.key, needs, status: "missing", rule });
  }
  return { nodes, edges };
}

/**
 * What the template holds unexpanded may change what an edge stands on: a macro may rewrite anything, and
 * an include or loop that may add a Lambda permission or resource policy may replace an invoker's. Such
 * proven edges are unknown, with the part named.
 */
function withUnexpanded(analysis: Analysis, edges: PictureEdge[]): PictureEdge[] {
  const unexpanded = analysis.template.unexpanded;
  const rewriting = unexpanded.find((part) => part.rewrites);
  const permitting = unexpanded.find((part) => mayAdd(part, PERMISSION_TYPES));
  return edges.map((edge) => {
    const part = edge.status !== "proven" ? undefined : (rewriting ?? (edge.from.startsWith("invoker:") ? permitting : undefined));
    return part ? { ...edge, status: "unknown", reason: `${part.what}, which this linter does not expand, may change it` } : edge;
  });
}

function actionsOf(requirements: Requirement[]): string {
  return [...new Set(requirements.flatMap((requirement) => requirement.anyOf[0] ?? []))].join(", ");
}

/**
 * Proven when every role (of `candidates`: the edge's own role, or all the function may run as) allows
 * every requirement (no rule reported it), else unknown with the reason.
 */
function requirementStatus(
  analysis: Analysis,
  fn: LambdaFunction,
  requirements: Requirement[],
  candidates: RoleCandidate[] = fn.candidates,
): Pick<PictureEdge, "status" | "reason"> {
  const unknown = candidates.flatMap((candidate) => checkRequirements(analysis.iam, fn, candidate, requirements).unknown)[0];
  return unknown ? { status: "unknown", reason: unknown.reason } : { status: "proven" };
}

function trustStatus(analysis: Analysis, candidate: RoleCandidate): Pick<PictureEdge, "status" | "reason"> {
  // SAM generates a role that trusts Lambda.
  if (!candidate.node) return { status: "proven" };
  const role = candidate.identity?.logicalId ? analysis.template.resources.get(candidate.identity.logicalId) : undefined;
  const trust = role?.properties?.entries.get("AssumeRolePolicyDocument")?.value;
  if (!role || !trust) return { status: "unknown", reason: "the role is not declared in this template" };
  return trustsService(trust, "lambda.amazonaws.com").outcome === "trusted"
    ? { status: "proven" }
    : { status: "unknown", reason: "its trust policy cannot be read whole" };
}

/**
 * Why no permission provably lets an invoker call, by the first permission that might: it exists under
 * a condition, has a condition this linter does not evaluate, may be replaced by a resource policy, or
 * writes its SourceArn's partition as text where the invoker's ARN has the deployment's.
 */
function whyNotProven(analysis: Analysis, invoker: Invoker): string {
  const values = analysis.iam.values;
  const maybe = analysis.wiring.permissions.find(
    (permission) =>
      permission.effect === "Allow" &&
      (permission.target.kind === "unknown" || (permission.target.kind === "function" && permission.target.fn === invoker.fn)) &&
      covers(permission, invoker, values).match !== "no",
  );
  if (!maybe) return "no permission provably covers it";
  if (maybe.resource.condition) return `${maybe.name} exists only under condition ${maybe.resource.condition}`;
  if (maybe.otherConditions) return `${maybe.name} has a condition this linter does not evaluate`;
  if (maybe.replacedBy) return `resource policy ${maybe.replacedBy} may replace ${maybe.name}`;
  if (maybe.target.kind === "unknown") return `the function ${maybe.name} names cannot be read`;
  const written = maybe.sourceArn && values.parts(maybe.sourceArn);
  const first = written?.[0];
  if (first && "text" in first && /^arn:aws:/u.test(first.text)) {
    return `${maybe.name}'s SourceArn writes the partition as "aws", where the invoker's ARN has the deployment's (\${AWS::Partition})`;
  }
  return `${maybe.name} may not cover it (a value known only at deploy time)`;
}
