import { runs } from "../support/depth.js";
import { describe } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { dynamoSnapshot } from "../../adapters/dynamodb/snapshot.js";
import { runModelTest } from "../model/model.js";
import { deleteTable, freshTable } from "../support/dynamo.js";

describe("Cart, checkout and orders against a model (DynamoDB Local)", () => {
  runModelTest(
    "keeps stored state equal to the model after any sequence of commands (invariants: conservation, 0 <= reserved <= stock, exact totals, snapshots kept, each committed command's events and no others)",
    // A table per run: the sweeper reads every expired hold in the table, so runs must not share one.
    async () => {
      const table = await freshTable();
      return {
        layer: dynamoStores({ client: table.client, tableName: table.tableName }),
        teardown: () => deleteTable(table),
        snapshot: () => dynamoSnapshot(table.client, table.tableName),
      };
    },
    // Fewer runs than the memory suite's 300: each run creates a table and each command re-reads the whole
    // state (about ten requests) from DynamoDB Local; 12 runs of up to 40 commands by default (MODEL_DYNAMO_RUNS, TEST_DEPTH=deep: 400).
    { numRuns: runs(12, { deep: 400, env: "MODEL_DYNAMO_RUNS" }), maxCommands: 40, timeout: 180_000 },
  );
});
