// The floor of the whole-process benchmarks: a Node process that only reads and parses, with the `yaml`
// library's parseDocument, every template file of the directories given.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";

for (const directory of process.argv.slice(2)) {
  for (const file of readdirSync(directory)) {
    if (/\.(?:ya?ml|json|template)$/u.test(file)) parseDocument(readFileSync(path.join(directory, file), "utf8"));
  }
}
