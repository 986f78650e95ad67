import type { RuleDefinition, RulesMeta } from "@eslint/core";
import type { Rule } from "eslint";
import type { JSONSchema4 } from "json-schema";
import type { AnyNode } from "../language/ast.js";
import type { TemplateSourceCode } from "../language/source-code.js";
import { Analysis } from "../analyzers/analysis.js";
import type { DocumentNode } from "../language/ast.js";
import type { Finding } from "../analyzers/finding.js";
import type { SourceLocation } from "../language/ast.js";
import { offsetAt } from "../language/locations.js";
import { readTemplateText } from "../analyzers/template-text.js";
import type { Workspace } from "../analyzers/workspace.js";
import type { AccountMap } from "../handlers/accounts.js";
import { accountsSettingProblems, fileWorkspaces } from "../handlers/accounts.js";
import type { Refusal } from "../handlers/project-files.js";
import { ProjectFiles } from "../handlers/project-files.js";
import { visibleData, visibleText } from "../language/visible-text.js";
import { constructPath, resourceAt } from "../template/cdk.js";
import { entryOf, literalText } from "../template/expr.js";
import { positionKey, recordReported } from "../analyzers/reported.js";
import { REPOSITORY_URL } from "../package-facts.js";
import type { CodeFinding, HandlerCode } from "../analyzers/sdk/handler-code.js";
import type { CodeFile, LintedCode } from "../handlers/code/code-file.js";
import { codeFileOf } from "../handlers/code/code-file.js";
import { CodeParseError } from "../handlers/code/parse.js";
import { handlerCode } from "../handlers/handler-code.js";
import { functionCodeReader } from "../handlers/function-code.js";
import type { FunctionCodeReader } from "../analyzers/sdk/function-code.js";
import type { TSESTree } from "@typescript-eslint/types";
import { constantOf } from "../cdk/construct-code.js";
import type { CodeListeners } from "../handlers/code/traverse.js";
import { traverse } from "../handlers/code/traverse.js";
import { pythonCodeOf } from "../python/code-file.js";
import type { PyNode } from "../python/tree.js";

function ruleDocsUrl(name: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${name}.md`;
}

interface TemplateRuleDocs {
  description: string;
  recommended: boolean;
  /** The severity in the `recommended` config: "error" when the template cannot work, "warn" for best practice. */
  severity: "error" | "warn";
  url: string;
  /** AWS documentation that states the requirement this rule enforces. */
  sources: string[];
}

export type TemplateRule = RuleDefinition<{
  LangOptions: Record<string, unknown>;
  Code: TemplateSourceCode;
  RuleOptions: unknown[];
  Visitor: { Document?: (node: AnyNode) => void };
  Node: AnyNode;
  MessageIds: string;
  ExtRuleDocs: TemplateRuleDocs;
}> & { meta: RulesMeta<string, unknown[], TemplateRuleDocs> };

interface TemplateRuleSpec<Options extends object, MessageId extends string> {
  name: string;
  type: "problem" | "suggestion";
  description: string;
  recommended: boolean;
  severity: "error" | "warn";
  sources: string[];
  messages: Record<MessageId, string>;
  /** JSON schema of the single options object; every property has a `description`. */
  optionsSchema: JSONSchema4;
  defaultOptions: Options;
  /** Whether findings may carry suggestions (edits the user can apply). */
  hasSuggestions?: boolean;
  /** Runs the analyzers: the rule itself only reports what they prove. `code` reads the handler code of a function. */
  analyze(analysis: Analysis, options: Options, workspace: Workspace, code: FunctionCodeReader): Array<Finding<MessageId>>;
}

/**
 * Builds a template rule: one options object, defaults in one place (`meta.defaultOptions`), the docs URL
 * from the rule name, and reports that honour `Metadata` suppressions.
 */
export function createTemplateRule<Options extends object, MessageId extends string>(
  spec: TemplateRuleSpec<Options, MessageId>,
): TemplateRule {
  return {
    meta: {
      type: spec.type,
      docs: {
        description: spec.description,
        recommended: spec.recommended,
        severity: spec.severity,
        url: ruleDocsUrl(spec.name),
        sources: spec.sources,
      },
      messages: {
        ...spec.messages,
        ...inConstructMessages(spec.messages),
        ...assumingDefaultMessages(spec.messages),
        ...NOT_READ_MESSAGES,
        ...SETTING_MESSAGES,
      },
      // ESLint 10 refuses to run the rule on files of any other language.
      languages: ["lambda-iam/cloudformation", ...HOSTED_LANGUAGES],
      schema: [spec.optionsSchema],
      defaultOptions: [spec.defaultOptions],
      ...(spec.hasSuggestions ? { hasSuggestions: true } : {}),
    },
    create(context) {
      const options = { ...spec.defaultOptions, ...(context.options[0] as Partial<Options> | undefined) };
      const sourceCode = context.sourceCode as TemplateSourceCode | HostSourceCode;
      const settings = (context.settings as { "lambda-iam"?: { accounts?: AccountMap } } | undefined)?.["lambda-iam"];
      const files = new ProjectFiles(context.cwd);

      function reportFindings(analysis: Analysis, locate: (at: Finding<MessageId>["at"]) => SourceLocation, hosted: boolean) {
        // One message per fact: branches of one value (Fn::If) can prove the same finding at one place.
        const reported = new Set<string>();
        // A template deployed to several accounts is checked in each (its findings name the account where it matters).
        const workspaces = fileWorkspaces(settings?.accounts, files, context.physicalFilename);
        // Read only by the rules that ask what a function's code does, and then once per template.
        let reader: FunctionCodeReader | undefined;
        const code: FunctionCodeReader = (fn) => (reader ??= functionCodeReader(files, context.physicalFilename))(fn);
        for (const finding of workspaces.flatMap((workspace) => spec.analyze(analysis, options, workspace, code))) {
          if (analysis.suppressions.isSuppressed(spec.name, finding.at)) continue;
          const key = JSON.stringify([finding.messageId, finding.data, finding.at.range]);
          if (reported.has(key)) continue;
          reported.add(key);
          const suggest = finding.suggestions?.map((suggestion) => ({
            messageId: suggestion.messageId,
            data: suggestion.data,
            fix: (fixer: { replaceTextRange(range: [number, number], text: string): unknown }) =>
              suggestion.edits.map((edit) => fixer.replaceTextRange(edit.range, edit.text)),
          }));
          // On a template that the CDK synthesized, the message also names the construct the user wrote.
          // In a loop body expanded with a parameter's Default, it says that it assumes that Default.
          const resource = resourceAt(analysis.template, finding.at.range[0]);
          const construct = resource && constructPath(resource);
          const parameter = resource?.loopAssumesDefault;
          const messageId = construct
            ? `${finding.messageId}${IN_CONSTRUCT}`
            : parameter !== undefined
              ? `${finding.messageId}${ASSUMING_DEFAULT}`
              : finding.messageId;
          const data = construct ? { ...finding.data, construct } : parameter !== undefined ? { ...finding.data, parameter } : finding.data;
          const loc = locate(finding.at);
          // ESLint reports a column of its own languages (which count from 0) one to the right.
          const column = loc.start.column + (hosted ? 1 : 0);
          recordReported(context.physicalFilename, positionKey(`lambda-iam/${spec.name}`, loc.start.line, column), {
            related: finding.related.map(({ at, message }) => {
              const place = locate(at);
              return {
                line: place.start.line,
                column: place.start.column + (hosted ? 1 : 0),
                endLine: place.end.line,
                endColumn: place.end.column + (hosted ? 1 : 0),
                message,
              };
            }),
            ...(construct ? { construct } : {}),
            ...(resource?.metadata ? { cdkPath: literalText(entryOf(resource.metadata, "aws:cdk:path")) } : {}),
          });
          context.report({
            loc,
            messageId,
            data: visibleData(data),
            ...(suggest && suggest.length > 0 ? { suggest } : {}),
          } as never);
        }
        reportRefusals(context, files.refusals);
        reportSettingProblems(context, settings?.accounts, files);
      }

      if (!isTemplateSourceCode(sourceCode)) {
        // Another plugin's language (eslint-plugin-yml, @eslint/json) parsed the file: read its text ourselves.
        const read = hostedTemplate(sourceCode);
        if (read.kind === "template") {
          reportFindings(
            read.analysis,
            (at) => ({
              start: sourceCode.getLocFromIndex(at.range[0]),
              end: sourceCode.getLocFromIndex(at.range[1]),
            }),
            true,
          );
        } else if (read.kind === "unreadable" && !unreadableReported.has(sourceCode)) {
          unreadableReported.add(sourceCode);
          context.report({
            loc: sourceCode.getLocFromIndex(read.offset),
            message: `lambda-iam cannot read this template, so none of it is checked: ${visibleText(read.message)}`,
          } as never);
        }
        return {};
      }
      return {
        Document(node) {
          if (node.type !== "Document" || !node.isTemplate) return;
          reportFindings(analysisOf(sourceCode), (at) => at.loc, false);
        },
      };
    },
  };
}

/** The message of a path beside the linted file that was not read, which every rule that reads beside its file has. */
const NOT_READ_MESSAGES = {
  notRead: "{{path}}, named by {{from}}, was not read: {{reason}}; what it holds is unknown, and no check relies on it",
};

/** The message of a `lambda-iam` setting that is wrong, which every rule that reads the settings has. */
const SETTING_MESSAGES = { badSetting: "{{problem}}" };

/** What each linted file's rules have said about the files and settings beside it: each once, by the first rule that meets it. */
const saidOnce = new WeakMap<object, Set<string>>();

/** What a rule needs to report at the start of a file. */
interface FileReporter {
  sourceCode: { getLocFromIndex(index: number): { line: number; column: number } };
  report(descriptor: { loc: { line: number; column: number }; messageId: string; data: Record<string, string> }): void;
}

/** Reports something about the linted file's surroundings once per file, at its start, whichever rule meets it first. */
function reportOnce(context: FileReporter, messageId: string, data: Record<string, string>): void {
  let said = saidOnce.get(context.sourceCode);
  const key = JSON.stringify([messageId, data]);
  if (said?.has(key)) return;
  if (!said) saidOnce.set(context.sourceCode, (said = new Set()));
  said.add(key);
  context.report({ loc: context.sourceCode.getLocFromIndex(0), messageId, data: visibleData(data) });
}

/** Reports each path a rule refused to read, once per linted file. */
function reportRefusals(context: FileReporter, refusals: Refusal[]): void {
  for (const refusal of refusals) reportOnce(context, "notRead", { ...refusal });
}

/** Reports what is wrong with the `accounts` setting, once per linted file. */
function reportSettingProblems(context: FileReporter & { physicalFilename: string }, accounts: unknown, files: ProjectFiles): void {
  for (const problem of accountsSettingProblems(accounts, files, context.physicalFilename)) reportOnce(context, "badSetting", { problem });
}

/** The suffix of a message's twin that names the CDK construct (`sharedRoleInConstruct`). */
const IN_CONSTRUCT = "InConstruct";

/** Each message's twin for synthesized templates: the same text, then the construct path. */
function inConstructMessages(messages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([id, text]) => [`${id}${IN_CONSTRUCT}`, `${text} (construct {{construct}})`]));
}

/** The suffix of a message's twin for a resource that a loop generated from a parameter's Default. */
const ASSUMING_DEFAULT = "AssumingDefault";

/** Each message's twin for resources of a loop over a parameter: the same text, then the assumption it rests on. */
function assumingDefaultMessages(messages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(messages).map(([id, text]) => [
      `${id}${ASSUMING_DEFAULT}`,
      `${text} (assuming parameter {{parameter}} keeps its Default, which the Fn::ForEach loop was expanded with)`,
    ]),
  );
}

/** One analysis per parsed file, shared by every rule that runs on it (dropped with the file's tree). */
const analyses = new WeakMap<DocumentNode, Analysis>();

/** The analysis of a template file: computed by the first rule that asks, then shared. */
function analysisOf(sourceCode: { ast: DocumentNode; text: string }): Analysis {
  let analysis = analyses.get(sourceCode.ast);
  if (!analysis) {
    analysis = new Analysis(sourceCode.ast, sourceCode.text);
    analyses.set(sourceCode.ast, analysis);
  }
  return analysis;
}

/**
 * Languages of other plugins whose files the template rules also check, reading the text themselves:
 * a project that lints its YAML with eslint-plugin-yml or its JSON with @eslint/json keeps both.
 */
export const HOSTED_LANGUAGES = ["yml/yaml", "json/json", "json/jsonc", "json/json5"];

/** What the template rules need of another language's source code. */
interface HostSourceCode {
  text: string;
  ast: unknown;
  getLocFromIndex(index: number): { line: number; column: number };
}

function isTemplateSourceCode(sourceCode: TemplateSourceCode | HostSourceCode): sourceCode is TemplateSourceCode {
  return typeof (sourceCode.ast as Partial<DocumentNode> | undefined)?.isTemplate === "boolean";
}

type HostedRead =
  { kind: "template"; analysis: Analysis } | { kind: "not-template" } | { kind: "unreadable"; message: string; offset: number };

/** The template in another language's file, read once per file for all the rules. */
const hostedReads = new WeakMap<object, HostedRead>();
/** Files whose unreadable template one rule has already reported. */
const unreadableReported = new WeakSet<object>();

function hostedTemplate(sourceCode: HostSourceCode): HostedRead {
  let read = hostedReads.get(sourceCode);
  if (!read) {
    const template = readTemplateText(sourceCode.text);
    read =
      template.kind === "unreadable"
        ? { kind: "unreadable", message: template.problem.message, offset: offsetAt(sourceCode.text, template.problem) }
        : template;
    hostedReads.set(sourceCode, read);
  }
  return read;
}

/** The docs fields of a code rule's meta, as template rules have them. */
interface CodeRuleDocs {
  description: string;
  recommended: boolean;
  severity: "error" | "warn";
  url: string;
  sources: string[];
}

/** A rule for JavaScript and TypeScript code, as ESLint runs it. */
export interface CodeRule {
  meta: Omit<Rule.RuleMetaData, "docs"> & { docs: CodeRuleDocs; defaultOptions?: unknown[] };
  create(context: Rule.RuleContext): Rule.RuleListener;
}

/** The message of a code file this plugin's parser cannot read, which every code rule has. */
const UNREADABLE_CODE_MESSAGES = {
  unreadableCode: "lambda-iam cannot parse this file, so none of it is checked: {{reason}}",
};

/** Code files whose parse failure one rule has already reported. */
const unreadableCodeReported = new WeakSet<object>();

/**
 * The file a code rule reads, parsed by this plugin; undefined when it cannot be, after reporting that
 * (once per file, whichever code rule asks first) where the parse stopped.
 */
function readCode(context: Rule.RuleContext): CodeFile | undefined {
  const code = codeFileOf(context as unknown as LintedCode);
  if (!(code instanceof CodeParseError)) return code;
  if (!unreadableCodeReported.has(context.sourceCode)) {
    unreadableCodeReported.add(context.sourceCode);
    const start = context.sourceCode.getLocFromIndex(Math.min(code.index, context.sourceCode.text.length));
    context.report({ loc: { start, end: start }, messageId: "unreadableCode", data: { reason: visibleText(code.message) } });
  }
  return undefined;
}

interface CodeRuleSpec<Options extends object, MessageId extends string> {
  name: string;
  description: string;
  sources: string[];
  messages: Record<MessageId, string>;
  /** JSON schema of the single options object; every property has a `description`. */
  optionsSchema: JSONSchema4;
  defaultOptions: Options;
  /** Runs the check on the file's SDK usage and the functions that run it. */
  analyze(code: HandlerCode, options: Options): Array<CodeFinding<MessageId>>;
}

/**
 * Builds a rule on a handler's AWS SDK usage (recommended, as an error): the file is read by this
 * plugin, the functions that run it are found in the project's templates (or the `templates`
 * setting), the check judges the calls, and each finding is reported once at its code, naming the
 * CDK construct of the function when the template was synthesized. Paths the search could not read
 * are reported as template rules report them.
 */
export function createCodeRule<Options extends { templates?: string[] }, MessageId extends string>(
  spec: CodeRuleSpec<Options, MessageId>,
): CodeRule {
  return {
    meta: {
      type: "problem",
      docs: { description: spec.description, url: ruleDocsUrl(spec.name), recommended: true, severity: "error", sources: spec.sources },
      messages: {
        ...spec.messages,
        ...inConstructMessages(spec.messages),
        ...NOT_READ_MESSAGES,
        ...SETTING_MESSAGES,
        ...UNREADABLE_CODE_MESSAGES,
      },
      schema: [spec.optionsSchema],
      defaultOptions: [spec.defaultOptions],
    },
    create(context) {
      const options = { ...spec.defaultOptions, ...(context.options[0] as Partial<Options> | undefined) };
      const settings = (context.settings as { "lambda-iam"?: { templates?: string[]; accounts?: AccountMap } } | undefined)?.["lambda-iam"];
      const check = (code: Pick<CodeFile, "facts" | "usage">) => {
        const { calls, assumptions, unmapped } = code.usage;
        if (calls.length === 0 && assumptions.length === 0 && unmapped.length === 0) return;
        const files = new ProjectFiles(context.cwd);
        const handler = handlerCode(code, context.physicalFilename, options.templates ?? settings?.templates, settings?.accounts, files);
        const reported = new Set<string>();
        for (const finding of spec.analyze(handler, options)) {
          const key = JSON.stringify([finding.messageId, finding.data, finding.range, finding.construct]);
          if (reported.has(key)) continue;
          reported.add(key);
          // A function of a synthesized template is named by its construct too, where the user acts.
          const { construct } = finding;
          const start = context.sourceCode.getLocFromIndex(finding.range[0]);
          if (finding.subject) {
            // ESLint's JavaScript columns count from 0 in the source and from 1 in its messages.
            const key = positionKey(`lambda-iam/${spec.name}`, start.line, start.column + 1);
            recordReported(context.physicalFilename, key, { related: [], subjects: [finding.subject] });
          }
          context.report({
            loc: { start, end: context.sourceCode.getLocFromIndex(finding.range[1]) },
            messageId: construct ? `${finding.messageId}${IN_CONSTRUCT}` : finding.messageId,
            data: visibleData(construct ? { ...finding.data, construct } : finding.data),
          });
        }
        reportRefusals(context as never, files.refusals);
        reportSettingProblems(context as never, settings?.accounts, files);
      };
      return {
        "Program:exit"() {
          // Every AWS SDK call starts from a package of @aws-sdk/ (v3) or aws-sdk (v2): a file that never names one makes none.
          if (!context.sourceCode.text.includes("aws-sdk")) return;
          const code = readCode(context);
          if (code) check(code);
        },
        // A Python file (this plugin's Python language): boto3 makes every call a reader knows.
        "module:exit"(root: unknown) {
          if (context.sourceCode.text.includes("boto3")) check(pythonCodeOf(root as PyNode));
        },
      } as Rule.RuleListener;
    },
  };
}

/** What a CDK rule is given to read an app's source: the file, names, constants, text and a way to report. */
interface CdkRuleContext<MessageId extends string> {
  code: CodeFile;
  /** The `const` a name refers to, with its value. */
  constant(identifier: TSESTree.Identifier): ReturnType<typeof constantOf>;
  text(node: TSESTree.Node): string;
  report(node: TSESTree.Node, messageId: MessageId, data: Record<string, string>): void;
}

interface CdkRuleSpec<MessageId extends string> {
  name: string;
  type: "problem" | "suggestion";
  description: string;
  severity: "error" | "warn";
  sources: string[];
  messages: Record<MessageId, string>;
  /** The listeners that read the app's source (walked in source order; `Program:exit` last). */
  listen(cdk: CdkRuleContext<MessageId>): CodeListeners;
}

/**
 * Builds a rule on the source of an AWS CDK app (recommended): it runs on files that name
 * `aws-cdk-lib`, read by this plugin's parser whatever parsed them for ESLint.
 */
export function createCdkRule<MessageId extends string>(spec: CdkRuleSpec<MessageId>): CodeRule {
  return {
    meta: {
      type: spec.type,
      docs: {
        description: spec.description,
        url: ruleDocsUrl(spec.name),
        recommended: true,
        severity: spec.severity,
        sources: spec.sources,
      },
      messages: { ...spec.messages, ...UNREADABLE_CODE_MESSAGES },
      schema: [],
    },
    create(context) {
      return {
        "Program:exit"() {
          if (!context.sourceCode.text.includes("aws-cdk-lib")) return;
          const code = readCode(context);
          if (!code) return;
          const listeners = spec.listen({
            code,
            constant: (identifier) => constantOf(code.bindings, identifier),
            text: (node) => context.sourceCode.text.slice(node.range[0], node.range[1]),
            report: (node, messageId, data) => context.report({ loc: node.loc, messageId, data: visibleData(data) }),
          });
          traverse(code.parsed.program, listeners);
        },
      };
    },
  };
}
