import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const hooks = parse(readFileSync(path.join(root, ".pre-commit-hooks.yaml"), "utf8")) as Array<{
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude: string;
}>;
const hook = hooks.find((candidate) => candidate.id === "lambda-iam-lint")!;

/** What pre-commit does with a hook: keep the staged files its `files` and `exclude` select, append them to `entry`. */
function runHook(staged: string[]) {
  const files = staged.filter((file) => new RegExp(hook.files, "u").test(file) && !new RegExp(hook.exclude, "u").test(file));
  const [command, ...args] = hook.entry.split(" ");
  // `entry` is the package's bin; in this checkout it is dist/cli/bin.js.
  expect(command).toBe(
    Object.keys((JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { bin: Record<string, string> }).bin)[0],
  );
  const result = spawnSync(process.execPath, [path.join(root, "dist/cli/bin.js"), ...args, ...files], { cwd: root, encoding: "utf8" });
  return { files, status: result.status, stdout: result.stdout };
}

describe("the pre-commit hook", () => {
  it("is a node hook named after the CLI", () => {
    expect(hook).toMatchObject({ entry: "lambda-iam-lint --with-handlers", language: "node" });
  });

  it("re-lints the handlers of a staged template's project: a template change that breaks a handler fails the commit", () => {
    for (const [template, handler] of [
      ["examples/handler-app/template.yaml", "examples/handler-app/src/app.ts"],
      ["examples/python-app/template.yaml", "examples/python-app/hello_world/app.py"],
    ]) {
      const { files, status, stdout } = runHook([template!]);
      expect(files).toEqual([template]);
      expect(stdout).toContain(path.join(root, handler!));
      expect(stdout).toContain("lambda-iam/sdk-call-permissions");
      expect(status).toBe(1);
    }
  });

  it("lints the staged templates and handlers, fails on errors, and leaves other files and build copies out", () => {
    const { files, status, stdout } = runHook([
      "examples/invocation/template.yaml",
      "examples/handler-app/src/app.ts",
      "README.md",
      ".aws-sam/build/template.yaml",
      "node_modules/x/template.yaml",
    ]);
    expect(files).toEqual(["examples/invocation/template.yaml", "examples/handler-app/src/app.ts"]);
    expect(stdout).toContain("lambda-iam/require-invoke-permission");
    expect(status).toBe(1);
  });

  it("passes a clean commit", () => {
    expect(runHook(["examples/one-role-per-function/template.yaml"]).status).toBe(0);
  });
});
