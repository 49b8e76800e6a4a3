import { Effect, Layer } from "effect";
import { type Claim, EventReceipts, type EventReceiptsShape, positionOf, receiptKey } from "../../domain/index.js";
import type { MemoryDb } from "./db.js";

interface Receipt {
  done: number;
  claim?: { readonly sequence: number; readonly until: number } | undefined;
}

export const memoryReceipts = (receipts: Map<string, Receipt>): EventReceiptsShape => ({
  claim: (consumer, event, now, leaseMs) =>
    Effect.sync((): Claim => {
      const key = receiptKey(consumer, event);
      const r = receipts.get(key) ?? { done: 0 };
      const s = positionOf(event);
      if (s <= r.done) return s === r.done ? "duplicate" : "stale";
      if (r.claim && r.claim.until > now) return "busy";
      receipts.set(key, { ...r, claim: { sequence: s, until: now + leaseMs } });
      return "fresh";
    }),
  complete: (consumer, event) =>
    Effect.sync(() => {
      const key = receiptKey(consumer, event);
      const r = receipts.get(key) ?? { done: 0 };
      receipts.set(key, { done: Math.max(r.done, positionOf(event)) });
    }),
  release: (consumer, event) =>
    Effect.sync(() => {
      const key = receiptKey(consumer, event);
      const r = receipts.get(key);
      if (r?.claim?.sequence === positionOf(event)) receipts.set(key, { done: r.done });
    }),
});

export const MemoryReceipts = (db: MemoryDb) => Layer.succeed(EventReceipts, memoryReceipts(db.receipts));
