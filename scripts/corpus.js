// `npm run corpus`: lints every template of ../shared/corpus (or the paths given) with the CLI's engine
// and prints what a maintainer needs: files, parse errors with their positions, crashes, findings per
// rule and the time taken. Exits 1 when anything crashed.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { discoverTemplates } from "../dist/cli/discover.js";
import { createTemplateEslint } from "../dist/cli/main.js";

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

console.log(`templates linted: ${files.length}`);
console.log(`parse errors: ${parseErrors.length}`);
for (const line of parseErrors) console.log(`  ${line}`);
console.log(`crashes: ${crashes.length}`);
for (const line of crashes) console.log(`  ${line}`);
console.log("findings per rule:");
for (const [rule, count] of [...findingsByRule].sort()) console.log(`  ${rule}: ${count}`);
console.log(`time: ${seconds.toFixed(1)} s`);
process.exitCode = crashes.length > 0 ? 1 : 0;
