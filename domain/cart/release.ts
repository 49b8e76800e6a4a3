import { Effect, Either } from "effect";
import type { ProductId, Timestamp } from "../shared/ids.js";
import { CartOps } from "./ops.js";
import { CartStore, type ExpiredHold } from "./ports.js";
import { Clock } from "../shared/ports.js";

export interface ReleaseReport {
  readonly released: number;
  readonly skipped: number;
}

// Index reads may be stale: the store's version check decides, so a hold is released at most once.
const releaseHold = (hold: ExpiredHold, now: Timestamp) =>
  Effect.gen(function* () {
    const carts = yield* CartStore;
    const change = CartOps.releaseExpired({ customerId: hold.customerId, lines: [hold.line] }, hold.line.productId, now);
    if (Either.isLeft(change)) return false;
    return yield* carts.apply(change.right).pipe(
      Effect.as(true),
      Effect.catchTags({
        CartVersionConflict: () => Effect.succeed(false),
        InventoryInsufficientStock: (e) => Effect.die(e),
        ProductNotFound: (e) => Effect.die(e),
      }),
    );
  });

const releaseAll = (now: Timestamp, limit: number, productId?: ProductId) =>
  Effect.gen(function* () {
    const carts = yield* CartStore;
    let released = 0;
    let skipped = 0;
    let cursor: string | undefined;
    do {
      const page = yield* carts.expiredHolds({ before: now, productId, limit: Math.min(100, limit - released - skipped), cursor });
      for (const hold of page.items) {
        if (yield* releaseHold(hold, now)) released++;
        else skipped++;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor && released + skipped < limit);
    return { released, skipped } satisfies ReleaseReport;
  });

/** The sweeper: release up to `limit` expired holds; safe to run concurrently with itself and with lazy release. */
export const releaseExpiredHolds = (limit: number) =>
  Effect.gen(function* () {
    const clock = yield* Clock;
    return yield* releaseAll(yield* clock.now, limit);
  });

/** Lazy release: free one product's expired holds when a reservation finds too little available. */
export const releaseExpiredHoldsOf = (productId: ProductId, now: Timestamp) => releaseAll(now, 1000, productId);
