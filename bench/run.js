// `npm run bench`: runs every benchmark on the built package and prints one table.
import { cpus } from "node:os";
import { benchIamEngine } from "./iam-engine.js";

const results = [benchIamEngine()];
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log("| benchmark | result | target | met |");
console.log("|---|---|---|---|");
for (const result of results) console.log(`| ${result.name} | ${result.value} | ${result.target} | ${result.met ? "yes" : "NO"} |`);
for (const result of results) if (result.detail) console.log(`${result.name}: ${JSON.stringify(result.detail)}`);
