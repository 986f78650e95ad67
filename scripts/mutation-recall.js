// `npm run recall`: breaks real corpus templates in ways whose effect is certain by construction and
// reports the share of breaks the rules catch, as a user would feel it. Three breaks:
//   - delete the one permission that lets an invoker call its function (require-invoke-permission);
//   - swap that permission's principal for another service's (require-invoke-permission);
//   - point that permission's SourceArn at a sibling of the invoker (require-invoke-permission);
//   - point a role's grants on a mapping's queue, stream or table at a sibling resource of the same
//     type (event-source-permissions);
//   - where that source's or invoker's name is generated, grant or scope a name written as text instead
//     (event-source-permissions, require-invoke-permission);
//   - delete the permission and generate its invoker with an Fn::ForEach loop (require-invoke-permission);
//   - put the permission under a condition the invoker does not have (require-invoke-permission).
// A break is made only where the template leaves no other way for the permission to exist (no resource
// policy, SAM event, connector, unexpanded part, condition, managed or wildcard grant).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Analysis } from "../dist/analyzers/analysis.js";
import { allFindings } from "../dist/analyzers/all-findings.js";
import { discoverTemplates } from "../dist/cli/discover.js";
import { entryOf, listItems, literalText } from "../dist/template/expr.js";
import { parseTemplate } from "../dist/language/parse.js";

const corpus = fileURLToPath(new URL("../../shared/corpus", import.meta.url));
const roots = process.argv.length > 2 ? process.argv.slice(2) : [corpus];

function analyse(text) {
  const parsed = parseTemplate(text);
  return parsed.ok && parsed.ast.isTemplate ? new Analysis(parsed.ast, text) : undefined;
}

const edit = (text, [start, end], replacement) => text.slice(0, start) + replacement + text.slice(end);
/** Applies non-overlapping edits from right to left, so that each range still holds. */
const applyEdits = (text, edits) =>
  [...edits]
    .sort((a, b) => b.range[0] - a.range[0])
    .reduce((result, { range, text: replacement }) => edit(result, range, replacement), text);
const isJson = (text) => text.trimStart().startsWith("{");
/** Whether the rule reports the invoker or mapping (by its finding's subject: an edit moves what follows it). */
const reported = (analysis, rule, name) =>
  allFindings(analysis).some(({ rule: by, finding: { subject } }) => by === rule && (subject?.invoker ?? subject?.mapping) === name);

/** Invokers whose only way to be permitted is one AWS::Lambda::Permission: deleting or re-aiming it surely breaks them. */
function soleInvokePermissions(analysis) {
  const { template } = analysis;
  if (template.unexpanded.length > 0) return [];
  const permissions = analysis.wiring.permissions;
  const connected =
    template.resources.size > 0 &&
    [...template.resources.values()].some(
      (resource) => resource.type === "AWS::Serverless::Connector" || resource.definition.entries.has("Connectors"),
    );
  if (
    connected ||
    permissions.some(
      (permission) =>
        permission.target.kind === "unknown" || permission.viaSam || permission.resource.type === "AWS::Lambda::ResourcePolicy",
    )
  )
    return [];
  const result = [];
  for (const invoker of analysis.wiring.invokers) {
    if (invoker.callerRole || reported(analysis, "require-invoke-permission", invoker.name)) continue;
    const mine = permissions.filter((permission) => permission.target.kind === "function" && permission.target.fn === invoker.fn);
    if (mine.length !== 1) continue;
    const [permission] = mine;
    const principalOk = permission.principal !== undefined && invoker.facts.principals.includes(permission.principal);
    if (!principalOk || permission.action !== "lambda:InvokeFunction" || permission.resource.condition || !permission.principalExpr)
      continue;
    result.push({ invoker, permission });
  }
  return result;
}

/** Mappings whose role grants the source only through statements that name it: re-aiming them surely breaks the mapping. */
function soleSourceGrants(analysis) {
  const { template } = analysis;
  if (template.unexpanded.length > 0) return [];
  const result = [];
  for (const mapping of analysis.wiring.eventSourceMappings) {
    const source = mapping.sourceResource && template.resources.get(mapping.sourceResource);
    // A SAM event counts only with a declared Role: SAM's generated role holds the source's managed policy.
    if (
      (mapping.viaSam && !mapping.fn.candidates[0]?.node) ||
      !source ||
      !["SQS", "Kinesis", "DynamoDBStreams"].includes(mapping.type) ||
      mapping.consumer
    )
      continue;
    if (mapping.fn.candidates.length !== 1 || reported(analysis, "event-source-permissions", mapping.name)) continue;
    const roleId = mapping.fn.candidates[0].identity?.logicalId;
    const role = roleId && template.resources.get(roleId);
    if (!role || role.type !== "AWS::IAM::Role" || role.condition || entryOf(role.properties, "PermissionsBoundary")) continue;
    // Separate policies count when they are plain AWS::IAM::Policy resources attached by Roles: !Ref.
    const separate = [...template.resources.values()].filter((resource) =>
      /^AWS::IAM::(Policy|ManagedPolicy|RolePolicy)$/u.test(resource.type),
    );
    const attached = separate.filter((policy) =>
      listItems(entryOf(policy.properties, "Roles")).some((item) => item.kind === "ref" && item.target === roleId),
    );
    const managed = listItems(entryOf(role.properties, "ManagedPolicyArns")).filter(
      (arn) => !/AWSLambdaBasicExecutionRole$/u.test(literalText(arn) ?? ""),
    );
    if (
      attached.some((policy) => policy.type !== "AWS::IAM::Policy" || policy.condition) ||
      separate.some((policy) => !listItems(entryOf(policy.properties, "Roles")).every((item) => item.kind === "ref")) ||
      managed.length > 0
    )
      continue;
    const service = mapping.type === "SQS" ? "sqs:" : mapping.type === "Kinesis" ? "kinesis:" : "dynamodb:";
    const naming = [];
    let certain = true;
    const documents = [
      ...listItems(entryOf(role.properties, "Policies")).map((policy) => entryOf(policy, "PolicyDocument")),
      ...attached.map((policy) => entryOf(policy.properties, "PolicyDocument")),
    ];
    for (const document of documents) {
      for (const statement of listItems(entryOf(document, "Statement"))) {
        const actions = listItems(entryOf(statement, "Action")).map(literalText);
        if (!actions.some((action) => action === undefined || action === "*" || action.toLowerCase().startsWith(service))) continue;
        if (literalText(entryOf(statement, "Effect")) !== "Allow" || entryOf(statement, "NotResource") || entryOf(statement, "Condition"))
          certain = false;
        for (const resource of listItems(entryOf(statement, "Resource"))) {
          if (resource.kind === "getatt" && resource.resource === source.logicalId) naming.push(resource);
          else certain = false;
        }
      }
    }
    if (certain && naming.length > 0) result.push({ mapping, source, naming });
  }
  return result;
}

/** The resource types whose grants a written name replaces: their ARN with a name no generated name equals, and the property that would name them. */
const WRITTEN_NAMES = {
  SQS: { property: "QueueName", arn: "arn:aws:sqs:us-east-1:123456789012:mutant-written-name" },
  Kinesis: { property: "Name", arn: "arn:aws:kinesis:us-east-1:123456789012:stream/mutant-written-name" },
  DynamoDBStreams: { property: "TableName", arn: "arn:aws:dynamodb:us-east-1:123456789012:table/mutant-written-name" },
};

/** Literal text for the pseudo parameters an ARN holds. */
const PSEUDO_TEXT = { "{Ref:AWS::Partition}": "aws", "{Ref:AWS::Region}": "us-east-1", "{Ref:AWS::AccountId}": "123456789012" };

const tally = {
  "delete the permission": [0, 0],
  "swap its principal": [0, 0],
  "scope it to a sibling invoker": [0, 0],
  "grant a sibling resource": [0, 0],
  "grant a written name for a generated one": [0, 0],
  "scope it to a written name for a generated one": [0, 0],
  "delete the permission of a loop's invoker": [0, 0],
  "put the permission under a condition": [0, 0],
};
const misses = [];
function check(kind, file, mutated, rule, name) {
  const analysis = analyse(mutated);
  tally[kind][0]++;
  if (analysis && reported(analysis, rule, name)) tally[kind][1]++;
  else misses.push(`${kind}: ${path.relative(corpus, file)}`);
}

for (const file of discoverTemplates(roots, process.cwd())) {
  const text = readFileSync(file, "utf8");
  const analysis = analyse(text);
  if (!analysis) continue;
  const json = isJson(text);
  for (const { invoker, permission } of soleInvokePermissions(analysis)) {
    const placeholder = json ? '{"Type": "AWS::CloudFormation::WaitConditionHandle"}' : "{Type: AWS::CloudFormation::WaitConditionHandle}";
    check(
      "delete the permission",
      file,
      edit(text, permission.resource.node.value.range, placeholder),
      "require-invoke-permission",
      invoker.name,
    );
    const other = permission.principal === "sns.amazonaws.com" ? "s3.amazonaws.com" : "sns.amazonaws.com";
    check(
      "swap its principal",
      file,
      edit(text, permission.principalExpr.node.range, json ? `"${other}"` : other),
      "require-invoke-permission",
      invoker.name,
    );
    const looped = !json && loopEdits(text, analysis, invoker.resource);
    if (looped) {
      const deleted = { range: permission.resource.node.value.range, text: "{Type: AWS::CloudFormation::WaitConditionHandle}" };
      check(
        "delete the permission of a loop's invoker",
        file,
        applyEdits(text, [...looped, deleted]),
        "require-invoke-permission",
        `${invoker.name}Mutant`,
      );
    }
    const conditioned = !invoker.resource.condition && !invoker.fn.resource.condition && conditionEdits(text, analysis, permission, json);
    if (conditioned)
      check("put the permission under a condition", file, applyEdits(text, conditioned), "require-invoke-permission", invoker.name);
    const scope = permission.sourceArn;
    const named = scope && (scope.kind === "getatt" ? scope.resource : scope.kind === "ref" ? scope.target : undefined);
    if (named === invoker.resource.logicalId) {
      const reference =
        scope.kind === "getatt"
          ? json
            ? `{"Fn::GetAtt": ["MutantSibling", "${scope.attribute}"]}`
            : `!GetAtt MutantSibling.${scope.attribute}`
          : json
            ? '{"Ref": "MutantSibling"}'
            : "!Ref MutantSibling";
      const sibling = siblingEdit(
        text,
        invoker.resource,
        json,
        invoker.resource.type === "AWS::Events::Rule" ? "ScheduleExpression: rate(1 day)" : undefined,
      );
      const written = writtenArn(analysis, scope);
      if (written)
        check(
          "scope it to a written name for a generated one",
          file,
          edit(text, scope.node.range, JSON.stringify(written)),
          "require-invoke-permission",
          invoker.name,
        );
      if (sibling)
        check(
          "scope it to a sibling invoker",
          file,
          applyEdits(text, [{ range: scope.node.range, text: reference }, sibling]),
          "require-invoke-permission",
          invoker.name,
        );
    }
  }
  for (const { mapping, source, naming } of soleSourceGrants(analysis)) {
    const writtenName = writtenNameArn(source, mapping.type);
    if (writtenName) {
      const grants = naming.map((expr) => ({
        range: expr.node.range,
        text: JSON.stringify(expr.attribute === "StreamArn" ? `${writtenName}/stream/*` : writtenName),
      }));
      check("grant a written name for a generated one", file, applyEdits(text, grants), "event-source-permissions", mapping.name);
    }
    const sibling = siblingEdit(text, source, json);
    if (!sibling) continue;
    const grants = naming.map((expr) => ({
      range: expr.node.range,
      text: json ? `{"Fn::GetAtt": ["MutantSibling", "${expr.attribute}"]}` : `!GetAtt MutantSibling.${expr.attribute}`,
    }));
    check("grant a sibling resource", file, applyEdits(text, [...grants, sibling]), "event-source-permissions", mapping.name);
  }
}

/**
 * The ARN a reference stands for, written as text with "mutant-written-name" in place of the name
 * CloudFormation generates for it; undefined unless that name is generated and all else is known.
 */
function writtenArn(analysis, reference) {
  const parts = analysis.iam.values.parts(reference);
  if (!parts?.some((part) => part.symbol?.startsWith("{Name:"))) return undefined;
  const texts = parts.map((part) =>
    "text" in part ? part.text : part.symbol.startsWith("{Name:") ? "mutant-written-name" : PSEUDO_TEXT[part.symbol],
  );
  return texts.every((text) => text !== undefined) ? texts.join("") : undefined;
}

/** The written-name ARN for a source whose name CloudFormation generates (it sets no name property); undefined otherwise. */
function writtenNameArn(source, type) {
  const facts = WRITTEN_NAMES[type];
  return facts && !entryOf(source.properties, facts.property) ? facts.arn : undefined;
}

/** The offset of the line that holds a top-level key (YAML: at column 0; JSON: `"key":` indented at most 2), or -1. */
function topLevelKey(text, key, json = false) {
  const match = new RegExp(json ? `^ {0,2}"${key}"\\s*:` : `^${key}\\s*:`, "mu").exec(text);
  return match ? match.index : -1;
}

/**
 * Edits that generate a YAML resource with a one-value `Fn::ForEach` loop (its logical ID then ends
 * with "Mutant"), where the template has no Transform and the resource is a block entry of Resources.
 */
function loopEdits(text, analysis, resource) {
  const resources = topLevelKey(text, "Resources");
  if (topLevelKey(text, "Transform") !== -1 || resources === -1 || analysis.template.isSam) return undefined;
  const key = resource.node.key.range[0];
  const lineStart = text.lastIndexOf("\n", key - 1) + 1;
  const indent = text.slice(lineStart, key);
  if (!/^ +$/u.test(indent)) return undefined;
  const keyLineEnd = text.indexOf("\n", key);
  const end = resource.node.value.range[1];
  // The body's lines after the key's move 4 columns right, under the loop's third item.
  const body = keyLineEnd !== -1 && keyLineEnd < end ? text.slice(keyLineEnd, end).replace(/\n(?=.)/gu, "\n    ") : undefined;
  const loop = `Fn::ForEach::Mutant:\n${indent}  - MutantId\n${indent}  - [Mutant]\n${indent}  - ${resource.logicalId}\${MutantId}`;
  return [
    { range: [0, 0], text: "Transform: AWS::LanguageExtensions\n" },
    { range: [key, key + resource.logicalId.length], text: loop },
    ...(body ? [{ range: [keyLineEnd, end], text: body }] : []),
  ];
}

/**
 * Edits that put a permission under a new condition that a parameter-free choice (the Region) can make
 * false, where the template has no Conditions section yet (a second one would be a duplicate key).
 */
function conditionEdits(text, analysis, permission, json) {
  const resources = topLevelKey(text, "Resources", json);
  if (topLevelKey(text, "Conditions", json) !== -1 || resources === -1 || permission.resource.type !== "AWS::Lambda::Permission")
    return undefined;
  const type = permission.resource.definition.entries.get("Type")?.key;
  if (!type) return undefined;
  const before = text.slice(text.lastIndexOf("\n", type.range[0] - 1) + 1, type.range[0]);
  const flow = /[{,]\s*$/u.test(text.slice(0, type.range[0]));
  const condition = json
    ? '"Condition": "MutantCondition", '
    : flow
      ? "Condition: MutantCondition, "
      : /^ +$/u.test(before)
        ? `Condition: MutantCondition\n${before}`
        : undefined;
  if (!condition) return undefined;
  const section = json
    ? '"Conditions": {"MutantCondition": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}},\n'
    : "Conditions:\n  MutantCondition: !Equals [!Ref AWS::Region, us-east-1]\n";
  return [
    { range: [resources, resources], text: section },
    { range: [type.range[0], type.range[0]], text: condition },
  ];
}

/** An edit that inserts resource MutantSibling, of `resource`'s type, before it; undefined where it does not start a line. */
function siblingEdit(text, resource, json, property) {
  const key = resource.node.key.range[0];
  const lineStart = text.lastIndexOf("\n", key - 1) + 1;
  const indent = text.slice(lineStart, key);
  if (!/^\s*$/u.test(indent)) return undefined;
  const properties = property
    ? json
      ? `, "Properties": {${property.replace(/^(\w+): (.*)$/u, '"$1": "$2"')}}`
      : `, Properties: {${property}}`
    : "";
  const sibling = json
    ? `"MutantSibling": {"Type": "${resource.type}"${properties}},\n${indent}`
    : `MutantSibling: {Type: ${resource.type}${properties}}\n${indent}`;
  return { range: [key, key], text: sibling };
}

let made = 0;
let caught = 0;
for (const [kind, [count, found]] of Object.entries(tally)) {
  made += count;
  caught += found;
  console.log(`${kind}: ${found}/${count} caught${count ? ` (${((100 * found) / count).toFixed(0)}%)` : ""}`);
}
console.log(`all breaks: ${caught}/${made} caught${made ? ` (${((100 * caught) / made).toFixed(1)}%)` : ""}`);
for (const miss of misses.slice(0, 20)) console.log(`  missed: ${miss}`);
