import { Effect, Either, Layer } from "effect";
import {
  type CartChange,
  CartStore,
  type CartStoreShape,
  CartVersionConflict,
  type ExpiredHold,
  InventoryOps,
  type Product,
  ProductNotFound,
  type UserId,
} from "../../domain/index.js";
import { cartOf, type MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

const byProductId = (a: { productId: string }, b: { productId: string }) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

// Validates the whole change first and writes only if all of it holds: all or nothing.
const applyChange = (db: MemoryDb, change: CartChange) =>
  Effect.gen(function* () {
    const lines = cartOf(db, change.customerId);
    for (const w of change.lines) {
      if ((lines.get(w.productId)?.version ?? null) !== w.expectedVersion)
        return yield* Effect.fail(new CartVersionConflict({ productId: w.productId }));
    }
    const products = new Map<string, Product>();
    for (const r of change.reservations) {
      const p = products.get(r.productId) ?? db.products.get(r.productId);
      if (!p) return yield* Effect.fail(new ProductNotFound({ productId: r.productId }));
      const next = r.delta > 0 ? InventoryOps.reserve(p, r.delta) : InventoryOps.release(p, -r.delta);
      if (Either.isLeft(next))
        return yield* (next.left._tag === "InventoryInsufficientStock" ? Effect.fail(next.left) : Effect.die(next.left));
      products.set(r.productId, next.right);
    }
    for (const w of change.lines) {
      if (w.next) lines.set(w.productId, w.next);
      else lines.delete(w.productId);
    }
    for (const [id, p] of products) db.products.set(id, p);
    return;
  });

export const memoryCartStore = (db: MemoryDb): CartStoreShape => ({
  get: (customerId) =>
    Effect.sync(() => ({ customerId, lines: [...(db.carts.get(customerId)?.values() ?? [])].sort(byProductId) })),

  apply: (change) => applyChange(db, change),

  expiredHolds: (query) =>
    Effect.gen(function* () {
      const holds: Array<ExpiredHold> = [];
      for (const [customerId, lines] of db.carts)
        for (const line of lines.values())
          if (!line.released && line.expiresAt <= query.before && (query.productId === undefined || line.productId === query.productId))
            holds.push({ customerId: customerId as UserId, line });
      return yield* paginate(
        holds,
        (h) => `${pad(h.line.expiresAt)}#${h.customerId}#${h.line.productId}`,
        `expired:${query.before}:${query.productId ?? ""}`,
        query,
      );
    }),
});

export const MemoryCartStore = (db: MemoryDb) => Layer.succeed(CartStore, memoryCartStore(db));
