import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const shared = fileURLToPath(new URL("../../shared/data", import.meta.url));

describe.skipIf(!existsSync(shared))("src/data", () => {
  it("is what scripts/generate-data.js makes from ../shared/data today", () => {
    const result = spawnSync(process.execPath, ["scripts/generate-data.js", "--check"], { cwd: root, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
