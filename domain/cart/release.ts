import { Effect, Either } from "effect";
import type { ProductId, Timestamp } from "../shared/ids.js";
import { CartOps } from "./ops.js";
import { CartStore, type ExpiredHold } from "./ports.js";
import { Clock } from "../shared/ports.js";

export interface ReleaseReport {
  readonly released: number;
  readonly skipped: number;
}

// What was read may be stale (an index lags; the line may be gone, or be a new hold by now): the store
// releases only the exact hold read (its id and version), so a hold is released at most once and a
// stale release changes nothing. A release writes no new line, so the cart's cap and currency cannot refuse it.
const releaseHold = (hold: ExpiredHold, now: Timestamp) =>
  Effect.gen(function* () {
    const carts = yield* CartStore;
    const change = CartOps.releaseExpired({ customerId: hold.customerId, lines: [hold.line] }, hold.line.productId, now);
    if (Either.isLeft(change)) return false;
    return yield* carts.apply(change.right).pipe(
      Effect.as(true),
      Effect.catchTags({
        CartVersionConflict: () => Effect.succeed(false),
        InventoryInsufficientStock: Effect.die,
        ProductNotFound: Effect.die,
        CartLineLimitExceeded: Effect.die,
        CartCurrencyMismatch: Effect.die,
        IdempotencyKeyTaken: Effect.die,
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
