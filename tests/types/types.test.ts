import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the published types", () => {
  it("type a user's eslint.config.ts: the plugin is an ESLint Plugin, with every rule by name", { timeout: 60_000 }, () => {
    // Against dist/, as a user's project sees the package (npm ci builds it).
    const result = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tests/types/tsconfig.json"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
