import { defineConfig } from "vitest/config";
import "./scripts/supported-node.js";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Both cores: DynamoDB Local's JVM and the two workers share them; tests that race on one item use a patient
    // retry policy (tests/support/dynamo.ts), so a slow engine is not mistaken for a failure.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["tests/support/dynamo-global-setup.ts"],
  },
});
