import { defineConfig } from "vitest/config";

/** The slow tier: whole-corpus runs, spawned processes, cfn-lint, the type test against dist/. */
const SLOW = [
  "tests/corpus/**/*.test.ts",
  "tests/language/corpus-equivalence.test.ts",
  "tests/language/parse-paths.test.ts",
  "tests/robustness/**/*.test.ts",
  "tests/cli/**/*.test.ts",
  "tests/fixtures.test.ts",
  "tests/rule-cases.test.ts",
  "tests/integration/**/*.test.ts",
  "tests/types/**/*.test.ts",
];

export default defineConfig({
  test: {
    // CLI tests spawn the built CLI; give them room on a loaded CI machine.
    testTimeout: 30_000,
    projects: [
      // The inner loop (npm run test:fast): rules, docs, analyzers, parsing units.
      { extends: true, test: { name: "fast", include: ["tests/**/*.test.ts"], exclude: SLOW } },
      { extends: true, test: { name: "slow", include: SLOW } },
    ],
  },
});
