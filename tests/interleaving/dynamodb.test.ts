import { runs } from "../support/depth.js";
import { afterAll, describe } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { deleteTable, freshTable } from "../support/dynamo.js";
import { type ConcurrentRunStats, runConcurrentModelTest } from "./concurrent.js";
import { describeStaleHoldRegressions } from "./regressions.js";
import { dynamoSnapshot } from "../../adapters/dynamodb/snapshot.js";
import { type PaymentRunStats, runConcurrentPaymentTest } from "./payments.js";

// A table per test or run: the sweeper reads every expired hold of its table.
const tableStores = async () => {
  const table = await freshTable();
  return { layer: dynamoStores({ client: table.client, tableName: table.tableName }), teardown: () => deleteTable(table) };
};

describeStaleHoldRegressions("DynamoDB Local", tableStores);

describe("Concurrent use cases interleaved store call by store call (DynamoDB Local)", () => {
  const stats: ConcurrentRunStats = { runs: 0, steps: 0 };
  afterAll(() => console.log(`DynamoDB Local: ${stats.runs} interleavings, ${stats.steps} store calls checked`));
  runConcurrentModelTest(
    "keeps reserved = units of unreleased holds, 0 <= reserved <= stock, live holds <= stock and every order's units out of stock exactly once, after every store call",
    tableStores,
    // Fewer runs than on memory: a table per run, and the state is re-read from DynamoDB Local after every call.
    { numRuns: runs(10, { deep: 400, env: "INTERLEAVING_DYNAMO_RUNS" }), timeout: 180_000, stats },
  );
});

describe("Orders and their money, admin moves, webhooks and refunds interleaved store call by store call (DynamoDB Local)", () => {
  const stats: PaymentRunStats = { runs: 0, steps: 0 };
  afterAll(() => console.log(`DynamoDB Local, payments: ${stats.runs} interleavings, ${stats.steps} store calls checked`));
  runConcurrentPaymentTest(
    "refunds only what a committed change owes, never twice; a cancelled order keeps no money and a paid one exactly one payment; units out of stock once",
    async () => {
      const table = await freshTable();
      return {
        layer: dynamoStores({ client: table.client, tableName: table.tableName }),
        snapshot: () => dynamoSnapshot(table.client, table.tableName),
        teardown: () => deleteTable(table),
      };
    },
    { numRuns: runs(6, { deep: 150, env: "INTERLEAVING_PAYMENT_DYNAMO_RUNS" }), timeout: 180_000, stats },
  );
});
