import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { handlerRules, templateRules } from "../../src/rules/index.js";

const RULE = "lambda-iam/no-shared-execution-role";

/** Lints with the recommended config, all rules but no-shared-execution-role off: these tests are about directives. */
function lint(code: string, filename = "template.yaml", extraConfig: Linter.Config[] = []) {
  const linter = new Linter({ configType: "flat" });
  const onlyOneRule: Linter.Config = {
    files: ["**/*.yaml", "**/*.json"],
    rules: Object.fromEntries(
      Object.keys(plugin.rules)
        .filter((name) => `lambda-iam/${name}` !== RULE)
        .map((name) => [`lambda-iam/${name}`, "off"]),
    ),
  };
  return linter
    .verify(code, [...extraConfig, ...plugin.configs.recommended!, onlyOneRule], filename)
    .map(({ ruleId, line, column, message, fatal }) => ({ ruleId, line, column, message, ...(fatal ? { fatal } : {}) }));
}

/** Two functions sharing one role: each function's Role line is reported. */
function sharedRoleTemplate(beforeFirstRole = "", beforeSecondRole = ""): string {
  return [
    "Resources:",
    "  Role: {Type: AWS::IAM::Role, Properties: {}}",
    "  A:",
    "    Type: AWS::Lambda::Function",
    "    Properties:",
    ...(beforeFirstRole ? [`      ${beforeFirstRole}`] : []),
    "      Role: !GetAtt Role.Arn",
    "  B:",
    "    Type: AWS::Lambda::Function",
    "    Properties:",
    ...(beforeSecondRole ? [`      ${beforeSecondRole}`] : []),
    "      Role: !GetAtt Role.Arn",
    "",
  ].join("\n");
}

describe("inline directives in YAML comments", () => {
  it("reports both functions without directives", () => {
    expect(lint(sharedRoleTemplate()).map((m) => [m.ruleId, m.line, m.column])).toEqual([
      [RULE, 6, 13],
      [RULE, 10, 13],
    ]);
  });

  it("eslint-disable-next-line suppresses the next line only", () => {
    const messages = lint(sharedRoleTemplate(`# eslint-disable-next-line ${RULE} -- shared on purpose`));
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([[RULE, 11]]);
  });

  it("eslint-disable-line suppresses its own line", () => {
    const code = sharedRoleTemplate().replace(
      "      Role: !GetAtt Role.Arn\n  B:",
      `      Role: !GetAtt Role.Arn # eslint-disable-line ${RULE}\n  B:`,
    );
    expect(lint(code).map((m) => [m.ruleId, m.line])).toEqual([[RULE, 10]]);
  });

  it("eslint-disable and eslint-enable bracket a region", () => {
    const code = `# eslint-disable ${RULE}\n${sharedRoleTemplate().replace("  B:\n", `# eslint-enable ${RULE}\n  B:\n`)}`;
    expect(lint(code).map((m) => [m.ruleId, m.line])).toEqual([[RULE, 12]]);
  });

  it("an inline eslint config comment turns the rule off", () => {
    expect(lint(`# eslint ${RULE}: off\n${sharedRoleTemplate()}`)).toEqual([]);
  });

  it("an unused directive is reported like in JavaScript", () => {
    const code = `# eslint-disable-next-line ${RULE}\nResources: {T: {Type: AWS::SNS::Topic}}\n`;
    expect(lint(code)).toEqual([
      {
        ruleId: null,
        line: 1,
        column: 1,
        message: `Unused eslint-disable directive (no problems were reported from '${RULE}').`,
      },
    ]);
  });
});

describe("a function whose Properties alias another's", () => {
  const code = [
    "Resources:",
    "  Role: {Type: AWS::IAM::Role, Properties: {}}",
    "  A:",
    "    Type: AWS::Lambda::Function",
    "    Properties: &shared",
    `      # eslint-disable-next-line ${RULE} -- A's own line`,
    "      Role: !GetAtt Role.Arn",
    "  B:",
    "    Type: AWS::Lambda::Function",
    "    Properties: *shared",
    "",
  ].join("\n");

  const findings = (text: string) => lint(text).map((m) => [m.ruleId, m.line, m.column, m.message.split(":")[0]]);

  it("gets its findings at the alias, not under the other's directives", () => {
    expect(findings(code)).toEqual([[RULE, 10, 17, "Function B shares execution role Role with A"]]);
  });

  it("is not suppressed by the other's Metadata", () => {
    const withMetadata = code
      .replace(`      # eslint-disable-next-line ${RULE} -- A's own line\n`, "")
      .replace(
        "    Properties: &shared",
        "    Metadata: {lambda-iam: {ignore_checks: [no-shared-execution-role]}}\n    Properties: &shared",
      );
    expect(findings(withMetadata)).toEqual([[RULE, 10, 17, "Function B shares execution role Role with A"]]);
  });
});

describe("templates read through the continuation-indentation retry", () => {
  it("reports the resources after an under-indented flow list, at their lines, with directives", () => {
    const code = sharedRoleTemplate(
      'Layers: [ "arn:aws:lambda:us-east-1:123456789012:layer:a:1",\n    "arn:aws:lambda:us-east-1:123456789012:layer:b:1" ]',
      `# eslint-disable-next-line ${RULE} -- the comment is still read`,
    );
    expect(lint(code).map((m) => [m.ruleId, m.line, m.column])).toEqual([[RULE, 8, 13]]);
  });
});

describe("a multi-line quoted scalar whose continuation lines are indented no deeper than its key (PyYAML reads it)", () => {
  it.each([
    ["at the key's indentation", '"a long text\n      that goes on"'],
    ["below the key's indentation", '"a long text\n  that goes on"'],
    ["single-quoted", "'a long text\n      that goes on'"],
  ])("%s: the template is read and its findings are at their lines", (_name, description) => {
    const code = sharedRoleTemplate(`Description: ${description}`);
    expect(lint(code).map((m) => [m.ruleId, m.line, m.column])).toEqual([
      [RULE, 8, 13],
      [RULE, 12, 13],
    ]);
  });

  it("an unclosed quote is still a parse error", () => {
    const code = sharedRoleTemplate('Description: "a long text\n      that never ends');
    expect(lint(code)).toEqual([{ ruleId: null, line: 13, column: 1, message: 'Parsing error: Missing closing "quote', fatal: true }]);
  });
});

describe("problems with the file itself", () => {
  it("an unparseable template gives one fatal message with its position", () => {
    expect(lint("AWSTemplateFormatVersion: '2010-09-09'\nResources: {A: [}\n")).toEqual([
      { ruleId: null, line: 2, column: 17, message: expect.stringMatching(/^Parsing error: /u), fatal: true },
    ]);
  });

  it.each([
    ["a Kubernetes manifest", "k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n---\nkind: Service\n"],
    ["package.json", "package.json", '{"name": "x", "scripts": {"test": "vitest"}}'],
    ["a tsconfig with comments", "tsconfig.json", '{\n  // comment\n  "compilerOptions": {}\n}\n'],
  ])("%s gets no messages at all", (_name, filename, code) => {
    expect(lint(code, filename)).toEqual([]);
  });
});

describe("configs", () => {
  it("a block for every file that sets languageOptions.globals does not break template linting", () => {
    const messages = lint(sharedRoleTemplate(), "template.yaml", [
      { languageOptions: { globals: { window: "readonly" }, ecmaVersion: 2022, sourceType: "module" } },
    ]);
    expect(messages.map((m) => m.ruleId)).toEqual([RULE, RULE]);
  });

  it("recommended lists every recommended rule at its documented severity", () => {
    // ESLint's own rules are switched off on templates; the plugin's rules are what recommended turns on.
    const rules = plugin.configs
      .recommended!.flatMap((config) => Object.entries(config.rules ?? {}))
      .filter(([name]) => name.startsWith("lambda-iam/"));
    const expected = [
      // The rules that read Python handlers' boto3 calls, on **/*.py.
      ["lambda-iam/sdk-call-permissions", "error"],
      ["lambda-iam/cross-account-access", "error"],
      ...Object.entries(templateRules)
        .filter(([, rule]) => rule.meta.docs?.recommended)
        .map(([name, rule]) => [`lambda-iam/${name}`, rule.meta.docs!.severity]),
      ...Object.entries(handlerRules).map(([name, rule]) => [`lambda-iam/${name}`, rule.meta.docs!.severity]),
    ];
    expect(rules).toEqual(expected);
    expect(rules.length).toBeGreaterThan(0);
  });
});
