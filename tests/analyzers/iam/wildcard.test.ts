import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WildcardPattern, actionMatcher } from "../../../src/analyzers/iam/arn-pattern.js";

/** IAM's wildcard semantics written as a regular expression: the reference on inputs small enough for it. */
function referenceRegExp(pattern: string, flags: string): RegExp {
  const source = [...pattern]
    .map((char) => (char === "*" ? "[\\s\\S]*" : char === "?" ? "[\\s\\S]" : char.replace(/[.+^${}()|[\]\\]/gu, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, flags);
}

describe("IAM wildcard patterns", () => {
  it("match exactly as the regular expression of the same pattern", () => {
    const pattern = fc.string({ unit: fc.constantFrom("a", "b", ":", "*", "?", "A"), maxLength: 10 });
    const value = fc.string({ unit: fc.constantFrom("a", "b", ":", "A", "*"), maxLength: 12 });
    fc.assert(
      fc.property(pattern, value, fc.boolean(), (text, input, ignoreCase) => {
        const expected = referenceRegExp(text, ignoreCase ? "iu" : "u").test(input);
        expect(new WildcardPattern(text, ignoreCase).test(input)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("compares actions case-insensitively", () => {
    expect(actionMatcher("S3:Get*").test("s3:getobject")).toBe(true);
    expect(actionMatcher("s3:Get?bject").test("s3:PutObject")).toBe(false);
  });

  it("answers a pattern of many wildcards against a long value that it does not match (a regular expression backtracks for ever)", () => {
    const hostile = `logs:${"*".repeat(20)}X`;
    expect(actionMatcher(hostile).test(`logs:${"a".repeat(100_000)}`)).toBe(false);
    expect(new WildcardPattern(`arn:${"*a".repeat(40)}b`, false).test(`arn:${"a".repeat(50_000)}`)).toBe(false);
  });
});
