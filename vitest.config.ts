import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // CLI tests spawn the built CLI; give them room on a loaded CI machine.
    testTimeout: 30_000,
  },
});
