// `npm run corpus`: lints every template of ../shared/corpus (or the paths given) with the CLI's engine
// and prints what a maintainer needs: files, parse errors with their positions, crashes, findings per
// rule and the time taken. Exits 1 when anything crashed.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { Analysis } from "../dist/analyzers/analysis.js";
import { discoverTemplates } from "../dist/cli/discover.js";
import { createTemplateEslint } from "../dist/cli/main.js";
import { parseTemplate } from "../dist/language/parse.js";

const defaultCorpus = fileURLToPath(new URL("../../shared/corpus", import.meta.url));
const roots = process.argv.length > 2 ? process.argv.slice(2) : [defaultCorpus];
const cwd = path.resolve(roots.length === 1 ? roots[0] : process.cwd());

const started = performance.now();
const files = discoverTemplates(roots, process.cwd());
const eslint = createTemplateEslint(path.extname(cwd) ? path.dirname(cwd) : cwd);
const parseErrors = [];
const crashes = [];
const findingsByRule = new Map();
for (const file of files) {
  try {
    const [result] = await eslint.lintFiles([file]);
    for (const message of result.messages) {
      if (message.fatal) parseErrors.push(`${path.relative(cwd, file)}:${message.line}:${message.column} ${message.message}`);
      else findingsByRule.set(message.ruleId ?? "(no rule)", (findingsByRule.get(message.ruleId ?? "(no rule)") ?? 0) + 1);
    }
  } catch (error) {
    crashes.push(`${path.relative(cwd, file)}: ${error.message.split("\n")[0]}`);
  }
}
const seconds = (performance.now() - started) / 1000;

// The IAM engine on every function's role: can it write its logs? Tallies the answers and, for
// "unknown", what kind of permission source could not be read.
const outcomes = new Map();
const unknownReasons = new Map();
const tally = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
for (const file of files) {
  try {
    const outcome = parseTemplate(readFileSync(file, "utf8"));
    if (!outcome.ok || !outcome.ast.isTemplate) continue;
    const analysis = new Analysis(outcome.ast);
    for (const fn of analysis.functions) {
      for (const candidate of fn.candidates) {
        const decision = analysis.iam.ask(fn, candidate, "logs:PutLogEvents", "*");
        tally(outcomes, decision.outcome);
        if (decision.outcome === "unknown") tally(unknownReasons, reasonKind(decision.reason));
      }
    }
  } catch (error) {
    crashes.push(`${path.relative(cwd, file)} (IAM engine): ${error.message.split("\n")[0]}`);
  }
}

/** A reason with its names taken out, so that reasons of one kind count together. */
function reasonKind(reason) {
  return reason
    .replace(/"[^"]*"/gu, '"…"')
    .replace(/\b(role|parameter|policy|function|event|template|managed policy) [^ ,:;]+/gu, "$1 …")
    .replace(/^[A-Za-z0-9]+(?=['’ ])/u, "…")
    .replace(/\{[^}]*\}/gu, "…");
}

console.log(`templates linted: ${files.length}`);
console.log(`parse errors: ${parseErrors.length}`);
for (const line of parseErrors) console.log(`  ${line}`);
console.log(`crashes: ${crashes.length}`);
for (const line of crashes) console.log(`  ${line}`);
console.log("findings per rule:");
for (const [rule, count] of [...findingsByRule].sort()) console.log(`  ${rule}: ${count}`);
console.log(`time: ${seconds.toFixed(1)} s`);
console.log("IAM engine, logs:PutLogEvents for every function role:");
for (const [outcome, count] of [...outcomes].sort()) console.log(`  ${outcome}: ${count}`);
console.log("  unknown because:");
for (const [reason, count] of [...unknownReasons].sort((a, b) => b[1] - a[1])) console.log(`    ${count} × ${reason}`);
process.exitCode = crashes.length > 0 ? 1 : 0;
