import { describe } from "vitest";
import { memoryStores } from "../../adapters/memory/layer.js";
import { runModelTest } from "./model.js";

describe("Cart, checkout and orders against a model (memory stores)", () => {
  runModelTest(
    "keeps stored state equal to the model after any sequence of commands (invariants: conservation, 0 <= reserved <= stock, exact totals, snapshots kept, each committed command's events and no others)",
    async () => ({ layer: memoryStores() }),
    { numRuns: 300, maxCommands: 40 },
  );
  runModelTest(
    "keeps stored state equal to the model with payments started, paid, declined, redelivered, expired and refunded (invariants: paid once, refunded at most once and exactly when recorded, units back once)",
    async () => ({ layer: memoryStores() }),
    { numRuns: 200, maxCommands: 40, focus: "payments" },
  );
});
