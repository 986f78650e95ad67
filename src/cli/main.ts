import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Linter } from "eslint";
import { ESLint } from "eslint";
import plugin, { HANDLER_FILES, PYTHON_FILES, TEMPLATE_FILES } from "../index.js";
import { handlerRules } from "../rules/index.js";
import { codeParser } from "../handlers/code/eslint-parsers.js";
import { accountsSettingProblems } from "../handlers/accounts.js";
import { ProjectFiles } from "../handlers/project-files.js";
import { stagedSources } from "../handlers/cdk-assets.js";
import { offsetAt } from "../language/locations.js";
import type { Discovered, Unreadable } from "./discover.js";
import { VANISHED, discover, lintedRoot, readFailure } from "./discover.js";
import { isWithin, placeOf, readInside } from "../files/contained.js";
import { accessDiff, formatDiffJson, formatDiffMarkdown, formatDiffText } from "./access-diff.js";
import type { Expanded } from "./cfn-include.js";
import { expandCfnIncludeTemplates, locateInSource } from "./cfn-include.js";
import { applySourceDirectives } from "./source-directives.js";
import type { LintedTexts } from "./linted-template.js";
import { readTemplateText } from "../analyzers/template-text.js";
import { visibleText } from "../language/visible-text.js";
import type { CliOptions, Concurrency } from "./options.js";
import { HELP, UsageError, parseCliOptions } from "./options.js";
import { fullGarbageCollection } from "./garbage.js";
import { renderReport } from "./formats.js";
import type { ReportedByFile, ReportedExtras } from "../analyzers/reported.js";
import { collectReported, positionKey, stopCollecting } from "../analyzers/reported.js";

/** Handler code, which the HTML page lists no graph for. */

export interface CliIo {
  cwd: string;
  /** A progress line (replaced by the next; "" clears it), when standard error is a terminal. */
  progress?: (text: string) => void;
  /** Standard input, read whole (for `-`). */
  stdin?: () => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the CLI and returns its exit code: 0 clean, 1 problems over the limits, 2 bad usage or failure. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliOptions(argv);
    if (options.help) {
      io.stdout(`${HELP}\n`);
      return 0;
    }
    if (options.version) {
      io.stdout(`${plugin.meta.version}\n`);
      return 0;
    }
    if (options.listRules) {
      io.stdout(ruleList());
      return 0;
    }
    return await lint(options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lambda-iam-lint: ${error.message}\nRun lambda-iam-lint --help for usage.\n`);
    } else if (options?.debug || argv.includes("--debug")) {
      io.stderr(`lambda-iam-lint: internal failure\n${(error as Error).stack ?? String(error)}\n`);
    } else {
      io.stderr(`lambda-iam-lint: internal failure: ${(error as Error).message} (run with --debug for details)\n`);
    }
    return 2;
  }
}

/**
 * The ESLint instance the CLI lints with: the recommended config, its template block for any file it is
 * given that is not handler code (the CLI has already chosen the templates), no config file, no ignore
 * files.
 */
export function createTemplateEslint(cwd: string): ESLint {
  return new ESLint(templateEslintOptions(cwd));
}

/** The files the CLI lints as templates: whatever it was given that is not handler code (it has chosen the templates). */
const CLI_TEMPLATE_FILES = { files: [...TEMPLATE_FILES, "**/*.*"], ignores: [...HANDLER_FILES, ...PYTHON_FILES] };

/** `--rule` settings as config blocks, each on the files its rule runs on: the handler rule on code, the others on templates. */
function ruleOverrides(rules: Record<string, unknown>): Linter.Config[] {
  const isHandlerRule = (id: string) => id.replace(/^lambda-iam\//u, "") in handlerRules;
  const pick = (handler: boolean) =>
    Object.fromEntries(Object.entries(rules).filter(([id]) => isHandlerRule(id) === handler)) as Linter.RulesRecord;
  return [
    { name: "lambda-iam-lint/--rule/templates", ...CLI_TEMPLATE_FILES, rules: pick(false) },
    { name: "lambda-iam-lint/--rule/handlers", files: [...HANDLER_FILES, ...PYTHON_FILES], rules: pick(true) },
  ].filter((block) => Object.keys(block.rules).length > 0);
}

/** The options of the CLI's ESLint; exported so that ESLint's worker threads can load them by module. */
export function templateEslintOptions(cwd: string, concurrency: Concurrency = "off", rules: Record<string, unknown> = {}): ESLint.Options {
  return {
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      ...plugin.configs.recommended.map((config) =>
        config.name === "lambda-iam/recommended/templates" ? { ...config, ...CLI_TEMPLATE_FILES } : config,
      ),
      // No other rule reads handler code here: the plugin's own parser reads it (fast, and whatever TypeScript is installed).
      { name: "lambda-iam-lint/code-parser", files: HANDLER_FILES, languageOptions: { parser: codeParser as never } },
      // What the handler rule cannot check, it says: the CLI lists those files (unchecked), never passes them as clean.
      {
        name: "lambda-iam-lint/unchecked",
        files: [...HANDLER_FILES, ...PYTHON_FILES],
        rules: { [SDK_RULE]: ["error", { reportUnchecked: true }] },
      },
      ...ruleOverrides(rules),
    ],
    ignore: false,
    errorOnUnmatchedPattern: false,
    ...(concurrency === "off" ? {} : { concurrency }),
  };
}

/**
 * With concurrency, every worker thread builds the options itself: a plugin object cannot be passed to a
 * thread, so ESLint loads them from a module, here a `data:` module that calls `templateEslintOptions`.
 */
async function createCliEslint(cwd: string, concurrency: Concurrency, rules: Record<string, unknown>): Promise<ESLint> {
  if (concurrency === "off") return new ESLint(templateEslintOptions(cwd, "off", rules));
  if (typeof ESLint.fromOptionsModule !== "function") {
    throw new UsageError(`--concurrency needs ESLint 9.34 or later; this is ESLint ${ESLint.version}`);
  }
  const source = `import { templateEslintOptions } from ${JSON.stringify(import.meta.url)};\nexport default templateEslintOptions(${JSON.stringify(cwd)}, ${JSON.stringify(concurrency)}, ${JSON.stringify(rules)});\n`;
  return ESLint.fromOptionsModule(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
}

/** `lambda-iam-lint - --stdin-filename template.yaml`: one template from standard input, as an editor or a pipe gives it. */
async function lintStdin(options: CliOptions, io: CliIo): Promise<number> {
  if (options.paths.length !== 1) throw new UsageError('"-" (standard input) cannot be combined with other paths');
  if (!io.stdin) throw new UsageError("standard input cannot be read here");
  const filePath = path.resolve(io.cwd, options.stdinFilename ?? "stdin.yaml");
  const root = lintedRoot([filePath], io.cwd);
  const projectEslint = await userEslint(options, io, root, filePath);
  const eslint = projectEslint ?? new ESLint(templateEslintOptions(root, "off", options.rules));
  const text = await io.stdin();
  const results = await eslint.lintText(text, { filePath });
  const linted = new Map([[filePath, text]]);
  return report(eslint, projectEslint ? results : results.map(withoutForeignDirectives), options, io, root, undefined, linted);
}

/**
 * A note for each macro a linted template names: CloudFormation runs it when it deploys, this linter
 * does not, so what it may add or change is not checked; said where the user sees it, not by silence.
 */
function macroNotes(templates: string[], cwd: string): string[] {
  return templates.flatMap((template) => {
    const read = readInside(cwd, template);
    if (read.kind !== "read") return [];
    const text = read.bytes.toString("utf8");
    if (!text.includes("Transform")) return [];
    const analysed = readTemplateText(text);
    if (analysed.kind !== "template") return [];
    const file = visibleText(path.relative(cwd, template) || template);
    return analysed.analysis.template.unexpanded
      .filter((part) => part.rewrites)
      .map(
        ({ what, node }) =>
          `${file}:${node.loc.start.line}:${node.loc.start.column}: ${visibleText(what)} is not expanded (CloudFormation runs it when it deploys): what it may add or change in the template is not checked`,
      );
  });
}

/** The formats that draw the wiring, with handler code's findings as the rules recorded them. */
const PICTURE_FORMATS: ReadonlySet<string> = new Set(["mermaid", "wiring-json", "html"]);

async function lint(options: CliOptions, io: CliIo): Promise<number> {
  if (options.paths.includes("-")) return lintStdin(options, io);
  const discovered = discover(options.paths, io.cwd, { withHandlers: options.withHandlers });
  const cwd = discovered.root;
  for (const note of discovered.notes) io.stderr(`lambda-iam-lint: ${note}\n`);
  if (!options.configLookup && placeOf(cwd, fileURLToPath(import.meta.url)).kind === "inside") {
    io.stderr(
      "lambda-iam-lint: --no-config-lookup, but lambda-iam-lint itself is installed inside the linted tree, whose packages may be the pull request's: install it outside (README: Running on untrusted code)\n",
    );
  }
  if (options.diff) return diffReport(discovered.templates, cwd, options, io);
  const handlers = discovered.handlers;
  if (options.concurrency !== "off" && handlers.length > 0 && PICTURE_FORMATS.has(options.format)) {
    io.stderr(
      `lambda-iam-lint: --concurrency: the ${options.format} picture leaves out handler code's findings, which the rules record in their worker threads\n`,
    );
  }
  const files = [...discovered.templates, ...handlers];
  if (files.length === 0 && discovered.unreadable.length === 0) {
    io.stderr(`lambda-iam-lint: no CloudFormation or SAM templates found in ${visibleText(options.paths.join(", "))}\n`);
    // A following upload step expects its report: an empty one is still a valid one.
    writeReport(
      await renderReport(options.format, { eslint: createTemplateEslint(cwd), results: [], cwd, color: options.color }),
      options,
      io,
    );
    return 0;
  }
  const projectEslint = await userEslint(options, io, cwd, discovered.templates[0]);
  const eslint = projectEslint ?? (await createCliEslint(cwd, options.concurrency, options.rules));
  // What the rules know beyond ESLint's messages (related locations), as they report in this thread.
  const reported = collectReported();
  // cfn-include's templates: what the project's cfn-include makes of them is linted (never untrusted, local files only).
  const cfnInclude = await expandCfnIncludeTemplates(discovered.templates, cwd, options.configLookup, (note) =>
    io.stderr(`lambda-iam-lint: ${visibleText(note)}\n`),
  );
  let results: ESLint.LintResult[];
  try {
    const readable = await lintInBatches(
      eslint,
      files.filter((file) => !discovered.decoded.has(file) && !cfnInclude.expanded.has(file)),
      discovered.unreadable,
      {
        progress: io.progress,
        concurrent: options.concurrency !== "off",
      },
    );
    const linted = withoutStagedDuplicates(
      [
        ...withFailures(readable, cfnInclude.failures),
        ...(await lintDecoded(eslint, discovered.decoded)),
        ...(await lintExpanded(eslint, cfnInclude.expanded, reported, cwd)),
      ],
      cwd,
    );
    // With the built-in config only this plugin's rules run: directives about other rules are the project's own.
    const own = projectEslint ? linted : listUnchecked(linted.map(withoutForeignDirectives), cwd, io);
    results = withUnreadable(own, discovered.unreadable);
    for (const note of macroNotes(discovered.templates, cwd)) io.stderr(`lambda-iam-lint: ${note}\n`);
  } finally {
    stopCollecting();
  }
  return report(eslint, results, options, io, cwd, reported);
}

/** `--diff`: what the change from a git revision grants, instead of a lint; exit 0 (it judges nothing). */
function diffReport(templates: string[], cwd: string, options: CliOptions, io: CliIo): number {
  const { base, format } = options.diff!;
  // The directories given: a template the base has there and the working tree not is reported removed.
  const directories = options.paths
    .map((given) => path.resolve(io.cwd, given))
    .filter((given) => statSync(given, { throwIfNoEntry: false })?.isDirectory());
  const changes = accessDiff(templates, cwd, base, directories);
  const write = { stylish: formatDiffText, json: formatDiffJson, markdown: formatDiffMarkdown }[format];
  writeReport(write(changes, base), options, io);
  return 0;
}

/** Writes the report (errors only with --quiet) and returns the exit code: 1 for errors or too many warnings. */
async function report(
  eslint: ESLint,
  results: ESLint.LintResult[],
  options: CliOptions,
  io: CliIo,
  cwd: string,
  reported?: ReportedByFile,
  linted?: LintedTexts,
): Promise<number> {
  const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  writeReport(
    await renderReport(options.format, {
      eslint,
      results: options.quiet ? quietResults(results, options.format) : results,
      cwd,
      color: options.color,
      ...(reported ? { reported } : {}),
      ...(linted ? { linted } : {}),
    }),
    options,
    io,
  );
  const tooManyWarnings = options.maxWarnings >= 0 && warnings > options.maxWarnings;
  if (tooManyWarnings) {
    io.stderr(`lambda-iam-lint found too many warnings (${warnings}; the limit is ${options.maxWarnings}).\n`);
  }
  return errors > 0 || tooManyWarnings ? 1 : 0;
}

/**
 * `--quiet`: errors only. The lists of findings leave out the files without errors, as ESLint's CLI does;
 * the pictures and the grants keep every template (they describe it, whatever its findings).
 */
function quietResults(results: ESLint.LintResult[], format: CliOptions["format"]): ESLint.LintResult[] {
  if (!PICTURE_FORMATS.has(format) && format !== "grants") return ESLint.getErrorResults(results);
  return results.map((result) => ({
    ...result,
    messages: result.messages.filter((message) => message.severity === 2),
    warningCount: 0,
    fixableWarningCount: 0,
  }));
}

/** Files linted per batch when a progress line is shown: small enough to move, large enough to cost nothing. */
const PROGRESS_BATCH = 50;
/** A file this large (a bundle) is linted in a batch of its own, and its tree collected after it. */
const LARGE_FILE_BYTES = 256 * 1024;

/**
 * Lints the files in batches: of PROGRESS_BATCH files, with a progress line when there is a terminal
 * to show it on and the run is long, and each large file alone, with garbage collected after it (see
 * fullGarbageCollection). A worker-thread run is one batch: its threads would start again for each.
 */
async function lintInBatches(
  eslint: ESLint,
  files: string[],
  unreadable: Unreadable[],
  { progress, concurrent }: { progress: ((text: string) => void) | undefined; concurrent: boolean },
): Promise<ESLint.LintResult[]> {
  if (concurrent) return lintReadable(eslint, files, unreadable);
  const large = new Set(files.filter((file) => (statSync(file, { throwIfNoEntry: false })?.size ?? 0) >= LARGE_FILE_BYTES));
  const collect = large.size > 0 ? fullGarbageCollection() : undefined;
  const batches = [...large].map((file) => [file]);
  const rest = files.filter((file) => !large.has(file));
  for (let start = 0; start < rest.length; start += PROGRESS_BATCH) batches.push(rest.slice(start, start + PROGRESS_BATCH));
  const shown = progress && files.length > PROGRESS_BATCH ? progress : undefined;
  const results: ESLint.LintResult[] = [];
  let done = 0;
  for (const batch of batches) {
    shown?.(`lambda-iam-lint: linted ${done} of ${files.length} files`);
    results.push(...(await lintReadable(eslint, batch, unreadable)));
    done += batch.length;
    if (batch.length === 1 && large.has(batch[0]!)) collect?.();
  }
  shown?.("");
  return results;
}

/**
 * Lints the files; one that can no longer be read (removed or locked since it was found) is set aside as
 * unreadable and the others are linted, and so is one that ESLint passed over without a result.
 */
export async function lintReadable(
  eslint: Pick<ESLint, "lintFiles">,
  files: string[],
  unreadable: Unreadable[],
): Promise<ESLint.LintResult[]> {
  let remaining = files;
  for (;;) {
    let results: ESLint.LintResult[];
    try {
      results = remaining.length === 0 ? [] : await eslint.lintFiles(remaining);
    } catch (error) {
      const file = (error as NodeJS.ErrnoException).path;
      if (typeof file !== "string" || !remaining.includes(file)) throw error;
      unreadable.push({ file, reason: readFailure(error) });
      remaining = remaining.filter((candidate) => candidate !== file);
      continue;
    }
    const linted = new Set(results.map((result) => result.filePath));
    for (const file of remaining) if (!linted.has(file)) unreadable.push({ file, reason: VANISHED });
    return results;
  }
}

/**
 * Lints UTF-16 and UTF-32 templates from their decoded text (ESLint would read them as UTF-8), with a
 * warning that CloudFormation does not read them as they are.
 */
async function lintDecoded(eslint: ESLint, decoded: Discovered["decoded"]): Promise<ESLint.LintResult[]> {
  const results: ESLint.LintResult[] = [];
  for (const [filePath, { text, encoding }] of decoded) {
    for (const result of await eslint.lintText(text, { filePath })) {
      const message = `File is ${encoding} (it starts with a byte order mark): linted as decoded, but CloudFormation reads templates as UTF-8 only; save it as UTF-8`;
      result.messages.unshift({ ruleId: null, severity: 1, message, line: 1, column: 1 });
      result.warningCount++;
      results.push(result);
    }
  }
  return results;
}

/**
 * Lints what cfn-include made of each template, its messages placed in the template the user wrote. What
 * the rules recorded is placed in the expansion's text, so it is dropped; instead a finding on a resource
 * an included file writes gets that file and line as its related location (when every finding at its
 * place is about the same one).
 */
async function lintExpanded(
  eslint: ESLint,
  expanded: Map<string, Expanded>,
  reported: ReportedByFile,
  root: string,
): Promise<ESLint.LintResult[]> {
  const results: ESLint.LintResult[] = [];
  for (const [filePath, expansion] of expanded) {
    for (const result of await eslint.lintText(expansion.expanded, { filePath })) {
      const placed = locateInSource(expansion, result.messages, root);
      const extras = new Map<string, ReportedExtras>();
      const places = new Map<string, Array<{ resource: string; file: string; line: number } | undefined>>();
      for (const { message, writtenIn } of placed)
        if (message.ruleId) {
          const key = positionKey(message.ruleId, message.line, message.column);
          places.set(key, [...(places.get(key) ?? []), writtenIn]);
        }
      for (const [key, sites] of places) {
        const [first] = sites;
        if (first && sites.every((site) => site?.resource === first.resource))
          extras.set(key, {
            related: [
              {
                file: first.file,
                line: first.line,
                column: 1,
                endLine: first.line,
                endColumn: 1,
                message: `${first.resource} is written here`,
              },
            ],
          });
      }
      reported.set(filePath, extras);
      // The expansion has none of the template's comments: its `# eslint-disable...` comments apply here.
      const { messages, suppressed } = applySourceDirectives(
        expansion.source,
        placed.map(({ message }) => message),
      );
      const count = (severity: number) => messages.filter((message) => message.severity === severity).length;
      results.push({
        ...result,
        messages,
        suppressedMessages: [...result.suppressedMessages, ...suppressed],
        errorCount: count(2),
        fatalErrorCount: messages.filter((message) => message.fatal).length,
        warningCount: count(1),
        source: expansion.source,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        output: undefined,
      });
    }
  }
  return results;
}

/** A template cfn-include failed to expand gets one warning at its first cfn-include function, never silence. */
function withFailures(
  results: ESLint.LintResult[],
  failures: Map<string, { message: string; line: number; column: number }>,
): ESLint.LintResult[] {
  return results.map((result) => {
    const failure = failures.get(result.filePath);
    if (!failure) return result;
    const { message, line, column } = failure;
    return {
      ...result,
      messages: [{ ruleId: null, severity: 1, message, line, column }, ...result.messages],
      warningCount: result.warningCount + 1,
    };
  });
}

/** ESLint's message about a directive that names a rule it does not know. */
const UNKNOWN_RULE = /^Definition for rule '(.+)' was not found\.?$/u;
/** ESLint's message about a directive that disabled nothing: the rules it names, when it names some. */
const UNUSED_DIRECTIVE = /^Unused eslint-(?:disable|enable) directive(?: \(no problems were reported(?: from (.+))?\))?\.?$/u;

/**
 * A result without ESLint's messages about inline directives that name rules this plugin does not
 * have (`// eslint-disable-next-line @typescript-eslint/no-unused-vars`, an unused `no-console`): the
 * CLI's built-in config runs only this plugin's rules, so those comments are the project's, not its to
 * judge. Directives about this plugin's rules keep their messages.
 */
function withoutForeignDirectives(result: ESLint.LintResult): ESLint.LintResult {
  const ours = (rule: string) => rule.startsWith("lambda-iam/");
  return withoutMessages(result, (message) => {
    const unknown = UNKNOWN_RULE.exec(message.message);
    if (unknown) return !ours(unknown[1]!);
    const unused = message.ruleId === null ? UNUSED_DIRECTIVE.exec(message.message) : null;
    if (!unused) return false;
    const named = [...(unused[1] ?? "").matchAll(/'([^']+)'/gu)].map((match) => match[1]!);
    return !named.some(ours);
  });
}

/**
 * The results without the handler rules' findings in code that CDK staged from a file of the project
 * that this run lints too (a byte copy in `cdk.out/asset.<hash>/`, a module esbuild bundled there):
 * that file has the same findings, where the user edits, and each appears once.
 */
function withoutStagedDuplicates(results: ESLint.LintResult[], cwd: string): ESLint.LintResult[] {
  const linted = new Set(results.map((result) => result.filePath));
  const files = new ProjectFiles(cwd);
  return results.map((result) => {
    const handlerFindings = result.messages.filter((message) => (message.ruleId ?? "").replace(/^lambda-iam\//u, "") in handlerRules);
    if (handlerFindings.length === 0) return result;
    const text = files.text(result.filePath, "the linted file");
    const sources = text === undefined ? undefined : stagedSources(result.filePath, text, files);
    if (!sources) return result;
    return withoutMessages(result, (message) => {
      const source = handlerFindings.includes(message)
        ? sources(offsetAt(text!, { line: message.line, column: message.column + 1 }) - 1)
        : undefined;
      return source !== undefined && linted.has(source);
    });
  });
}

/** The handler rule, whose "not checked" reports the CLI lists instead of reporting. */
const SDK_RULE = "lambda-iam/sdk-call-permissions";
/**
 * Its reports of what of a file it cannot check, and how the CLI lists each kind: by file, at the first
 * call concerned when there is one.
 */
const UNCHECKED: Record<string, { one: string; many: string; atCall: boolean }> = {
  unmatchedHandler: {
    one: "no function's handler in its project's templates reaches it",
    many: "no function's handler in their projects' templates reaches them",
    atCall: false,
  },
  unknownSigners: {
    one: "the role that signs a call in it is not shown",
    many: "the role that signs a call in each is not shown",
    atCall: true,
  },
  unmappedCalls: {
    one: "the IAM actions of a call in it are not in the plugin's SDK data",
    many: "the IAM actions of a call in each are not in the plugin's SDK data",
    atCall: true,
  },
  presignedRequests: {
    one: "it presigns a request, whose permission is not checked",
    many: "each presigns a request, whose permission is not checked",
    atCall: true,
  },
  unreadSdk: {
    one: "it uses the AWS SDK for JavaScript v2, which the plugin does not read",
    many: "they use the AWS SDK for JavaScript v2, which the plugin does not read",
    atCall: true,
  },
};
/** Files listed by name before the rest are counted. */
const LISTED_FILES = 10;

/**
 * The results without the handler rule's reports that a file's SDK calls are not checked, which are
 * no finding (no exit code); each kind is listed on standard error instead, so that no such file
 * passes as clean.
 */
function listUnchecked(results: ESLint.LintResult[], cwd: string, io: CliIo): ESLint.LintResult[] {
  const unchecked = new Map<(typeof UNCHECKED)[string], string[]>();
  const kept = results.map((result) =>
    withoutMessages(result, (message) => {
      const kind = message.ruleId === SDK_RULE && message.messageId !== undefined ? UNCHECKED[message.messageId] : undefined;
      if (kind === undefined) return false;
      const file = visibleText(path.relative(cwd, result.filePath));
      unchecked.set(kind, [...(unchecked.get(kind) ?? []), kind.atCall ? `${file}:${message.line}:${message.column}` : file]);
      return true;
    }),
  );
  for (const [kind, files] of unchecked) {
    const listed =
      files.length > LISTED_FILES ? `${files.slice(0, LISTED_FILES).join(", ")} and ${files.length - LISTED_FILES} more` : files.join(", ");
    const what =
      files.length === 1
        ? `1 file calls AWS through the SDK, but ${kind.one}`
        : `${files.length} files call AWS through the SDK, but ${kind.many}`;
    io.stderr(`lambda-iam-lint: not checked: ${what}: ${listed}\n`);
  }
  return kept;
}

/** A result without some of its messages, its counts told again. */
function withoutMessages(result: ESLint.LintResult, drop: (message: Linter.LintMessage) => boolean): ESLint.LintResult {
  const dropped = result.messages.filter(drop);
  if (dropped.length === 0) return result;
  const count = (severity: number, fixable = false) =>
    dropped.filter((message) => message.severity === severity && (!fixable || message.fix !== undefined)).length;
  return {
    ...result,
    messages: result.messages.filter((message) => !dropped.includes(message)),
    errorCount: result.errorCount - count(2),
    warningCount: result.warningCount - count(1),
    fixableErrorCount: result.fixableErrorCount - count(2, true),
    fixableWarningCount: result.fixableWarningCount - count(1, true),
  };
}

/** The results with one fatal, located message for each file that could not be read, in path order. */
function withUnreadable(results: ESLint.LintResult[], unreadable: Unreadable[]): ESLint.LintResult[] {
  const failures = unreadable.map(({ file, reason }): ESLint.LintResult => ({
    filePath: file,
    messages: [
      { ruleId: null, fatal: true, severity: 2, message: `Cannot read this file: ${reason}; it was not linted`, line: 1, column: 1 },
    ],
    suppressedMessages: [],
    errorCount: 1,
    fatalErrorCount: 1,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  }));
  return [...results, ...failures].sort((a, b) => a.filePath.localeCompare(b.filePath));
}

const CONFIG_FILES = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts"];

/**
 * The user's flat config, when `--config` names one or the working directory has one that lints
 * templates with this plugin: then rule options (`allowedRoles`, ...) are the project's own. A config
 * that does not lint templates with this plugin is not used, and a note says so.
 */
async function userEslint(options: CliOptions, io: CliIo, cwd: string, someTemplate: string | undefined): Promise<ESLint | undefined> {
  if (!options.configLookup) return undefined;
  const configFile = options.config
    ? path.resolve(io.cwd, options.config)
    : CONFIG_FILES.map((name) => path.join(io.cwd, name)).find((file) => existsSync(file));
  if (!configFile) return undefined;
  if (!existsSync(configFile)) throw new UsageError(`No such config file: ${options.config}`);
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: configFile,
    overrideConfig: ruleOverrides(options.rules),
    errorOnUnmatchedPattern: false,
    ...(options.concurrency === "off" ? {} : { concurrency: options.concurrency }),
  });
  const config = someTemplate ? ((await eslint.calculateConfigForFile(someTemplate)) as Linter.Config | undefined) : undefined;
  if (someTemplate && !config?.plugins?.["lambda-iam"]) {
    io.stderr(
      `lambda-iam-lint: ${visibleText(path.relative(io.cwd, configFile) || configFile)} does not lint templates with eslint-plugin-lambda-iam: using the recommended config\n`,
    );
    return undefined;
  }
  // A wrong accounts setting would quietly turn the checks across accounts off: it is a usage error here.
  const accounts = (config?.settings as { "lambda-iam"?: { accounts?: unknown } } | undefined)?.["lambda-iam"]?.accounts;
  const problems = accountsSettingProblems(accounts, new ProjectFiles(cwd));
  if (problems.length > 0) {
    throw new UsageError(`${visibleText(path.relative(io.cwd, configFile) || configFile)}: ${problems.map(visibleText).join("; ")}`);
  }
  return eslint;
}

/** `--list-rules`: one line per rule, tab-separated: name, recommended severity, description, docs URL. */
function ruleList(): string {
  return Object.entries(plugin.rules)
    .map(([name, rule]) => {
      const docs = (rule.meta?.docs ?? {}) as { description?: string; url?: string; severity?: string; recommended?: boolean };
      const severity = docs.severity ?? (docs.recommended === false ? "off" : "error");
      return [`lambda-iam/${name}`, severity, docs.description ?? "", docs.url ?? ""].join("\t");
    })
    .map((line) => `${line}\n`)
    .join("");
}

/** The report to `--output-file` (always written, even empty), or to standard output. */
function writeReport(output: string, options: CliOptions, io: CliIo): void {
  if (!options.outputFile) {
    if (output) io.stdout(output.endsWith("\n") ? output : `${output}\n`);
    return;
  }
  const target = path.resolve(io.cwd, options.outputFile);
  // A device or a pipe named outside the working directory (`-o /dev/null`, `-o /dev/stdout`) is the
  // user's to write to, not a file to replace: renaming over /dev/null would make it a regular file.
  if (!isWithin(path.resolve(io.cwd), target) && isStream(target)) writeFileSync(target, output);
  else writeFileAtomically(target, output, io.cwd);
}

/** Whether a path leads (after links) to something that exists and is neither a file nor a directory. */
function isStream(target: string): boolean {
  const stats = statSync(target, { throwIfNoEntry: false });
  return stats !== undefined && !stats.isFile() && !stats.isDirectory();
}

/**
 * Writes a report as a new file beside the target, then renames it over the target: a symbolic link
 * committed under the report's name is replaced, never written through, and two runs writing the same
 * file leave one whole report. A target inside the working directory whose directory leads outside it
 * (through a committed link) is refused.
 */
function writeFileAtomically(target: string, text: string, cwd: string): void {
  const directory = path.dirname(target);
  mkdirSync(directory, { recursive: true });
  const realCwd = realpathSync.native(cwd);
  if (isWithin(path.resolve(cwd), target) && !isWithin(realCwd, realpathSync.native(directory))) {
    throw new UsageError(`--output-file ${visibleText(target)}: its directory leads outside ${visibleText(cwd)} through a symbolic link`);
  }
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, text, { flag: "wx" });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
}
