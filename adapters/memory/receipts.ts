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
      if (s <= r.done) return { outcome: "duplicate", done: r.done };
      if (s > r.done + 1) return { outcome: "waiting", done: r.done };
      if (r.claim && r.claim.until > now) return { outcome: "busy", done: r.done };
      receipts.set(key, { ...r, claim: { sequence: s, until: now + leaseMs } });
      return { outcome: "fresh", done: r.done };
    }),
  complete: (consumer, event) =>
    Effect.sync(() => {
      const key = receiptKey(consumer, event);
      const r = receipts.get(key) ?? { done: 0 };
      // The mark moves one step at a time: only the event right after it can complete.
      if (positionOf(event) === r.done + 1) receipts.set(key, { done: r.done + 1 });
    }),
  release: (consumer, event) =>
    Effect.sync(() => {
      const key = receiptKey(consumer, event);
      const r = receipts.get(key);
      if (r?.claim?.sequence === positionOf(event)) receipts.set(key, { done: r.done });
    }),
});

export const MemoryReceipts = (db: MemoryDb) => Layer.succeed(EventReceipts, memoryReceipts(db.receipts));
