import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import plugin from "../../src/index.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/serverless-patterns", import.meta.url));

/** Lints with every rule; throws if ESLint or a rule throws. */
function lint(text: string, filename = "template.yaml") {
  const rules: Linter.RulesRecord = Object.fromEntries(Object.keys(plugin.rules).map((name) => [`lambda-iam/${name}`, "error" as const]));
  return new Linter({ configType: "flat" }).verify(
    text,
    [{ files: ["**/*.yaml", "**/*.json"], plugins: { "lambda-iam": plugin as never }, language: "lambda-iam/cloudformation", rules }],
    filename,
  );
}

/** Every message has a position in the file; a fatal one is the only message. */
function expectLocated(messages: Linter.LintMessage[]) {
  for (const message of messages) {
    expect(message.line).toBeGreaterThanOrEqual(1);
    expect(message.column).toBeGreaterThanOrEqual(1);
  }
  if (messages.some((message) => message.fatal)) expect(messages).toHaveLength(1);
}

const TEMPLATE =
  'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Role: !GetAtt R.Arn}\n';

describe("bad input gets a located message or none, never a crash", () => {
  it.each([
    ["an empty file", "", 0],
    ["only a comment", "# nothing here\n", 0],
    ["a binary file", "\u0000\u0001\u0002AWSTemplateFormatVersion", 1],
    ["a byte order mark", `\uFEFF${TEMPLATE}`, 0],
    ["CRLF line ends", TEMPLATE.replace(/\n/gu, "\r\n"), 0],
    ["a lone tag", "AWSTemplateFormatVersion: x\nResources: !Ref\n", 0],
    ["Resources that is a list", "AWSTemplateFormatVersion: x\nResources: [a, b]\n", 0],
    ["a resource that is a string", "AWSTemplateFormatVersion: x\nResources:\n  A: just text\n", 0],
    ["Properties that are null", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n", 0],
    ["a Role that is a list of lists", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Role: [[1, 2], {a: b}]}\n", 0],
    [
      "every intrinsic malformed",
      "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Role: !GetAtt [], Code: !Sub [1, 2, 3], Layers: !If [], Environment: !Join x}\n",
      0,
    ],
    ["a merge key", "Resources:\n  Base: &base {Type: AWS::SNS::Topic}\n  Topic:\n    <<: *base\n", 0],
    ["a key that is a mapping", "Resources:\n  ? {a: b}\n  : {Type: AWS::SNS::Topic}\n", 0],
  ])("%s", (_name, text, fatal) => {
    const messages = lint(text);
    expectLocated(messages);
    expect(messages.filter((message) => message.fatal)).toHaveLength(fatal);
  });

  it("an alias bomb is refused in well under a second", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    const started = performance.now();
    const messages = lint(`AWSTemplateFormatVersion: x\n${levels.join("\n")}\n`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(messages).toMatchObject([{ fatal: true, line: 8, message: expect.stringContaining("alias bomb") }]);
  });

  it("a template nested 500 levels deep is read", () => {
    const deep = `${TEMPLATE}    Metadata: ${"{a: ".repeat(500)}1${"}".repeat(500)}\n`;
    expectLocated(lint(deep));
  });

  it("a template nested far deeper gets one located message", () => {
    const messages = lint(`AWSTemplateFormatVersion: x\nResources: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(messages).toMatchObject([{ fatal: true, line: 2 }]);
  });

  it("a data file with 200,000 list items stays silent, and so does a template that holds them", () => {
    const items = Array.from({ length: 200_000 }, (_, index) => index);
    expect(lint(`items:\n${items.map((item) => `  - ${item}\n`).join("")}`, "data.yaml")).toEqual([]);
    const template = {
      AWSTemplateFormatVersion: "2010-09-09",
      Metadata: { Items: items },
      Resources: { Queue: { Type: "AWS::SQS::Queue", DependsOn: items.map((item) => `R${item}`) } },
    };
    const messages = lint(JSON.stringify(template), "template.json");
    expectLocated(messages);
    expect(messages.filter((message) => message.fatal)).toEqual([]);
  });

  describe("a Role that is a deep tree of Fn::If", () => {
    const conditions = Array.from({ length: 8 }, (_, i) => `  C${i + 1}: !Equals [!Ref AWS::Region, r${i + 1}]`).join("\n");
    const role = (value: string) => `AWSTemplateFormatVersion: "2010-09-09"
Conditions:
${conditions}
Resources:
  RoleA:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}}
  RoleB:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      Role: ${value}
`;

    it("built from anchors, gives each finding once, at the function's Role", () => {
      const anchors = [
        "L0: &l0 !GetAtt RoleA.Arn",
        ...Array.from({ length: 8 }, (_, i) => `L${i + 1}: &l${i + 1} !If [C${i + 1}, *l${i}, *l${i}]`),
      ];
      const text = role("*l8").replace("Resources:\n", `Metadata:\n${anchors.map((line) => `  ${line}`).join("\n")}\nResources:\n`);
      const messages = lint(text).map(({ ruleId, line, column }) => [ruleId, line, column]);
      const roleLine = text.split("\n").findIndex((line) => line.includes("Role: *l8")) + 1;
      expect(messages).toContainEqual(["lambda-iam/execution-role-trust", roleLine, 13]);
      expect(new Set(messages.map((message) => JSON.stringify(message))).size).toBe(messages.length);
    });

    it("written out in full with one role in every branch, gives each finding once", () => {
      let tree = "!GetAtt RoleA.Arn";
      for (let i = 1; i <= 8; i++) tree = `!If [C${i}, ${tree}, ${tree}]`;
      expect(lint(role(tree)).filter((message) => message.ruleId === "lambda-iam/execution-role-trust")).toHaveLength(2);
    });

    it("with more distinct branches than are enumerated (256), is unknown: no finding", () => {
      let tree = "!GetAtt RoleA.Arn";
      const swapped = (text: string) => text.replace(/Role([AB])/gu, (_name, letter: string) => `Role${letter === "A" ? "B" : "A"}`);
      for (let i = 1; i <= 8; i++) tree = `!If [C${i}, ${tree}, ${swapped(tree)}]`;
      expect(lint(role(tree)).filter((message) => message.ruleId === "lambda-iam/execution-role-trust")).toEqual([]);
      expect(
        lint(role("!If [C1, !GetAtt RoleA.Arn, !GetAtt RoleB.Arn]")).filter(
          (message) => message.ruleId === "lambda-iam/execution-role-trust",
        ),
      ).toHaveLength(4);
    });

    it("of any shape finishes and never repeats a message", () => {
      const leaf = fc.constantFrom(
        "!GetAtt RoleA.Arn",
        "!GetAtt RoleB.Arn",
        "!Ref AWS::NoValue",
        "!ImportValue shared-role",
        "arn:aws:iam::123456789012:role/other",
      );
      const tree = fc.letrec<{ node: string }>((tie) => ({
        node: fc.oneof(
          { depthSize: "medium" },
          leaf,
          fc.tuple(fc.integer({ min: 1, max: 8 }), tie("node"), tie("node")).map(([c, a, b]) => `!If [C${c}, ${a}, ${b}]`),
        ),
      })).node;
      fc.assert(
        fc.property(tree, (value) => {
          const messages = lint(role(value)).map(({ ruleId, line, column, message }) => JSON.stringify([ruleId, line, column, message]));
          expect(new Set(messages).size).toBe(messages.length);
        }),
        { numRuns: 100 },
      );
    });
  });

  it("a 5 MB template is linted", { timeout: 60_000 }, () => {
    const parts = [TEMPLATE];
    let length = TEMPLATE.length;
    for (let index = 0; length < 5 * 1024 * 1024; index++) {
      const part = `  Topic${index}:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: topic-${index}, DisplayName: "${"x".repeat(200)}"}\n`;
      parts.push(part);
      length += part.length;
    }
    const messages = lint(parts.join(""));
    expectLocated(messages);
    expect(messages.filter((message) => message.fatal)).toEqual([]);
  });

  it.each([
    ["a Kubernetes manifest", "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n---\nkind: Service\n"],
    ["docker compose", "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n"],
    ["a GitHub workflow", "name: ci\non: [push]\njobs: {test: {runs-on: ubuntu-latest, steps: [{run: npm test}]}}\n"],
    ["an OpenAPI document", "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n"],
    ["a JSON array", "[1, 2, 3]"],
    ["a JSON string", '"text"'],
    ["package.json", '{"name": "x", "dependencies": {"a": "1"}}'],
    ["a broken Helm chart", "kind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n  labels: [\n"],
  ])("%s stays silent", (_name, text) => {
    expect(lint(text, text.startsWith("{") || text.startsWith("[") || text.startsWith('"') ? "file.json" : "file.yaml")).toEqual([]);
  });
});

/** A JSON value with CloudFormation intrinsics in long form, as a mutation may write them. */
const intrinsic = fc.oneof(
  fc.record({ Ref: fc.constantFrom("Fn", "Role", "AWS::Region", "Missing", "") }),
  fc.record({ "Fn::GetAtt": fc.oneof(fc.constant(["Role", "Arn"]), fc.constant("Fn.Arn"), fc.constant([]), fc.string()) }),
  fc.record({
    "Fn::Sub": fc.oneof(fc.string(), fc.constant("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}"), fc.constant([1, 2])),
  }),
  fc.record({ "Fn::If": fc.constantFrom(["C", "a", "b"], ["C"], "x") }),
  fc.record({ "Fn::Include": fc.string() }),
  fc.record({ "Fn::Join": fc.constantFrom(["", ["a", { Ref: "X" }]], "bad") }),
);
const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.constant([]),
  fc.constant({}),
  intrinsic,
  fc.constant("x".repeat(10_000)),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a JSON document. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const children = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function mutate(document: Json, path: Array<string | number>, kind: string, replacement: unknown): Json {
  const copy = structuredClone(document);
  if (path.length === 0) return copy;
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key]!;
  const last = path[path.length - 1]!;
  const container = parent as Record<string | number, Json>;
  if (kind === "delete" && !Array.isArray(parent)) delete container[last];
  else if (kind === "nest") container[last] = JSON.parse(`${"[".repeat(50)}${JSON.stringify(container[last] ?? null)}${"]".repeat(50)}`);
  else container[last] = replacement as Json;
  return copy;
}

const corpusTemplates = existsSync(corpus)
  ? readdirSync(corpus)
      .sort()
      .filter((_, index) => index % 25 === 0)
      .map((file) => readFileSync(path.join(corpus, file), "utf8"))
  : [];

describe.skipIf(corpusTemplates.length === 0)("mutated corpus templates", () => {
  // Tags become long-form intrinsics, so the mutated documents are plain JSON.
  const documents = corpusTemplates
    .map((text) => {
      try {
        const longForm = (name: string) => (name === "Ref" || name === "Condition" ? name : `Fn::${name}`);
        const customTags = [
          "Ref",
          "GetAtt",
          "Sub",
          "Join",
          "If",
          "Select",
          "Split",
          "FindInMap",
          "ImportValue",
          "Equals",
          "Not",
          "And",
          "Or",
          "Condition",
          "Base64",
          "GetAZs",
          "Cidr",
        ].flatMap((name) => [
          { tag: `!${name}`, resolve: (value: string) => ({ [longForm(name)]: value }) },
          {
            tag: `!${name}`,
            collection: "seq" as const,
            resolve: (value: { toJSON(): unknown }) => ({ [longForm(name)]: value.toJSON() }),
          },
          {
            tag: `!${name}`,
            collection: "map" as const,
            resolve: (value: { toJSON(): unknown }) => ({ [longForm(name)]: value.toJSON() }),
          },
        ]);
        return parse(text, { customTags: customTags as never, logLevel: "error" }) as Json;
      } catch {
        return undefined;
      }
    })
    .filter((document): document is Exclude<Json, null> => document !== undefined && typeof document === "object" && document !== null);

  it("never crash and never leave a message without a position", { timeout: 120_000 }, () => {
    expect(documents.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(
        fc.nat({ max: documents.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "replace", "nest"), junk), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (which, mutations, asJson) => {
          let document: Json = documents[which]!;
          for (const [pick, kind, replacement] of mutations) {
            const all = paths(document);
            document = mutate(document, all[pick % all.length]!, kind, replacement);
          }
          const text = asJson ? JSON.stringify(document, null, 2) : stringify(document);
          expectLocated(lint(text, asJson ? "template.json" : "template.yaml"));
        },
      ),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it("duplicate keys give one located message", () => {
    const text = JSON.stringify(documents[0], null, 2).replace(/\n {2}"Resources": \{/u, '\n  "Resources": {},\n  "Resources": {');
    expect(lint(text, "template.json")).toMatchObject([{ fatal: true, message: expect.stringContaining('Duplicate key "Resources"') }]);
  });
});
