import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePattern, compileValue, matchPattern, tokenize } from "../../../src/analyzers/iam/arn-pattern.js";
import { PermissionIndex } from "../../../src/analyzers/iam/evaluate.js";
import type { Statement } from "../../../src/analyzers/iam/policy.js";
import { readPolicyDocument } from "../../../src/analyzers/iam/policy.js";
import { ResourceValues } from "../../../src/template/resource-values.js";
import { toExpr } from "../../../src/template/expr.js";
import { buildTemplate } from "../../../src/template/model.js";
import { syntheticNode } from "../../../src/template/synthetic.js";

const here = { range: [0, 0] as [number, number], loc: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
const values = new ResourceValues(buildTemplate({ type: "Document", body: null, isTemplate: false, ...here }));

const ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "s3:GetObject", "s3:PutObject"];
const ACTION_PATTERNS = [...ACTIONS, "sqs:*", "*", "sqs:Receive*", "s3:?etObject", "S3:getobject"];
const RESOURCES = ["arn:aws:sqs:us-east-1:111122223333:jobs", "arn:aws:sqs:us-east-1:111122223333:mail", "arn:aws:s3:::bucket/key"];
const RESOURCE_PATTERNS = [...RESOURCES, "*", "arn:aws:sqs:*:*:jobs*", "arn:aws:s3:::bucket/*", "arn:aws:sqs:us-east-1:111122223333:?ail"];

const statementArbitrary = fc.record({
  Effect: fc.constantFrom("Allow", "Deny"),
  actionKey: fc.constantFrom("Action", "NotAction"),
  actions: fc.subarray(ACTION_PATTERNS, { minLength: 1 }),
  resourceKey: fc.constantFrom("Resource", "NotResource"),
  resources: fc.subarray(RESOURCE_PATTERNS, { minLength: 1 }),
});

type StatementSpec = { Effect: string; actionKey: string; actions: string[]; resourceKey: string; resources: string[] };

function statements(specs: StatementSpec[]): Statement[] {
  const document = {
    Statement: specs.map((spec) => ({ Effect: spec.Effect, [spec.actionKey]: spec.actions, [spec.resourceKey]: spec.resources })),
  };
  return readPolicyDocument(toExpr(syntheticNode(document, here)), { label: "test policy", at: here }, values).statements;
}

function decide(specs: StatementSpec[], action: string, resource: string) {
  return new PermissionIndex({ role: "R", statements: statements(specs), boundary: undefined, unknown: [] }).evaluate(action, [
    { text: resource },
  ]).outcome;
}

describe("evaluation properties", () => {
  it("adding an Allow never turns allowed into anything else", () => {
    fc.assert(
      fc.property(
        fc.array(statementArbitrary, { maxLength: 6 }),
        statementArbitrary,
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...RESOURCES),
        (specs, extra, action, resource) => {
          fc.pre(decide(specs, action, resource) === "allowed");
          expect(decide([...specs, { ...extra, Effect: "Allow" }], action, resource)).toBe("allowed");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("adding a Deny never turns denied into allowed", () => {
    fc.assert(
      fc.property(
        fc.array(statementArbitrary, { maxLength: 6 }),
        statementArbitrary,
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...RESOURCES),
        (specs, extra, action, resource) => {
          fc.pre(decide(specs, action, resource) === "denied");
          expect(decide([...specs, { ...extra, Effect: "Deny" }], action, resource)).toBe("denied");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("literal statements never leave the answer unknown", () => {
    fc.assert(
      fc.property(
        fc.array(statementArbitrary, { maxLength: 6 }),
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...RESOURCES),
        (specs, action, resource) => {
          expect(decide(specs, action, resource)).not.toBe("unknown");
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("wildcard matching", () => {
  /** IAM's matching, written the obvious way: `*` any run, `?` one character, everything else literal. */
  function reference(pattern: string, value: string): boolean {
    const source = [...pattern]
      .map((char) => (char === "*" ? "[\\s\\S]*" : char === "?" ? "[\\s\\S]" : char.replace(/[.+^${}()|[\]\\]/gu, "\\$&")))
      .join("");
    return new RegExp(`^${source}$`, "u").test(value);
  }

  it("agrees with the reference on literal values", () => {
    const alphabet = fc.constantFrom("a", "b", ":", "/", "*", "?");
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom("a", "b", ":", "/"), maxLength: 8 }),
        (pattern, value) => {
          const expected = reference(pattern, value) ? "yes" : "no";
          // Through the regular expression that literal patterns compile to, and through the token matcher.
          expect(matchPattern(compilePattern([{ text: pattern }]), compileValue([{ text: value }]))).toBe(expected);
          const tokensOnly = (tokens: ReturnType<typeof tokenize>) => ({ tokens, literal: undefined });
          expect(matchPattern(tokensOnly(tokenize([{ text: pattern }], true)), tokensOnly(tokenize([{ text: value }], false)))).toBe(
            expected,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never says no when some value of a symbol would match", () => {
    const alphabet = fc.constantFrom("a", "b", "/", "*");
    // A parameter may hold any text; a generated name is never empty and holds no "/" or ":".
    const symbols = [
      { symbol: "{Ref:Param}", values: fc.string({ unit: fc.constantFrom("a", "/"), maxLength: 3 }) },
      { symbol: "{Name:Q}", values: fc.string({ unit: fc.constantFrom("a", "-"), minLength: 1, maxLength: 3 }) },
    ];
    for (const { symbol, values } of symbols) {
      fc.assert(
        fc.property(
          fc.string({ unit: alphabet, maxLength: 6 }),
          fc.string({ unit: fc.constantFrom("a", "b", "/"), maxLength: 3 }),
          values,
          (pattern, prefix, symbolValue) => {
            const symbolic = compileValue([{ text: prefix }, { symbol, expr: undefined as never }]);
            // A generated name is never text the template's author wrote: only a wildcard in its segment may cover it.
            const lastSegment = pattern.slice(pattern.lastIndexOf("/") + 1);
            if (symbol.startsWith("{Name:") && !lastSegment.includes("*")) return;
            if (reference(pattern, prefix + symbolValue))
              expect(matchPattern(compilePattern([{ text: pattern }]), symbolic)).not.toBe("no");
          },
        ),
        { numRuns: 2000 },
      );
    }
  });

  it("keeps a one-segment value (an API stage) within its segment", () => {
    const value = compileValue([{ text: "api/" }, { symbol: "{Segment:Get.Stage}", expr: undefined as never }, { text: "/GET/orders" }]);
    expect(matchPattern(compilePattern([{ text: "api/*/POST/*" }]), value)).toBe("no");
    expect(matchPattern(compilePattern([{ text: "api/prod/GET/orders" }]), value)).toBe("maybe");
    expect(matchPattern(compilePattern([{ text: "api/*/GET/orders" }]), value)).toBe("yes");
    // Any other deploy-time value may hold a "/".
    const open = compileValue([{ text: "api/" }, { symbol: "{Attribute:Get.Stage}", expr: undefined as never }, { text: "/GET/orders" }]);
    expect(matchPattern(compilePattern([{ text: "api/*/POST/*" }]), open)).toBe("maybe");
  });

  it("never lets one resource's generated name cover another's", () => {
    const arn = (name: string, suffix: string) => [
      { text: "arn:aws:sqs:us-east-1:123456789012:" },
      { symbol: name, expr: undefined as never },
      { text: suffix },
    ];
    expect(matchPattern(compilePattern(arn("{Name:Other}", "")), compileValue(arn("{Name:Queue}", "")))).toBe("no");
    expect(matchPattern(compilePattern(arn("{Name:Other}", "*")), compileValue(arn("{Name:Queue}", "")))).toBe("no");
    expect(matchPattern(compilePattern(arn("{Name:Queue}", "")), compileValue(arn("{Name:Queue}", "")))).toBe("yes");
    // A parameter could hold the generated name; "*" covers it.
    expect(matchPattern(compilePattern(arn("{Ref:Param}", "")), compileValue(arn("{Name:Queue}", "")))).toBe("maybe");
    expect(matchPattern(compilePattern([{ text: "arn:aws:sqs:us-east-1:123456789012:*" }]), compileValue(arn("{Name:Queue}", "")))).toBe(
      "yes",
    );
  });
});
