import { describe } from "vitest";
import { makeMemoryDb, memoryStores } from "../../adapters/memory/layer.js";
import { memorySnapshot } from "../../adapters/memory/snapshot.js";

const auditedMemory = async () => {
  const db = makeMemoryDb();
  return { layer: memoryStores(db), snapshot: async () => memorySnapshot(db) };
};
import { runModelTest } from "./model.js";

describe("Cart, checkout and orders against a model (memory stores)", () => {
  runModelTest(
    "keeps stored state equal to the model after any sequence of commands (invariants: conservation, 0 <= reserved <= stock, exact totals, snapshots kept, each committed command's events and no others)",
    auditedMemory,
    { numRuns: 300, maxCommands: 40 },
  );
  runModelTest(
    "keeps stored state equal to the model with payments started, paid, declined, redelivered, expired and refunded (invariants: paid once, refunded at most once and exactly when recorded, units back once)",
    auditedMemory,
    { numRuns: 200, maxCommands: 40, focus: "payments" },
  );
});
