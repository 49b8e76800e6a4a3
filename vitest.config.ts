import { defineConfig } from "vitest/config";
import "./scripts/supported-node.js";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["tests/support/dynamo-global-setup.ts"],
  },
});
