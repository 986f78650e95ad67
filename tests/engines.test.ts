import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};

describe("engines.node", () => {
  it("promises no Node.js version that a dependency or ESLint (the peer) does not accept", () => {
    const refusing = [...Object.keys(manifest.dependencies), "eslint"].flatMap((name) => {
      // Read from node_modules directly: a package's exports may not include its package.json.
      const installed = JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")) as {
        engines?: { node?: string };
      };
      const range = installed.engines?.node;
      return range !== undefined && !semver.subset(manifest.engines.node, range) ? [`${name} (${range})`] : [];
    });
    expect(refusing).toEqual([]);
  });
});
