import { Layer } from "effect";
import { makeMemoryDb, type MemoryDb } from "./db.js";
import { MemoryProductStore } from "./product-store.js";
import { MemoryCartStore } from "./cart-store.js";
import { MemoryIdempotencyStore, MemoryOrderStore, MemoryPaymentEventLog } from "./order-store.js";
import { MemoryAttemptCounter, MemoryUserStore } from "./user-store.js";
import { MemoryEventLog } from "./event-log.js";
import { MemoryReceipts } from "./receipts.js";
import { MemoryImageStore } from "./image-store.js";

/** Every store port over one in-memory database. */
export const memoryStores = (db: MemoryDb = makeMemoryDb()) =>
  Layer.mergeAll(MemoryProductStore(db), MemoryCartStore(db), MemoryOrderStore(db), MemoryIdempotencyStore(db), MemoryUserStore(db), MemoryEventLog(db), MemoryReceipts(db), MemoryPaymentEventLog(db), MemoryAttemptCounter(db), MemoryImageStore(db));

export { makeMemoryDb, type MemoryDb } from "./db.js";
export { makeManualClock, SequentialIds, type ManualClock } from "./clock.js";
