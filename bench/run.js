// `npm run bench`: runs every benchmark on the built package and prints one table (Markdown, for
// docs/performance.md). Benchmarks that need ../shared/corpus or cfn-lint are skipped without them.
import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { spawnSync } from "node:child_process";
import { cdkAssetsMemory } from "./cdk-assets.js";
import { handlerFiles } from "./handlers.js";
import { hostileInputs } from "./hostile.js";
import { benchIamEngine } from "./iam-engine.js";
import { pythonHandler } from "./python.js";
import { startUp } from "./start-up.js";
import { cliVersusBareParse, cliVersusCfnLint, lintVersusParse, peakMemory, scaling, warmRelint } from "./templates.js";

const hasCorpus = existsSync(new URL("../../shared/corpus", import.meta.url));
const hasCfnLint = spawnSync("cfn-lint", ["--version"]).status === 0;
const results = [];
if (hasCorpus) results.push(cliVersusBareParse());
if (hasCorpus && hasCfnLint) results.push(cliVersusCfnLint());
results.push(...startUp({ cfnLint: hasCfnLint }));
if (hasCorpus) results.push(await lintVersusParse());
results.push(warmRelint(), scaling(), benchIamEngine(), handlerFiles(), pythonHandler(), cdkAssetsMemory());
if (hasCorpus) results.push(peakMemory());
results.push(...hostileInputs());

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log("| benchmark | result | target | met |");
console.log("|---|---|---|---|");
for (const result of results) console.log(`| ${result.name} | ${result.value} | ${result.target} | ${result.met ? "yes" : "no"} |`);
