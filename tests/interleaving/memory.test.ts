import { afterAll, describe } from "vitest";
import { memoryStores } from "../../adapters/memory/layer.js";
import { type ConcurrentRunStats, runConcurrentModelTest } from "./concurrent.js";
import { describeStaleHoldRegressions } from "./regressions.js";

describeStaleHoldRegressions("memory stores", async () => ({ layer: memoryStores() }));

describe("Concurrent use cases interleaved store call by store call (memory stores)", () => {
  const stats: ConcurrentRunStats = { runs: 0, steps: 0 };
  afterAll(() => console.log(`memory: ${stats.runs} interleavings, ${stats.steps} store calls checked`));
  runConcurrentModelTest(
    "keeps reserved = units of unreleased holds, 0 <= reserved <= stock, live holds <= stock and every order's units out of stock exactly once, after every store call",
    async () => ({ layer: memoryStores() }),
    { numRuns: 600, timeout: 120_000, stats },
  );
});
