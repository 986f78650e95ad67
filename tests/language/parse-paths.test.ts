import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildFromEvents } from "../../src/language/event-parse.js";
import { LineIndex } from "../../src/language/locations.js";
import { parseTemplate } from "../../src/language/parse.js";

/**
 * The fast path (js-yaml's events) and the `yaml` library's documents must give the same outcome, node for
 * node: values, text, tags, ranges, positions, comments and parse errors.
 */
const corpus = fileURLToPath(new URL("../../../shared/corpus", import.meta.url));
const present = existsSync(corpus);

/** How many texts the fast path read itself, so that a test cannot pass by always falling back. */
const read = { fast: 0, all: 0 };

function expectSamePaths(text: string, name: string): void {
  read.all++;
  try {
    if (buildFromEvents(text, new LineIndex(text))) read.fast++;
  } catch {
    read.fast++; // a located refusal (duplicate key, alias bomb) is the fast path's own answer
  }
  const fast = parseTemplate(text);
  const library = parseTemplate(text, { fastPath: false });
  // An alias's target is compared where its anchor is; comparing it again at each alias would only repeat that.
  expect(JSON.parse(JSON.stringify(fast, withoutAliasTargets)), name).toEqual(JSON.parse(JSON.stringify(library, withoutAliasTargets)));
}

/** Nodes with their positions (a getter, which JSON leaves out), and aliases without their targets. */
function withoutAliasTargets(key: string, value: unknown): unknown {
  if (key === "target") return undefined;
  if (value && typeof value === "object" && "range" in value && "loc" in value && !Object.hasOwn(value, "loc")) {
    return { ...value, loc: (value as { loc: unknown }).loc };
  }
  return value;
}

describe("the two ways of reading a template", () => {
  it.skipIf(!present)("agree on every corpus file", { timeout: 120_000 }, () => {
    const files = readdirSync(corpus, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(?:ya?ml|json|template)$/u.test(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name));
    expect(files.length).toBeGreaterThan(2500);
    Object.assign(read, { fast: 0, all: 0 });
    for (const file of files) expectSamePaths(readFileSync(file, "utf8").replace(/^\uFEFF/u, ""), path.relative(corpus, file));
    expect(read.fast / read.all).toBeGreaterThan(0.95);
  });

  it.each([
    ["a tag with no value, in a sequence and as a mapping value", "Azs: [0, !GetAZs ]\nAll: !GetAZs\nNext: 1\n"],
    ["a key: value pair in a flow sequence (a mapping without braces)", "Layers: [x, Ref: Layer , c]\nLast: [Ref: Other]\n"],
    [
      "block scalars with indicators and a comment on the header",
      "Code: |- # inline code\n  def f():\n    # not a comment\n    pass\nText: >+\n  folded\n\nEnd: 1\n",
    ],
    ["comments inside flow collections and after values", "List: [ # first\n  a, # after a\n  b ] # closed\nMap: { k: v } # map\n"],
    ["empty values at the end of a block mapping", "Outer:\n  First: 1\n  Empty: \n  Last:\n"],
    ["anchors on collections, aliases and quoted keys", "Base: &base {Effect: Allow}\n\"Quoted key\": *base\n'single': [&item x, *item]\n"],
    [
      "anchors written before and after tags, with comments around them",
      "A: &a !Ref X # after\nB: !Sub &b '${X}' # after too\nC: [*a, *b] # # twice\n",
    ],
    [
      "JSON with tabs and nested arrays",
      '{\n\t"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Layers": [[1, 2], []]}}}\n}\n',
    ],
    [
      "numbers, booleans and nulls in the core schema",
      "Values: [0123, 1.50, -.5e3, 0x1F, 0o17, .inf, .NaN, True, FALSE, ~, Null, '1', yes]\n",
    ],
  ])("agree on %s, read by the fast path", (_name, body) => {
    const text = body.startsWith("{") ? body : `AWSTemplateFormatVersion: "2010-09-09"\n${body}`;
    expect(buildFromEvents(text, new LineIndex(text))).toBeDefined();
    expectSamePaths(text, text);
  });

  it("agree on generated templates in every scalar and collection style", () => {
    const key = fc.constantFrom("Type", "Properties", "Role", "a b", "#x", "Ref", "Fn::If", "'q'");
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "0123",
        "1.50",
        "true",
        "NULL",
        "~",
        "0x1F",
        ".inf",
        "-.5e3",
        "a: b",
        "- x",
        "# not a comment",
        "x #y",
        "multi\nline\n",
        "",
      ),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(key, tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    const options = fc.record({
      flow: fc.boolean(),
      quotes: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE", "BLOCK_LITERAL", "BLOCK_FOLDED"),
      comment: fc.boolean(),
    });
    Object.assign(read, { fast: 0, all: 0 });
    fc.assert(
      fc.property(value, options, (resources, { flow, quotes, comment }) => {
        const document = {
          AWSTemplateFormatVersion: "2010-09-09",
          Resources: { Fn: { Type: "AWS::Lambda::Function", Properties: resources } },
        };
        let text = stringify(document, {
          collectionStyle: flow ? "flow" : "block",
          defaultStringType: quotes as "PLAIN",
          defaultKeyType: "PLAIN",
        });
        if (comment) text = text.replace(/\n/gu, " # note\n");
        expectSamePaths(text, text);
      }),
      { numRuns: 300 },
    );
    expect(read.fast / read.all).toBeGreaterThan(0.5);
  });
});
