import { configDefaults, defineConfig } from "vitest/config";
import "./scripts/supported-node.js";
import { processWide } from "./tests/support/process-wide.js";

export default defineConfig({
  test: {
    // Both cores: DynamoDB Local's JVM and the two workers share them; tests that race on one item use a patient
    // retry policy (tests/support/dynamo.ts), so a slow engine is not mistaken for a failure.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["tests/support/dynamo-global-setup.ts"],
    // Files that change what the whole process shares (environment variables, the Lambda entry's one-request-at-a-time
    // deadline, fake timers) run each in a fresh worker; the rest share a worker's loaded modules (isolate: false),
    // which spares every file loading effect, the SDK, Fastify and our own modules again.
    // (No include at the root: a project that extends the root appends its arrays to the root's.)
    projects: [
      { extends: true, test: { name: "isolated", include: processWide, isolate: true } },
      { extends: true, test: { name: "shared", include: ["tests/**/*.test.ts"], exclude: [...configDefaults.exclude, ...processWide], isolate: false } },
    ],
    // Each test file imports its dependencies afresh: these are bundled once into one file each (effect alone is
    // ~300 modules, 0.5 s a file). Fastify stays out: bundled, its logger breaks.
    deps: {
      optimizer: {
        ssr: {
          enabled: true,
          include: [
            "effect",
            "fast-check",
            "@aws-sdk/client-dynamodb",
            "@aws-sdk/lib-dynamodb",
            "@aws-sdk/util-dynamodb",
            "@aws-sdk/client-dynamodb-streams",
            "@aws-sdk/client-s3",
            "@aws-sdk/s3-presigned-post",
            "@aws-sdk/client-eventbridge",
            "@aws-sdk/client-sesv2",
            "@aws-sdk/client-cognito-identity-provider",
          ],
        },
      },
    },
  },
});
