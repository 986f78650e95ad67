import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/language/parse.js";
import { canHoldTogether } from "../../src/template/conditions.js";
import type { Expr } from "../../src/template/expr.js";
import { canonical, interpolate, partsDisplay } from "../../src/template/interpolation.js";
import type { Template } from "../../src/template/model.js";
import { buildTemplate } from "../../src/template/model.js";

function model(text: string): Template {
  const outcome = parseTemplate(text);
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return buildTemplate(outcome.ast);
}

/** The expression of property `name` of resource `R` in a one-resource template. */
function property(value: string, name = "Value"): Expr {
  const template = model(`Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n      ${name}: ${value}\n`);
  return template.resources.get("R")!.properties!.entries.get(name)!.value;
}

describe("intrinsic values", () => {
  it.each([
    ["!GetAtt Q.Arn", '{"Fn::GetAtt": [Q, Arn]}'],
    ["!GetAtt Q.Arn", "!GetAtt [Q, Arn]"],
    ["!GetAtt Q.Arn", '!Sub "${Q.Arn}"'],
    ["!Ref Q", '{"Ref": Q}'],
    ["plain-text", '!Sub "plain-text"'],
    [
      "!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Q.QueueName}",
      '!Join [":", [arn, !Ref "AWS::Partition", sqs, !Ref "AWS::Region", !Ref "AWS::AccountId", !GetAtt Q.QueueName]]',
    ],
    ['!Sub ["${A}-x", {A: !Ref B}]', '!Sub "${B}-x"'],
    ["!ImportValue shared", '{"Fn::ImportValue": shared}'],
  ])("%s and %s are the same value", (left, right) => {
    expect(canonical(property(left))).toBe(canonical(property(right)));
  });

  it.each([
    ["!GetAtt Q.Arn", "!GetAtt Q.QueueName"],
    ["!Ref Q", "Q"],
    ["!ImportValue a", "!ImportValue b"],
  ])("%s and %s are not proven equal", (left, right) => {
    expect(canonical(property(left))).not.toBe(canonical(property(right)));
  });

  it("never equates two opaque values, even when they are written alike", () => {
    const template = model("Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties: {A: !Include x.yaml, B: !Include x.yaml}\n");
    const entries = template.resources.get("R")!.properties!.entries;
    expect(canonical(entries.get("A")!.value)).not.toBe(canonical(entries.get("B")!.value));
  });

  it("keeps `${!Literal}` as literal text", () => {
    expect(partsDisplay(interpolate(property('!Sub "${!Keep}-${Name}"'))!)).toBe("${Keep}-${Name}");
  });

  it("reads a dynamic reference as one value known only at deploy time, in a literal and in a Sub", () => {
    for (const written of ["'arn:aws:sqs:{{resolve:ssm:queue:1}}'", "!Sub 'arn:${AWS::Partition}:sqs:{{resolve:ssm:queue:1}}'"]) {
      const parts = interpolate(property(written))!;
      expect(parts.at(-1)).toMatchObject({ symbol: "{Resolve:{{resolve:ssm:queue:1}}}" });
      expect(
        parts
          .filter((part) => "text" in part)
          .map((part) => (part as { text: string }).text)
          .join(""),
      ).not.toContain("resolve");
    }
    expect(interpolate(property("plain-name"))).toEqual([{ text: "plain-name" }]);
  });

  it("marks cfn-include and unknown functions opaque", () => {
    expect(property("!Include x.yaml")).toMatchObject({ kind: "opaque", reason: "the !Include tag is not CloudFormation" });
    expect(property('{"Fn::Map": [[a], x]}')).toMatchObject({ kind: "opaque", reason: "Fn::Map is not a CloudFormation function" });
  });
});

describe("conditions", () => {
  const template = model(`
Parameters:
  Env: {Type: String}
  Size: {Type: String, AllowedValues: [small, large]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [dev, !Ref Env]
  NotProd: !Not [!Condition IsProd]
  IsSmall: !Equals [!Ref Size, small]
  IsLarge: !Equals [!Ref Size, large]
  IsMedium: !Equals [!Ref Size, medium]
  ProdOrDev: !Or [!Condition IsProd, !Condition IsDev]
  Unreadable: !Equals [!Select [0, !Ref List], !Include x.yaml]
Resources:
  T: {Type: AWS::SNS::Topic}
`);
  const holdTogether = (...names: string[]) =>
    canHoldTogether(
      template,
      names.map((name) => (name.startsWith("!") ? { condition: name.slice(1), value: false } : { condition: name, value: true })),
    );

  it.each([
    [["IsProd", "IsDev"], false],
    [["IsProd", "NotProd"], false],
    [["IsProd", "!IsDev"], true],
    [["!IsSmall", "!IsLarge"], false],
    [["IsMedium"], false],
    [["ProdOrDev", "!IsProd", "!IsDev"], false],
    [["ProdOrDev", "IsSmall"], true],
    [["Unknown"], undefined],
  ] as const)("%j can hold together: %s", (names, expected) => {
    expect(holdTogether(...names)).toBe(expected);
  });
});

describe("SAM Globals", () => {
  const template = model(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    Role: arn:aws:iam::123456789012:role/not-allowed-in-globals
    Environment:
      Variables: {TABLE: orders, STAGE: prod}
    Layers: [arn:aws:lambda:us-east-1:123456789012:layer:a:1]
    Tracing: !If [IsProd, Active, PassThrough]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables: {STAGE: dev}
      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:b:1]
      Tracing: Active
  Plain:
    Type: AWS::Lambda::Function
    Properties: {}
`);
  const fn = template.resources.get("Fn")!.properties!;
  const text = (expr: Expr | undefined) => (expr ? canonical(expr) : undefined);

  it("merges maps key by key with the function winning", () => {
    const variables = fn.entries.get("Environment")!.value;
    expect(text(variables)).toBe('{"Variables":{"TABLE":"orders","STAGE":"dev"}}');
  });

  it("concatenates lists, globals first", () => {
    expect(text(fn.entries.get("Layers")!.value)).toBe(
      '["arn:aws:lambda:us-east-1:123456789012:layer:a:1","arn:aws:lambda:us-east-1:123456789012:layer:b:1"]',
    );
  });

  it("lets the function's value replace a global intrinsic", () => {
    expect(text(fn.entries.get("Tracing")!.value)).toBe('"Active"');
  });

  it("adds global properties the function does not set, but never Role, Policies, FunctionName or Events", () => {
    expect(text(fn.entries.get("Runtime")!.value)).toBe('"nodejs22.x"');
    expect(fn.entries.has("Role")).toBe(false);
  });

  it("applies only to SAM resources", () => {
    expect(template.resources.get("Plain")!.properties!.entries.size).toBe(0);
    expect(template.isSam).toBe(true);
  });
});

describe("YAML merge keys, as sam deploy and aws cloudformation package read them", () => {
  const text = `Resources:
  Base:
    Type: AWS::SNS::Topic
    Properties: &base {TopicName: base, DisplayName: base}
  Extra:
    Type: AWS::SNS::Topic
    Properties: &extra {TopicName: extra, FifoTopic: true}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: own
      <<: [*base, *extra]
  Shared: &shared
    Type: AWS::SQS::Queue
  Queue:
    <<: *shared
`;
  const template = model(text);
  const entries = (id: string) =>
    Object.fromEntries(
      [...template.resources.get(id)!.properties!.entries].map(([key, entry]) => [
        key,
        entry.value.kind === "literal" ? entry.value.text : entry.value.kind,
      ]),
    );

  it("merge the bases' entries; the mapping's own keys win, then earlier bases", () => {
    expect(entries("Topic")).toEqual({ DisplayName: "own", TopicName: "base", FifoTopic: "true" });
  });

  it("make a resource whose whole body is merged a resource of the base's type", () => {
    expect(template.resources.get("Queue")?.type).toBe("AWS::SQS::Queue");
  });
});

describe("positions", () => {
  it("the argument of a short-form intrinsic keeps its position (the node without its tag)", () => {
    const call = property("!ImportValue shared-topic");
    expect(call.kind === "call" && call.argument.node.loc).toEqual({ start: { line: 5, column: 14 }, end: { line: 5, column: 39 } });
  });
});
