import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import { mayAdd } from "../../template/model.js";
import type { Resource, Template } from "../../template/types.js";
import type { Tri } from "./arn-pattern.js";
import { actionMatcher, compileValue, matchPattern } from "./arn-pattern.js";
import type { QuestionResource } from "./evaluate.js";
import { readPolicyDocument } from "./policy.js";
import { ROLE_ARN, rootAccount, writtenText } from "./principals.js";
import type { ResourceValues } from "../../template/resource-values.js";

/**
 * The resources that attach a policy to a resource of each service, and the resources whose own
 * property is a policy: the resource policies a call may be allowed by within one account.
 */
const ATTACHED: Record<string, Array<{ type: string; document: string; target: string; targetIsList?: true }>> = {
  s3: [{ type: "AWS::S3::BucketPolicy", document: "PolicyDocument", target: "Bucket" }],
  sqs: [
    { type: "AWS::SQS::QueuePolicy", document: "PolicyDocument", target: "Queues", targetIsList: true },
    { type: "AWS::SQS::QueueInlinePolicy", document: "PolicyDocument", target: "Queue" },
  ],
  sns: [
    { type: "AWS::SNS::TopicPolicy", document: "PolicyDocument", target: "Topics", targetIsList: true },
    { type: "AWS::SNS::TopicInlinePolicy", document: "PolicyDocument", target: "TopicArn" },
  ],
  secretsmanager: [{ type: "AWS::SecretsManager::ResourcePolicy", document: "ResourcePolicy", target: "SecretId" }],
  lambda: [{ type: "AWS::Lambda::ResourcePolicy", document: "Policy", target: "FunctionName" }],
};
const HELD: Record<string, Array<{ type: string; path: string[] }>> = {
  dynamodb: [{ type: "AWS::DynamoDB::Table", path: ["ResourcePolicy", "PolicyDocument"] }],
  kms: [{ type: "AWS::KMS::Key", path: ["KeyPolicy"] }],
};

/** The role that signs a call, as a resource policy of the template may name it. */
export interface SigningRole {
  /** The template that declares the role (a policy of another template can name it only by its ARN). */
  template: Template;
  logicalId: string | undefined;
}

/**
 * Whether a resource policy of the template may let a role of the same account do an action on a
 * resource (its target's logical id when the call names one), so that a call its identity policies do
 * not allow may still be allowed: in one account a resource policy that names the role allows it alone
 * (IAM policy evaluation logic; the SQS truth tables). A policy naming only the account delegates to
 * identity policies, and allows nothing by itself. "maybe" for whatever cannot be read, and for any
 * policy that a part not expanded (a macro, a loop) may add.
 */
export function resourcePolicyMayAllow(
  template: Template,
  values: ResourceValues,
  question: { service: string; action: string; resource: QuestionResource; target: string | undefined; role: SigningRole },
): boolean {
  const attached = ATTACHED[question.service] ?? [];
  const held = HELD[question.service] ?? [];
  const types = [...attached.map((entry) => entry.type), ...held.map((entry) => entry.type)];
  if (types.length > 0 && template.unexpanded.some((part) => mayAdd(part, types))) return true;
  for (const resource of template.resources.values()) {
    const documents: Array<{ document: Expr | undefined; on: Tri }> = [];
    for (const entry of attached) {
      if (resource.type !== entry.type) continue;
      const targets = entry.targetIsList
        ? listItems(entryOf(resource.properties, entry.target))
        : [entryOf(resource.properties, entry.target)];
      documents.push({
        document: entryOf(resource.properties, entry.document),
        on: anyOf(targets.map((target) => names(target, question.target, template))),
      });
    }
    for (const entry of held) {
      if (resource.type !== entry.type) continue;
      const document = entry.path.reduce<Expr | undefined>((value, key) => entryOf(value, key), resource.properties);
      documents.push({ document, on: question.target === undefined ? "maybe" : resource.logicalId === question.target ? "yes" : "no" });
    }
    if (resource.type === "AWS::Lambda::Permission" && question.service === "lambda") {
      if (permissionMayAllow(resource, question, template)) return true;
      continue;
    }
    for (const { document, on } of documents) {
      if (on === "no" || !document) continue;
      if (resource.propertiesUnknown || documentMayAllow(document, question, template, values)) return true;
    }
  }
  return false;
}

function anyOf(tris: Tri[]): Tri {
  return tris.includes("yes") ? "yes" : tris.includes("maybe") || tris.length === 0 ? "maybe" : "no";
}

/** Whether a policy's target value names the call's target: `!Ref Bucket`, `!GetAtt Queue.Arn`; a literal may. */
function names(value: Expr | undefined, target: string | undefined, template: Template): Tri {
  if (!value) return "maybe";
  const id = value.kind === "ref" ? value.target : value.kind === "getatt" ? value.resource : undefined;
  if (id !== undefined && template.resources.has(id)) return target === undefined ? "maybe" : id === target ? "yes" : "no";
  return "maybe";
}

/** Whether some Allow statement of a resource policy may apply to the role, the action and the resource. */
function documentMayAllow(
  document: Expr,
  question: { action: string; resource: QuestionResource; role: SigningRole },
  template: Template,
  values: ResourceValues,
): boolean {
  const statements = listItems(entryOf(document, "Statement"));
  if (statements.length === 0) return entryOf(document, "Statement") !== undefined;
  const read = readPolicyDocument(document, { label: "a resource policy", at: document.node! }, values);
  if (read.unreadable) return true;
  const resource = compileValue(question.resource === "*" ? [{ text: "*" }] : question.resource);
  return read.statements.some((statement, index) => {
    if (statement.effect !== "Allow") return false;
    const written = statements[index];
    if (!written || entryOf(written, "NotPrincipal")) return true;
    const action = statement.notAction
      ? "maybe"
      : anyOf(statement.actions.map((pattern) => ("unknown" in pattern ? "maybe" : pattern.matcher.test(question.action) ? "yes" : "no")));
    if (action === "no") return false;
    const covered = anyOf(
      statement.resources.map((pattern) => ("unknown" in pattern ? "maybe" : matchPattern(pattern.compiled, resource))),
    );
    if ((statement.notResource ? "maybe" : covered) === "no") return false;
    return principalMayBe(entryOf(written, "Principal"), question.role, template) !== "no";
  });
}

/** An `AWS::Lambda::Permission` for the role's principal: `lambda:InvokeFunction` (or `lambda:*`) by its ARN. */
function permissionMayAllow(permission: Resource, question: { action: string; role: SigningRole }, template: Template): boolean {
  const action = literalText(entryOf(permission.properties, "Action"));
  if (action !== undefined && !actionMatcher(action).test(question.action)) return false;
  return principalMayBe(entryOf(permission.properties, "Principal"), question.role, template) !== "no";
}

/**
 * Whether a principal entry may be the role: "*"; `!GetAtt Role.Arn` of its own template (another
 * resource's is not); a role ARN written out whose name may be the role's. An account, a service or a
 * federated principal is not the role (an account delegates to identity policies).
 */
function principalMayBe(principal: Expr | undefined, role: SigningRole, template: Template): Tri {
  if (!principal) return "maybe";
  if (literalText(principal) === "*") return "yes";
  if (principal.kind !== "object") return principalEntry(principal, role, template);
  let answer: Tri = "no";
  for (const [kind, { value }] of principal.entries) {
    if (kind !== "AWS") continue;
    for (const item of listItems(value)) {
      const entry = principalEntry(item, role, template);
      if (entry === "yes") return "yes";
      if (entry === "maybe") answer = "maybe";
    }
  }
  return answer;
}

function principalEntry(item: Expr, role: SigningRole, template: Template): Tri {
  if (item.kind === "getatt" || item.kind === "ref") {
    const id = item.kind === "getatt" ? item.resource : item.target;
    if (!template.resources.has(id)) return item.kind === "ref" && id === "AWS::AccountId" ? "no" : "maybe";
    return template === role.template && id === role.logicalId ? "yes" : "no";
  }
  const text = writtenText(item);
  if (text === undefined) return "maybe";
  if (text === "*") return "yes";
  if (rootAccount(text) !== undefined) return "no";
  const arn = ROLE_ARN.exec(text);
  if (!arn) return /^arn:[^:]*:iam::/u.test(text) ? "no" : "maybe";
  const declared = role.logicalId === undefined ? undefined : role.template.resources.get(role.logicalId);
  const name = declared ? literalText(entryOf(declared.properties, "RoleName")) : undefined;
  if (name === undefined || /\$\{/u.test(arn[2]!)) return "maybe";
  return arn[2]!.split("/").pop() === name ? "yes" : "no";
}
