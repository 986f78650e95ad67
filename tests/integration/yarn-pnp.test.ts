// The package under a real Yarn 4 Plug'n'Play install (its default linker: no node_modules, and a package
// may load only what it declares). This checkout is linked in with `portal:`, so its own dependencies are
// resolved by Yarn as a user's install resolves them; Yarn's cache keeps reruns off the network.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const yarn = createRequire(import.meta.url).resolve("@yarnpkg/cli-dist/bin/yarn.js");
const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-pnp-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [yarn, ...args], {
    cwd: project,
    encoding: "utf8",
    // On a CI machine (CI set) Yarn refuses to write a lockfile; this test's project starts with an empty one.
    env: {
      ...process.env,
      YARN_ENABLE_TELEMETRY: "0",
      YARN_ENABLE_PROGRESS_BARS: "0",
      YARN_ENABLE_IMMUTABLE_INSTALLS: "false",
      COREPACK_ENABLE_STRICT: "0",
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("under Yarn 4 Plug'n'Play", () => {
  it("without ESLint the CLI says what to install in one line, exit 2; with it, it lints", { timeout: 180_000 }, () => {
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "pnp-app", private: true, type: "module", devDependencies: { "eslint-plugin-lambda-iam": `portal:${root}` } }),
    );
    writeFileSync(path.join(project, "yarn.lock"), "");
    copyFileSync(path.join(root, "examples/invocation/template.yaml"), path.join(project, "template.yaml"));
    const install = run("install");
    expect(install.status, install.stdout).toBe(0);
    expect(existsSync(path.join(project, ".pnp.cjs"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules"))).toBe(false);

    const missing = run("lambda-iam-lint", "template.yaml");
    expect(missing).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "lambda-iam-lint: ESLint is not installed; install it beside this package: npm install --save-dev eslint (9.15 or later; with Yarn, yarn add --dev eslint)\n",
    });

    const add = run("add", "--dev", "eslint@^10");
    expect(add.status, add.stdout).toBe(0);
    const cli = run("lambda-iam-lint", "template.yaml");
    expect(cli.stdout).toContain("✖ 5 problems (3 errors, 2 warnings)");
    expect(cli.status).toBe(1);

    // The README's flat config, through ESLint's own CLI.
    writeFileSync(
      path.join(project, "eslint.config.js"),
      'import lambdaIam from "eslint-plugin-lambda-iam";\n\nexport default [...lambdaIam.configs.recommended];\n',
    );
    const eslint = run("eslint", "template.yaml");
    expect(eslint.stdout).toContain("✖ 5 problems (3 errors, 2 warnings)");
    expect(eslint.status).toBe(1);
  });
});
