import { describe } from "vitest";
import { memoryStores } from "../../adapters/memory/layer.js";
import { runModelTest } from "./model.js";

describe("Cart, checkout and orders against a model (memory stores)", () => {
  runModelTest(
    "keeps stored state equal to the model after any sequence of commands (invariants: conservation, 0 <= reserved <= stock, exact totals, snapshots kept, each committed command's events and no others)",
    async () => ({ layer: memoryStores() }),
    { numRuns: 300, maxCommands: 40 },
  );
});
