import { Effect, Either, Layer } from "effect";
import {
  type CartChange,
  CartCurrencyMismatch,
  type CartLine,
  CartLineLimitExceeded,
  CartStore,
  type CartStoreShape,
  CartVersionConflict,
  type ExpiredHold,
  type HoldRef,
  IdempotencyKeyTaken,
  InventoryOps,
  maxCartLines,
  type Product,
  ProductArchived,
  ProductNotFound,
  type UserId,
} from "../../domain/index.js";
import { cartOf, keyOf, type MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

const byProductId = (a: { productId: string }, b: { productId: string }) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

export const isHold = (line: CartLine | undefined, expected: HoldRef | null): boolean =>
  expected === null ? line === undefined : line !== undefined && line.holdId === expected.holdId && line.version === expected.version;

/** The cart after the change keeps to the cap (if it grows) and to one currency (if a line joins it). */
const cartRules = (
  before: Map<string, CartLine>,
  change: CartChange,
): Either.Either<Map<string, CartLine>, CartLineLimitExceeded | CartCurrencyMismatch> => {
  const after = new Map(before);
  for (const w of change.lines) {
    if (w.next) after.set(w.productId, w.next);
    else after.delete(w.productId);
  }
  if (after.size > before.size && after.size > maxCartLines) return Either.left(new CartLineLimitExceeded({ limit: maxCartLines }));
  for (const w of change.lines) {
    if (w.expected !== null || !w.next) continue;
    const other = [...after.values()].find((l) => l.unitPrice.currency !== w.next!.unitPrice.currency);
    if (other)
      return Either.left(
        new CartCurrencyMismatch({ productId: w.productId, cartCurrency: other.unitPrice.currency, productCurrency: w.next.unitPrice.currency }),
      );
  }
  return Either.right(after);
};

// Checks the whole change first and writes only if all of it holds: all or nothing, in one synchronous step.
const applyChange = (db: MemoryDb, change: CartChange): Either.Either<void, Effect.Effect.Error<ReturnType<CartStoreShape["apply"]>>> => {
  const lines = cartOf(db, change.customerId);
  if (change.record && db.idempotency.has(keyOf(change.record))) return Either.left(new IdempotencyKeyTaken({ key: change.record.key }));
  const stale = change.lines.find((w) => !isHold(lines.get(w.productId), w.expected));
  if (stale) return Either.left(new CartVersionConflict({ productId: stale.productId }));
  const after = cartRules(lines, change);
  if (Either.isLeft(after)) return Either.left(after.left);
  for (const id of change.onSale ?? []) {
    const p = db.products.get(id);
    if (!p) return Either.left(new ProductNotFound({ productId: id }));
    if (!InventoryOps.listed(p)) return Either.left(new ProductArchived({ productId: id }));
  }
  const products = new Map<string, Product>();
  for (const r of change.reservations) {
    const p = products.get(r.productId) ?? db.products.get(r.productId);
    if (!p) return Either.left(new ProductNotFound({ productId: r.productId }));
    const next = r.delta > 0 ? InventoryOps.reserve(p, r.delta) : InventoryOps.release(p, -r.delta);
    if (Either.isLeft(next)) {
      if (next.left._tag === "InventoryInsufficientStock") return Either.left(next.left);
      throw next.left;
    }
    products.set(r.productId, next.right);
  }
  db.carts.set(change.customerId, after.right);
  for (const [id, p] of products) db.products.set(id, p);
  if (change.record) db.idempotency.set(keyOf(change.record), change.record);
  db.outbox.push(...(change.events ?? []));
  return Either.void;
};

export const memoryCartStore = (db: MemoryDb): CartStoreShape => ({
  get: (customerId) =>
    Effect.sync(() => ({ customerId, lines: [...(db.carts.get(customerId)?.values() ?? [])].sort(byProductId) })),

  apply: (change) => Effect.suspend(() => applyChange(db, change)),

  expiredHolds: (query) =>
    Effect.suspend(() => {
      const holds: Array<ExpiredHold> = [];
      for (const [customerId, lines] of db.carts)
        for (const line of lines.values())
          if (!line.released && line.expiresAt <= query.before && (query.productId === undefined || line.productId === query.productId))
            holds.push({ customerId: customerId as UserId, line });
      return paginate(
        holds,
        (h) => `${pad(h.line.expiresAt)}#${h.customerId}#${h.line.productId}`,
        `expired:${query.before}:${query.productId ?? ""}`,
        query,
      );
    }),
});

export const MemoryCartStore = (db: MemoryDb) => Layer.succeed(CartStore, memoryCartStore(db));
