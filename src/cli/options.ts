import { createRequire } from "node:module";
import { parseArgs } from "node:util";

import type { FormatName } from "./format-names.js";
import { FORMAT_SUMMARIES, formatsHelp, isFormatName } from "./format-names.js";

export interface CliOptions {
  paths: string[];
  format: FormatName;
  outputFile: string | undefined;
  maxWarnings: number;
  quiet: boolean;
  concurrency: Concurrency;
  debug: boolean;
  help: boolean;
  version: boolean;
  listRules: boolean;
  /** `--color` / `--no-color` for stylish output; undefined: colour when standard output is a terminal. */
  color: boolean | undefined;
  /** `-` among the paths: the template is read from standard input, linted as this file (`--stdin-filename`). */
  stdinFilename: string | undefined;
  /** `--config`: the flat config file to lint with (else eslint.config.* in the working directory, when it lints templates). */
  config: string | undefined;
  /**
   * False with `--no-config-lookup`: the tree is not trusted, so no code of it is loaded (no eslint.config.*,
   * no typescript package of the project): the recommended config lints it.
   */
  configLookup: boolean;
  /** `--rule` settings, by rule id: a severity, or `[severity, options]`, as in a flat config. */
  rules: Record<string, unknown>;
  /** `--with-handlers`: with each template named, the handler code of its project. */
  withHandlers: boolean;
  /** `--diff <git-ref>`: report what the change from that revision grants, written as `diffFormat`, instead of linting. */
  diff: { base: string; format: DiffFormat } | undefined;
}

/** How `--diff` writes its report. */
type DiffFormat = "stylish" | "json" | "markdown";
const DIFF_FORMATS: readonly DiffFormat[] = ["stylish", "json", "markdown"];

/** ESLint's own setting: lint in worker threads, a number of them, as many as pay off ("auto"), or none. */
export type Concurrency = number | "auto" | "off";

export class UsageError extends Error {}

export const HELP = `Usage: lambda-iam-lint [options] [paths...]

Lints the CloudFormation and SAM templates in the given files and directories (default: the current
directory) for Lambda IAM wiring problems. Directories are searched recursively, skipping node_modules and
hidden directories; YAML, JSON and .template files are linted when their content is a template.

Options:
  -f, --format <name>     how to write the report:
${formatsHelp("                            ")}
  -o, --output-file <f>   write the report to a file instead of standard output
      --max-warnings <n>  exit with 1 when there are more than n warnings (default: no limit)
      --quiet             report errors only
      --concurrency <n>   lint in n worker threads, or auto (ESLint chooses; pays off from about 150
                          templates on 4 or more free cores), or off (default); needs ESLint 9.34+
  -c, --config <file>     lint with this flat config (default: eslint.config.js, .mjs, .cjs or .ts in the
                          working directory when it lints templates with this plugin, else the
                          recommended config)
      --no-config-lookup  lint with the recommended config and load no code from the linted tree (no
                          eslint.config.*, no package of the project): for pull requests from people
                          you do not know
      --with-handlers     with each template named, lint the handler code of its project too (what a
                          change to the template may break): for hooks given only the staged files
      --rule <setting>    set a rule as a flat config would, in YAML flow or JSON, for example
                          --rule "lambda-iam/no-shared-execution-role: [warn, {allowedRoles: [OrdersRole]}]"
                          (repeatable)
      --stdin-filename <f> with "-" as the path: read the template from standard input, linted as file f
      --color, --no-color force or turn off colours in stylish output (default: when it is a terminal)
      --diff <git-ref>    instead of linting, report what the change from that git revision to the
                          working tree grants: per function, the grants, invokers, event sources and
                          public exposure added or removed; --format stylish, json or markdown (a pull
                          request comment)
      --list-rules        list every rule: name, recommended severity, description, docs URL
      --debug             print stack traces of internal failures
  -h, --help              show this help
  -v, --version           show the version

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings,
2 bad usage or an internal failure.`;

/** One `--rule` setting: `id: severity` or `id: [severity, {options}]`, read as YAML (JSON is YAML). */
function ruleSetting(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    // The yaml library is loaded only for a --rule: most runs do without it.
    const { parse } = createRequire(import.meta.url)("yaml") as { parse(text: string): unknown };
    value = parse(text.includes(":") && !text.trimStart().startsWith("{") ? `{${text}}` : text);
  } catch (error) {
    throw new UsageError(`--rule "${text}" cannot be read: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new UsageError(`--rule "${text}" is not "rule-id: setting"`);
  for (const [id, setting] of Object.entries(value)) {
    if (!id.startsWith("lambda-iam/")) throw new UsageError(`--rule sets this plugin's rules (lambda-iam/...), not ${id}`);
    const severity = Array.isArray(setting) ? setting[0] : setting;
    if (!["off", "warn", "error", 0, 1, 2].includes(severity as string)) {
      throw new UsageError(`--rule ${id} needs a severity (off, warn or error), not ${JSON.stringify(severity)}`);
    }
  }
  return value as Record<string, unknown>;
}

export function parseCliOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string", short: "f", default: "stylish" },
        "output-file": { type: "string", short: "o" },
        "max-warnings": { type: "string" },
        quiet: { type: "boolean", default: false },
        concurrency: { type: "string", default: "off" },
        debug: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
        "list-rules": { type: "boolean", default: false },
        rule: { type: "string", multiple: true, default: [] },
        config: { type: "string", short: "c" },
        "no-config-lookup": { type: "boolean", default: false },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        "stdin-filename": { type: "string" },
        "with-handlers": { type: "boolean", default: false },
        diff: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format as string;
  const diffFormat = DIFF_FORMATS.find((name) => name === format);
  if (values.diff !== undefined && !diffFormat) throw new UsageError(`--diff writes ${DIFF_FORMATS.join(", ")}, not "${format}"`);
  if (values.diff !== undefined && positionals.includes("-"))
    throw new UsageError("--diff compares files of the working tree with a git revision: it does not read standard input");
  if (values.diff === undefined && !isFormatName(format))
    throw new UsageError(`Unknown format "${format}": use ${Object.keys(FORMAT_SUMMARIES).join(", ")}`);
  let maxWarnings = -1;
  if (values["max-warnings"] !== undefined) {
    maxWarnings = Number(values["max-warnings"]);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
      throw new UsageError(`--max-warnings needs a whole number of 0 or more, not "${values["max-warnings"]}"`);
    }
  }
  const concurrency = values.concurrency === "auto" || values.concurrency === "off" ? values.concurrency : Number(values.concurrency);
  if (typeof concurrency === "number" && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new UsageError(`--concurrency needs a whole number of 1 or more, auto or off, not "${values.concurrency}"`);
  }
  if (values["no-config-lookup"] && values.config !== undefined) {
    throw new UsageError("--no-config-lookup loads no config, so it cannot be combined with --config");
  }
  return {
    paths: positionals.length > 0 ? positionals : ["."],
    format: isFormatName(format) ? format : "stylish",
    outputFile: values["output-file"],
    maxWarnings,
    quiet: values.quiet,
    concurrency,
    debug: values.debug,
    help: values.help,
    listRules: values["list-rules"],
    config: values.config,
    configLookup: !values["no-config-lookup"],
    color: values["no-color"] ? false : values.color,
    stdinFilename: values["stdin-filename"],
    rules: Object.assign({}, ...values.rule.map(ruleSetting)),
    withHandlers: values["with-handlers"],
    version: values.version,
    diff: values.diff === undefined ? undefined : { base: values.diff, format: diffFormat! },
  };
}
