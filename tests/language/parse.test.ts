import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MappingNode, ValueNode } from "../../src/language/ast.js";
import { resolveAlias } from "../../src/language/ast.js";
import { MAX_EXPANDED_NODES, parseTemplate } from "../../src/language/parse.js";
import { locate } from "../rule-tester.js";
import { textOfTree } from "./plain-values.js";

function parsed(text: string) {
  const outcome = parseTemplate(text);
  if (!outcome.ok) throw new Error(`unexpected parse failure: ${outcome.problem.message}`);
  return outcome;
}

/** The value node at a path of mapping keys (one parse per text, so nodes compare by identity). */
const parses = new Map<string, ReturnType<typeof parsed>>();
function at(text: string, ...path: string[]): ValueNode {
  if (!parses.has(text)) parses.set(text, parsed(text));
  let node: ValueNode = parses.get(text)!.ast.body!;
  for (const key of path) {
    const mapping = resolveAlias(node) as MappingNode;
    const pair = mapping.pairs.find((p) => p.key.type === "Scalar" && p.key.value === key);
    if (!pair) throw new Error(`no key ${key}`);
    node = pair.value;
  }
  return node;
}

function position(node: ValueNode) {
  return { line: node.loc.start.line, column: node.loc.start.column, endLine: node.loc.end.line, endColumn: node.loc.end.column };
}

const TEMPLATE_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

describe("tags", () => {
  const text = `${TEMPLATE_HEAD}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Name: !Sub
        - "\${Prefix}-fn"
        - Prefix: !Ref Prefix
      Layers: !If [HasLayer, [!Ref Layer], !Ref "AWS::NoValue"]
      Code: !Include
        location: code.yaml
      Tags: &tags [a]
      MoreTags: *tags
`;

  it.each([
    ["!GetAtt", ["Resources", "Fn", "Properties", "Role"], "!GetAtt Role.Arn"],
    [
      "!Sub on a block sequence",
      ["Resources", "Fn", "Properties", "Name"],
      '!Sub\n        - "${Prefix}-fn"\n        - Prefix: !Ref Prefix',
    ],
    ["!If on a flow sequence", ["Resources", "Fn", "Properties", "Layers"], '!If [HasLayer, [!Ref Layer], !Ref "AWS::NoValue"]'],
    ["cfn-include's !Include on a block mapping", ["Resources", "Fn", "Properties", "Code"], "!Include\n        location: code.yaml"],
  ])("keeps %s with a range that starts at the !", (_name, path, source) => {
    const node = at(text, ...path);
    expect(node.tag).toBe(source.split(/[\s[]/u)[0]);
    expect(position(node)).toEqual(locate(text, source));
    expect(text.slice(node.range[0], node.range[1])).toBe(source);
  });

  it("keeps an alias as a leaf that points at its anchored node", () => {
    const node = at(text, "Resources", "Fn", "Properties", "MoreTags");
    expect(node.type).toBe("Alias");
    expect(resolveAlias(node)).toBe(at(text, "Resources", "Fn", "Properties", "Tags"));
  });

  it("keeps a plain scalar's text as written", () => {
    const node = at(
      `${TEMPLATE_HEAD}Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {Account: 0123}\n`,
      "Resources",
      "A",
      "Properties",
      "Account",
    );
    expect(node).toMatchObject({ type: "Scalar", value: 123, source: "0123" });
  });
});

describe("comments", () => {
  it("are collected with their positions, in order", () => {
    const text = `# top\n${TEMPLATE_HEAD}Resources:\n  A: # after a key\n    Type: AWS::S3::Bucket # trailing\n`;
    const { comments } = parsed(text);
    expect(comments.map((c) => [c.value, c.loc.start.line, c.loc.start.column])).toEqual([
      [" top", 1, 1],
      [" after a key", 4, 6],
      [" trailing", 5, 27],
    ]);
  });
});

describe("input handling", () => {
  it("strips a byte order mark", () => {
    expect(parsed(`\uFEFF${TEMPLATE_HEAD}Resources: {A: {Type: AWS::S3::Bucket}}`).ast.isTemplate).toBe(true);
  });

  it("counts lines of CRLF files correctly", () => {
    const text = `${TEMPLATE_HEAD}Resources:\r\n  A:\r\n    Type: AWS::SNS::Topic\r\n`;
    expect(position(at(text, "Resources", "A", "Type"))).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 26 });
  });

  it("reads JSON indented with tabs", () => {
    const text = '{\n\t"Resources": {\n\t\t"A": {\n\t\t\t"Type": "AWS::SNS::Topic"\n\t\t}\n\t}\n}\n';
    expect(position(at(text, "Resources", "A", "Type"))).toEqual({ line: 4, column: 12, endLine: 4, endColumn: 29 });
  });

  it("reports a duplicate key at the second occurrence", () => {
    const outcome = parseTemplate(`${TEMPLATE_HEAD}Resources:\n  A: {Type: AWS::SNS::Topic}\n  A: {Type: AWS::SQS::Queue}\n`);
    expect(outcome).toEqual({
      ok: false,
      problem: {
        message: 'Duplicate key "A": parsers disagree on which value wins (cfn-lint rejects it too); keep one',
        line: 4,
        column: 3,
      },
    });
  });

  it("reports a YAML syntax error with its position", () => {
    expect(parseTemplate(`${TEMPLATE_HEAD}Resources: [\n`)).toMatchObject({ ok: false, problem: { line: 3, column: 1 } });
  });

  it("rejects a template of several YAML documents at the second document", () => {
    expect(parseTemplate(`${TEMPLATE_HEAD}---\nResources: {}\n`)).toEqual({
      ok: false,
      problem: { message: "File holds several YAML documents; a CloudFormation template must be a single document", line: 2, column: 1 },
    });
  });

  it("reports a binary file at its first NUL byte", () => {
    expect(parseTemplate("AWSTemplate\u0000FormatVersion")).toEqual({
      ok: false,
      problem: { message: "File is binary (it contains a NUL byte), not a YAML or JSON template", line: 1, column: 12 },
    });
  });

  it("stops an alias bomb quickly with a clear message", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    const started = Date.now();
    const outcome = parseTemplate(`${TEMPLATE_HEAD}${levels.join("\n")}\n`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({
      ok: false,
      problem: {
        message: `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString("en-US")} nodes (an alias bomb?); refusing to read further`,
      },
    });
  });

  it("reads a template nested 500 levels deep", () => {
    const text = `${TEMPLATE_HEAD}Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Metadata: ${"[".repeat(500)}${"]".repeat(500)}\n`;
    expect(parsed(text).ast.isTemplate).toBe(true);
  });
});

describe("files that are not templates", () => {
  it.each([
    ["a Kubernetes manifest", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Service\n"],
    ["a GitHub workflow", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"],
    ["package.json", '{"name": "x", "version": "1.0.0"}'],
    ["a Helm template that is not valid YAML", "metadata:\n  name: {{ .Release.Name }\n"],
    ["an empty file", ""],
  ])("%s parses to an empty document that is not a template", (_name, text) => {
    const outcome = parseTemplate(text);
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.ast.isTemplate).toBe(false);
  });

  it("a SAM template without Transform is a template", () => {
    expect(parsed("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n").ast.isTemplate).toBe(true);
  });
});

describe("tags YAML gives a meaning of its own", () => {
  it("reads the non-specific tag `!` as a plain string, as CloudFormation does", () => {
    const template = `${TEMPLATE_HEAD}Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: ! index.handler\n`;
    expect(at(template, "Resources", "Fn", "Properties", "Handler")).toMatchObject({ value: "index.handler", source: "index.handler" });
    expect(at(template, "Resources", "Fn", "Properties", "Handler").tag).toBeUndefined();
  });

  it.each(["!!omap [a: 1]", "!!pairs [a: 1, b: 2]", "!!set {a}", "!!binary aGk=", "!!timestamp 2001-12-14"])(
    "refuses YAML's %s at its tag, not at 1:1",
    (value) => {
      const template = `${TEMPLATE_HEAD}Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Metadata: {Data: ${value}}\n`;
      const { line, column } = locate(template, value);
      const tag = value.split(" ")[0]!;
      expect(parseTemplate(template)).toEqual({
        ok: false,
        problem: { message: `This linter does not read YAML's ${tag} tag; write a plain mapping, sequence or string`, line, column },
      });
    },
  );

  it.each([
    ["UTF-16LE", (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
    ["UTF-16BE", (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()])],
  ])("refuses a %s template that was read as UTF-8, at 1:1, and leaves such a non-template alone", (encoding, encode) => {
    const misread = (text: string) => encode(text).toString("utf8");
    expect(parseTemplate(misread(`${TEMPLATE_HEAD}Resources: {}\n`))).toEqual({
      ok: false,
      problem: {
        message: `File is ${encoding} (it starts with a byte order mark) and was read as UTF-8; CloudFormation reads templates as UTF-8 only: save it as UTF-8`,
        line: 1,
        column: 1,
      },
    });
    expect(parseTemplate(misread("apiVersion: v1\nkind: ConfigMap\n"))).toMatchObject({
      ok: true,
      ast: { isTemplate: false },
      comments: [],
    });
  });

  it("reads a file whose lines end in CR alone, with positions on those lines", () => {
    const template = `${TEMPLATE_HEAD}Resources:\n  Q:\n    Type: AWS::SQS::Queue\n`.replace(/\n/gu, "\r");
    expect(position(at(template, "Resources", "Q", "Type"))).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 26 });
  });

  it("refuses a CloudFormation tag on a mapping key, at the key (cfn-lint cannot read it either)", () => {
    const template = `${TEMPLATE_HEAD}Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Layers: [!ImportValue Fn::Sub: x]\n`;
    const { line, column } = locate(template, "!ImportValue");
    expect(parseTemplate(template)).toEqual({
      ok: false,
      problem: { message: "A mapping key cannot carry the !ImportValue tag", line, column },
    });
  });

  it("refuses a comment in a JSON template, at the comment (JSON has none; cfn-lint refuses it too)", () => {
    const template =
      '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  // the queue\n  "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}\n}\n';
    expect(parseTemplate(template)).toEqual({
      ok: false,
      problem: {
        message: "JSON has no comments: CloudFormation cannot read this template (cfn-lint refuses it too); remove the comment",
        line: 3,
        column: 3,
      },
    });
    expect(parseTemplate(template.replace("// the queue", "/* the queue */"))).toMatchObject({
      ok: false,
      problem: { line: 3, column: 3 },
    });
  });

  it("reads // inside a JSON string, and leaves a JSON file that is not a template (tsconfig.json) alone", () => {
    const url =
      '{"AWSTemplateFormatVersion": "2010-09-09", "Description": "see https://example.com/a \\" // b", "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}';
    expect(parseTemplate(url).ok).toBe(true);
    expect(parseTemplate('{\n  // compiler options\n  "compilerOptions": {"strict": true}\n}\n')).toMatchObject({
      ok: true,
      ast: { isTemplate: false },
    });
  });

  it("reads // in a plain or single-quoted scalar of a YAML flow document: no comment there", () => {
    const flow =
      "{AWSTemplateFormatVersion: '2010-09-09', Description: see https://example.com/x, Resources: {Q: {Type: 'AWS::SQS::Queue', Properties: {QueueName: 'a//b'}}}}\n";
    expect(parseTemplate(flow)).toMatchObject({ ok: true, ast: { isTemplate: true } });
  });
});

describe("flow collections indented less than YAML 1.2 wants (CloudFormation accepts them)", () => {
  const text = `${TEMPLATE_HEAD}Resources:
  P:
    Type: AWS::IAM::Policy
    Properties:
      Statement:
        - Resource: [
          !Sub "arn:\${AWS::Partition}:rds:*:*:db:x",
          "arn:aws:sns:*:*:y"
          ]
          Effect: Allow
      Code: |
        data = {"a": [
        1]}
`;

  it("parses them, with positions in the original text", () => {
    const statement = resolveAlias(at(text, "Resources", "P", "Properties", "Statement")) as { items: ValueNode[] };
    const first = statement.items[0]!;
    const resource = (resolveAlias(first) as MappingNode).pairs[0]!.value;
    expect(resource.type).toBe("Sequence");
    const [sub, literal] = (resource as { items: ValueNode[] }).items;
    expect(position(sub!)).toEqual(locate(text, '!Sub "arn:${AWS::Partition}:rds:*:*:db:x"'));
    expect(position(literal!)).toEqual(locate(text, '"arn:aws:sns:*:*:y"'));
    expect(text.slice(sub!.range[0], sub!.range[1])).toBe('!Sub "arn:${AWS::Partition}:rds:*:*:db:x"');
  });

  it("leaves block scalars as written", () => {
    expect(at(text, "Resources", "P", "Properties", "Code")).toMatchObject({ value: 'data = {"a": [\n1]}\n' });
  });

  it("keeps every key and resource after the re-indented lines (they were garbled once)", () => {
    const template = `${TEMPLATE_HEAD}Resources:
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [ "s3:GetObject",
          "s3:PutObject" ]
            Resource: "*"
  Later:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: a name folded
        over two lines
`;
    const resources = resolveAlias(at(template, "Resources")) as MappingNode;
    expect(resources.pairs.map((pair) => (pair.key as { source: string }).source)).toEqual(["Policy", "Later"]);
    expect(at(template, "Resources", "Later", "Type")).toMatchObject({ value: "AWS::SNS::Topic", source: "AWS::SNS::Topic" });
    expect(at(template, "Resources", "Later", "Properties", "DisplayName")).toMatchObject({ source: "a name folded over two lines" });
    expect(position(at(template, "Resources", "Later", "Type"))).toEqual(locate(template, "AWS::SNS::Topic"));
  });

  it("reads the same values as with the flow collection indented, wherever it is cut", () => {
    const items = fc.array(fc.constantFrom('"s3:GetObject"', "s3:PutObject", '!Sub "arn:${AWS::Partition}:s3:::b/*"', "'sqs:*'"), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(items, fc.nat(), fc.nat({ max: 8 }), (values, cutSeed, shallow) => {
        const cut = cutSeed % values.length;
        const flow = (continuation: string) =>
          `[ ${values.slice(0, cut + 1).join(", ")}${cut + 1 < values.length ? `,\n${continuation}${values.slice(cut + 1).join(", ")}` : ""} ]`;
        const resourcesWith = (continuation: string) => `${TEMPLATE_HEAD}Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Action: ${flow(continuation)}
            Effect: Allow
  After:
    Type: AWS::SQS::Queue
`;
        const wellIndented = parseTemplate(resourcesWith(" ".repeat(14)));
        const underIndented = parseTemplate(resourcesWith(" ".repeat(shallow)));
        expect(underIndented.ok && wellIndented.ok).toBe(true);
        if (!underIndented.ok || !wellIndented.ok) return;
        expect(textOfTree(underIndented.ast.body!)).toEqual(textOfTree(wellIndented.ast.body!));
      }),
    );
  });

  it("still reports flow collections that are really broken", () => {
    expect(parseTemplate(`${TEMPLATE_HEAD}Resources: [\n  a,\nb: c\n`)).toMatchObject({ ok: false });
  });
});
