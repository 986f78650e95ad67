import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exampleFolders, exampleTemplate } from "../examples.js";
import { COMMENT_LIMIT, WORKFLOW_ROOM, formatMermaid, mermaidChart, templatePictures } from "../../src/cli/wiring-formats.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Each example, and the rules whose deliberate mistakes its picture must show as red edges. A shared
 * role, ignored SAM policies and a policy's deploy order are no edge that fails: their examples draw none red.
 */
const EXAMPLES: Record<string, string[]> = {
  "cross-account/broken/app": [],
  "cross-account/broken/data": [],
  "cross-account/fixed/app": [],
  "cross-account/fixed/data": [],
  "cdk-app/cdk.out": ["execution-role-trust", "function-config-permissions"],
  "event-source-permissions": ["event-source-permissions"],
  "execution-role-trust": ["execution-role-trust"],
  "function-config-permissions": ["function-config-permissions"],
  "handler-app": [],
  "python-app": [],
  invocation: ["require-invoke-permission"],
  "one-role-per-function": [],
  "require-policy-dependency": [],
  "shared-role-cloudformation": [],
  "shared-role-sam": [],
};

const templateOf = exampleTemplate;

describe("the wiring picture of every example", () => {
  it("covers every example folder", () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(exampleFolders());
  });

  it.each(Object.entries(EXAMPLES))("%s: each deliberate mistake is a red edge, nothing else is red", (example, rules) => {
    const [entry] = templatePictures([templateOf(example)], root);
    if (!entry || "error" in entry) throw new Error(`no picture for ${example}`);
    const { picture } = entry;
    const missing = picture.edges.filter((edge) => edge.status === "missing");
    expect([...new Set(missing.map((edge) => edge.rule))].sort()).toEqual(rules);
    // Every edge joins two drawn nodes, and every function is drawn.
    const ids = new Set(picture.nodes.map((node) => node.id));
    for (const edge of picture.edges) expect(ids.has(edge.from) && ids.has(edge.to)).toBe(true);
    // (The data account of the cross-account example declares no function.)
    expect(picture.nodes.some((node) => node.kind === "function")).toBe(!example.endsWith("/data"));

    // The chart: a node line per node, an arrow per edge (dashed when unknown), the red ones styled.
    const lines = mermaidChart(picture).split("\n");
    expect(lines[0]).toBe("flowchart LR");
    expect(lines.filter((line) => /^ {2}n\d+[[({/]/u.test(line))).toHaveLength(picture.nodes.length);
    const arrows = lines.filter((line) => / (?:-->|-\.->)\|/u.test(line));
    expect(arrows).toHaveLength(picture.edges.length);
    expect(arrows.filter((line) => line.includes("-.->"))).toHaveLength(picture.edges.filter((edge) => edge.status === "unknown").length);
    const styled = lines.find((line) => line.startsWith("  linkStyle "));
    const redIndexes = picture.edges.flatMap((edge, index) => (edge.status === "missing" ? [index] : []));
    expect(styled ? styled.split(" ")[3]!.split(",").map(Number) : []).toEqual(redIndexes);
    for (const index of redIndexes) expect(arrows[index]).toContain(`✗ ${picture.edges[index]!.rule}`);
  });

  it.each(["shared-role-cloudformation", "shared-role-sam"])(
    "%s: the shared template role's trust of Lambda is drawn as proven, its functions pointing at one role",
    (example) => {
      const [entry] = templatePictures([templateOf(example)], root);
      if (!entry || "error" in entry) throw new Error(`no picture for ${example}`);
      // (An imported role is drawn unknown: it is not declared here.)
      const trust = entry.picture.edges.filter(
        (edge) => edge.needs === "runs as it (trusts lambda.amazonaws.com)" && edge.to.startsWith("role:resource:"),
      );
      expect(trust.length).toBeGreaterThan(1);
      expect(trust.map((edge) => edge.status)).toEqual(trust.map(() => "proven"));
      expect(new Set(trust.map((edge) => edge.to)).size).toBeLessThan(trust.length);
    },
  );

  it("is paste-ready Markdown, a heading and a mermaid block per template, and locates each node", () => {
    const pictures = templatePictures([templateOf("shared-role-sam")], root);
    expect(formatMermaid(pictures)).toMatch(/^### examples\/shared-role-sam\/template\.yaml\n\n```mermaid\nflowchart LR\n[\s\S]*\n```\n$/u);
    const entry = pictures[0]!;
    if ("error" in entry) throw new Error(entry.error);
    expect(entry.picture.nodes.find((node) => node.id === "function:CreateOrderFunction")).toMatchObject({
      kind: "function",
      line: expect.any(Number),
      column: 3,
    });
  });

  it("is what the README shows for examples/function-config-permissions", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const shown = /\(`examples\/function-config-permissions`\):\n\n```mermaid\n([\s\S]*?)\n```/u.exec(readme)?.[1];
    const [entry] = templatePictures([templateOf("function-config-permissions")], root);
    if (!entry || "error" in entry) throw new Error("no picture");
    expect(shown).toBe(mermaidChart(entry.picture));
  });

  it("says why a template is not drawn", () => {
    const [entry] = templatePictures([path.join(root, "tests/fixtures/cli/broken.yaml")], root);
    expect(formatMermaid([entry!])).toMatch(/^### tests\/fixtures\/cli\/broken\.yaml\n\nNot drawn: 2:17 /u);
  });
});

describe("a pull request comment", () => {
  /** A template's picture: `functions` functions, each running as its own role, `missing` of them without logs. */
  const picture = (file: string, functions: number, missing: number) => ({
    file,
    picture: {
      nodes: Array.from({ length: functions }, (_, i) => [
        { id: `function:F${i}`, kind: "function" as const, label: `Function${i}`, line: 1, column: 1 },
        { id: `role:R${i}`, kind: "role" as const, label: `Role${i}`, line: 1, column: 1 },
      ]).flat(),
      edges: Array.from({ length: functions }, (_, i) => ({
        from: `function:F${i}`,
        to: `role:R${i}`,
        needs: "CloudWatch Logs: logs:CreateLogStream, logs:PutLogEvents",
        ...(i < missing ? { status: "missing" as const, rule: "function-config-permissions" } : { status: "proven" as const }),
      })),
    },
  });

  it("is the charts alone while they fit in one", () => {
    const small = [picture("a.yaml", 3, 1)];
    expect(formatMermaid(small)).toBe(`### a.yaml\n\n\`\`\`mermaid\n${mermaidChart(small[0]!.picture)}\n\`\`\`\n`);
  });

  it("fits GitHub's 65,536 characters otherwise, with room for a workflow's line: failing templates first, their missing arrows listed, charts while they fit", () => {
    const many = [...Array.from({ length: 40 }, (_, i) => picture(`clean${i}.yaml`, 100, 0)), picture("broken.yaml", 100, 2)];
    const markdown = formatMermaid(many);
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT - WORKFLOW_ROOM);
    const lines = markdown.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "**1 of 41 templates have missing arrows.**",
      "",
      "### broken.yaml",
      "",
      "- Function0 → Role0: CloudWatch Logs: logs:CreateLogStream, logs:PutLogEvents (✗ function-config-permissions)",
      "- Function1 → Role1: CloudWatch Logs: logs:CreateLogStream, logs:PutLogEvents (✗ function-config-permissions)",
    ]);
    const charts = lines.filter((line) => line === "```mermaid").length;
    expect(charts).toBeGreaterThan(0);
    expect(lines.at(-2)).toBe(
      `_${41 - charts} of 41 charts left out: a comment holds at most 65,536 characters. --format html or wiring-json has them all._`,
    );
  });
});

describe("SAM push events", () => {
  it("are drawn as invokers of their function, proven: SAM generates their permissions", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lambda-iam-sam-events-"));
    writeFileSync(
      path.join(dir, "template.yaml"),
      "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      CodeUri: s3://bucket/code.zip\n      Events:\n        GetOrders:\n          Type: Api\n          Properties: {Path: /orders, Method: get}\n        Nightly:\n          Type: Schedule\n          Properties: {Schedule: rate(1 day)}\n",
    );
    const [entry] = templatePictures([path.join(dir, "template.yaml")], dir);
    if (!entry || "error" in entry) throw new Error("no picture");
    const invokers = entry.picture.edges.filter((edge) => edge.from.startsWith("invoker:"));
    expect(invokers).toEqual([
      { from: "invoker:Fn.Events.GetOrders", to: "function:Fn", needs: "SAM's permission for apigateway.amazonaws.com", status: "proven" },
      { from: "invoker:Fn.Events.Nightly", to: "function:Fn", needs: "SAM's permission for events.amazonaws.com", status: "proven" },
    ]);
  });
});

describe("a function whose role is chosen by Fn::If", () => {
  it("draws each role's edges by what is known of that role: the template's proven, the parameter's unknown", () => {
    const [entry] = templatePictures([path.join(root, "tests/fixtures/picture/role-by-condition.yaml")], root);
    if (!entry || "error" in entry) throw new Error("no picture");
    expect(entry.picture.edges.map((edge) => [edge.to, edge.needs.split(":")[0], edge.status])).toEqual([
      ["role:resource:R", "runs as it (trusts lambda.amazonaws.com)", "proven"],
      ["role:resource:R", "CloudWatch Logs", "proven"],
      ["role:parameter:OtherRole", "runs as it (trusts lambda.amazonaws.com)", "unknown"],
      ["role:parameter:OtherRole", "CloudWatch Logs", "unknown"],
    ]);
  });
});

describe("an invoker edge", () => {
  it("is proven by a permission under the invoker's own condition, and an unknown one says why", () => {
    const [entry] = templatePictures([path.join(root, "tests/fixtures/picture/invokers-by-condition.yaml")], root);
    if (!entry || "error" in entry) throw new Error("no picture");
    expect(
      entry.picture.edges.filter((edge) => edge.from.startsWith("invoker:")).map(({ from, status, reason }) => [from, status, reason]),
    ).toEqual([
      ["invoker:Nightly", "proven", undefined],
      [
        "invoker:Hourly",
        "unknown",
        "permission HourlyPermission's SourceArn writes the partition as \"aws\", where the invoker's ARN has the deployment's (${AWS::Partition})",
      ],
    ]);
  });
});

describe("a template with parts that are not expanded", () => {
  it("draws nothing as proven that a macro may rewrite", () => {
    const [entry] = templatePictures([path.join(root, "tests/fixtures/cli/shared.yaml")], root);
    if (!entry || "error" in entry) throw new Error("no picture");
    expect(entry.picture.edges.some((edge) => edge.status === "proven")).toBe(true);
    const macro = path.join(root, "tests/fixtures/cli/shared.yaml");
    const text = readFileSync(macro, "utf8").replace(
      "Transform: AWS::Serverless-2016-10-31",
      "Transform: [AWS::Serverless-2016-10-31, CompanyMacro]",
    );
    const dir = mkdtempSync(path.join(tmpdir(), "lambda-iam-macro-"));
    writeFileSync(path.join(dir, "template.yaml"), text);
    const [rewritten] = templatePictures([path.join(dir, "template.yaml")], dir);
    if (!rewritten || "error" in rewritten) throw new Error("no picture");
    expect(rewritten.picture.edges.filter((edge) => edge.status === "proven")).toEqual([]);
    expect(rewritten.picture.edges.find((edge) => edge.status === "unknown")?.reason).toBe(
      "the CompanyMacro macro, which this linter does not expand, may change it",
    );
  });
});
