import { afterAll, describe } from "vitest";
import { memoryStores } from "../../adapters/memory/layer.js";
import { type ConcurrentRunStats, runConcurrentModelTest } from "./concurrent.js";
import { describeStaleHoldRegressions } from "./regressions.js";
import { makeMemoryDb } from "../../adapters/memory/layer.js";
import { memorySnapshot } from "../../adapters/memory/snapshot.js";
import { runs } from "../support/depth.js";
import { type PaymentRunStats, runConcurrentPaymentTest } from "./payments.js";

describeStaleHoldRegressions("memory stores", async () => ({ layer: memoryStores() }));

describe("Concurrent use cases interleaved store call by store call (memory stores)", () => {
  const stats: ConcurrentRunStats = { runs: 0, steps: 0 };
  afterAll(() => console.log(`memory: ${stats.runs} interleavings, ${stats.steps} store calls checked`));
  runConcurrentModelTest(
    "keeps reserved = units of unreleased holds, 0 <= reserved <= stock, live holds <= stock and every order's units out of stock exactly once, after every store call",
    async () => ({ layer: memoryStores() }),
    { numRuns: runs(150, { deep: 2000, env: "INTERLEAVING_RUNS" }), timeout: 120_000, stats },
  );
});

describe("Orders and their money, admin moves, webhooks and refunds interleaved store call by store call (memory stores)", () => {
  const stats: PaymentRunStats = { runs: 0, steps: 0 };
  afterAll(() => console.log(`memory, payments: ${stats.runs} interleavings, ${stats.steps} store calls checked`));
  runConcurrentPaymentTest(
    "refunds only what a committed change owes, never twice; a cancelled order keeps no money and a paid one exactly one payment; units out of stock once",
    async () => {
      const db = makeMemoryDb();
      return { layer: memoryStores(db), snapshot: async () => memorySnapshot(db) };
    },
    { numRuns: runs(100, { deep: 2000, env: "INTERLEAVING_PAYMENT_RUNS" }), timeout: 120_000, stats },
  );
});
