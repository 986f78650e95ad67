#!/usr/bin/env node
import module from "node:module";
import { isMissingEslint } from "./missing-eslint.js";
import { HELP, parseCliOptions } from "./options.js";
import { PACKAGE_VERSION } from "../package-facts.js";

/** The options, when they parse: a bad argument is left to the CLI, which says what is wrong. */
const early = (() => {
  try {
    return parseCliOptions(process.argv.slice(2));
  } catch {
    return undefined;
  }
})();

// V8's code cache for every module loaded after this (Node 22.1 and later), as ESLint's own CLI does.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// --help and --version need neither ESLint nor the plugin: they are answered before either is loaded.
if (early?.help || early?.version) process.stdout.write(`${early.help ? HELP : PACKAGE_VERSION}\n`);
else await run();

async function run(): Promise<void> {
  // The CLI needs ESLint (a peer dependency): without it, one line that says what to install, and exit 2.
  const main = await import("./main.js").catch((error: unknown) => {
    if (!isMissingEslint(error)) throw error;
    process.stderr.write(
      "lambda-iam-lint: ESLint is not installed; install it beside this package: npm install --save-dev eslint (9.15 or later; with Yarn, yarn add --dev eslint)\n",
    );
    process.exit(2);
  });
  process.exitCode = await main.runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(`\r\u001b[2K${text}`) } : {}),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
