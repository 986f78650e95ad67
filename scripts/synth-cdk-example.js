// `npm run synth:cdk-example`: writes examples/cdk-app/cdk.out from examples/cdk-app/app.ts (the broken
// version, without the validator, so that the templates are written), compiled with TypeScript's
// transpiler. Also used by the tests, which synthesize both versions with the validator.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const example = fileURLToPath(new URL("../examples/cdk-app", import.meta.url));

/** Runs the example app as `cdk synth` does (the app with CDK_OUTDIR set); returns its exit status and output. */
export function synthesize({ outdir, fixed, validate }) {
  const compiled = path.join(example, ".synth", "app.mjs");
  mkdirSync(path.dirname(compiled), { recursive: true });
  const source = readFileSync(path.join(example, "app.ts"), "utf8");
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  // The compiled app sits beside app.ts, so that its src/worker asset path is the same.
  writeFileSync(compiled, output.replaceAll('new URL("src/', 'new URL("../src/'));
  const result = spawnSync(process.execPath, [compiled], {
    encoding: "utf8",
    // The context the CDK CLI passes to an app: resource metadata with construct paths and asset paths.
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({
        "aws:cdk:enable-path-metadata": true,
        "aws:cdk:enable-asset-metadata": true,
        "aws:cdk:version-reporting": false,
      }),
      CDK_OUTDIR: outdir,
      ORDERS_FIXED: fixed ? "1" : "0",
      ORDERS_VALIDATE: validate ? "1" : "0",
      CDK_DISABLE_VERSION_CHECK: "1",
    },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = path.join(example, "cdk.out");
  rmSync(outdir, { recursive: true, force: true });
  const { status, output } = synthesize({ outdir, fixed: false, validate: false });
  process.stdout.write(output);
  process.exitCode = status ?? 1;
}
