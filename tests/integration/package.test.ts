import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the published package", () => {
  it(
    "ships what users read and run: the build, the rule docs, the licences, the changelog; no development docs",
    { timeout: 60_000 },
    () => {
      const result = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
      expect(result.status).toBe(0);
      const files = (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
      for (const file of [
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/cli/bin.js",
        "dist/data/THIRD_PARTY_NOTICES",
        "docs/rules/no-shared-execution-role.md",
      ]) {
        expect(files).toContain(file);
      }
      expect(
        files.filter(
          (file) => /^docs\/(?:performance|real-world|RELEASING)\.md$/u.test(file) || /^(?:src|tests|scripts|bench|examples)\//u.test(file),
        ),
      ).toEqual([]);
    },
  );
});
