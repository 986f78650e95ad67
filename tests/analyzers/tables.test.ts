import { describe, expect, it } from "vitest";
import { EXTRACTOR_KINDS, INVOKERS } from "../../src/analyzers/wiring/invokers.js";

/** String-keyed tables that must agree with each other: a name in one and not the other is a silent gap. */
describe("the tables agree", () => {
  it("every invoker the template is searched for has its facts in invokers.json, and every fact is used", () => {
    for (const kind of EXTRACTOR_KINDS) expect(INVOKERS, kind).toHaveProperty(kind);
    // A kind without an extractor is reached through SAM's push events only.
    const samOnly = Object.entries(INVOKERS).filter(([kind]) => !EXTRACTOR_KINDS.has(kind));
    for (const [kind, facts] of samOnly) expect(facts.samEvents.length, kind).toBeGreaterThan(0);
  });
});
