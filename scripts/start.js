// `npm start`: lints the bundled examples. Findings are the point of the demo, so exit code 1 ("problems
// found") is success here; only a real failure (exit 2) fails the script.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../dist/cli/bin.js", import.meta.url));
const examples = fileURLToPath(new URL("../examples", import.meta.url));
// Run from the examples themselves: this repository's own eslint.config.js lints its TypeScript, not templates.
const { status } = spawnSync(process.execPath, [bin, ".", ...process.argv.slice(2)], { stdio: "inherit", cwd: examples });
process.exitCode = status === 0 || status === 1 ? 0 : (status ?? 2);
