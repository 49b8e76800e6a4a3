import { Effect } from "effect";
import { memoryStores } from "../../adapters/memory/layer.js";
import { describeStoreContract } from "./store-contract.js";

describeStoreContract("memory", () => Effect.runPromise(Effect.succeed({ layer: memoryStores() })));
