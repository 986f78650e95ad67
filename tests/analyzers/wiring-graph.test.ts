import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Analysis } from "../../src/analyzers/analysis.js";
import { parseTemplate } from "../../src/language/parse.js";

function wiringOf(example: string) {
  const text = readFileSync(fileURLToPath(new URL(`../../examples/${example}/template.yaml`, import.meta.url)), "utf8");
  const parsed = parseTemplate(text);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const analysis = new Analysis(parsed.ast, text);
  const { wiring } = analysis;
  // The graph as plain data: what every check and output reads.
  return {
    functions: analysis.functions.map((fn) => [fn.logicalId, fn.candidates.map((candidate) => candidate.identity?.label)]),
    invokers: wiring.invokers.map((invoker) => [invoker.name, invoker.kind, invoker.fn.logicalId, invoker.qualifier ?? null]),
    permissions: wiring.permissions.map((permission) => [
      permission.name,
      permission.effect,
      permission.principal,
      permission.target.kind === "function" ? permission.target.fn.logicalId : null,
    ]),
    urls: wiring.publicUrls.map((url) => url.name),
    mappings: wiring.eventSourceMappings.map((mapping) => [mapping.name, mapping.type, mapping.fn.logicalId]),
  };
}

describe("the wiring graph", () => {
  it("of examples/invocation: two functions and their roles, three invokers, a resource policy, a permission, a public URL", () => {
    expect(wiringOf("invocation")).toEqual({
      functions: [
        ["ImageFunction", ["ImageRole"]],
        ["ReportFunction", ["ReportRole"]],
      ],
      invokers: [
        ["Uploads", "S3", "ImageFunction", null],
        ["Nightly", "EventBridgeRule", "ImageFunction", "live"],
        ["Reports", "SNS", "ReportFunction", null],
      ],
      permissions: [
        ["statement 1 of resource policy ReportFunctionPolicy", "Allow", "sns.amazonaws.com", "ReportFunction"],
        ["permission NightlyPermission", "Allow", "events.amazonaws.com", "ImageFunction"],
        ["permission ImageUrlPermission", "Allow", "*", "ImageFunction"],
      ],
      urls: ["ImageUrl"],
      mappings: [],
    });
  });

  it("of examples/event-source-permissions: a mapping resource and a SAM pull event, each with its function", () => {
    const { functions, mappings, invokers } = wiringOf("event-source-permissions");
    expect({ functions, mappings, invokers }).toEqual({
      functions: [
        ["Consumer", ["ConsumerRole"]],
        ["ReportFunction", ["ReportRole"]],
      ],
      mappings: [
        ["JobsMapping", "SQS", "Consumer"],
        ["ReportFunction.Events.Reports", "SQS", "ReportFunction"],
      ],
      invokers: [],
    });
  });
});
