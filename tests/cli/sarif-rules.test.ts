import { describe, expect, it } from "vitest";
import { RULE_FINDS } from "../../src/cli/sarif.js";
import plugin from "../../src/index.js";

describe("what each rule finds, for code scanning", () => {
  it("is said for every rule, and for parse errors", () => {
    expect(Object.keys(RULE_FINDS).sort()).toEqual([...Object.keys(plugin.rules), "parse-error"].sort());
  });
});
