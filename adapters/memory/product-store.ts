import { Effect, Either, Layer, Option } from "effect";
import {
  type CategoryCount,
  IdempotencyKeyTaken,
  InventoryOps,
  type Product,
  ProductAlreadyExists,
  ProductNotFound,
  ProductStore,
  type ProductStoreShape,
} from "../../domain/index.js";
import { keyOf, type MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

const byName = (p: Product) => `${p.name}\u0000${p.id}`;

/** Counted on each read, so never stale: the audit checks it all the same (memorySnapshot), as it does DynamoDB's counters. */
export const categoryCounts = (db: MemoryDb): ReadonlyArray<CategoryCount> => {
  const counts = new Map<string, number>();
  for (const p of db.products.values()) if (InventoryOps.listed(p)) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([category, products]) => ({ category, products }));
};

export const memoryProductStore = (db: MemoryDb): ProductStoreShape => ({
  get: (id) => Effect.sync(() => Option.fromNullable(db.products.get(id))),

  list: (query) =>
    paginate(
      [...db.products.values()].filter((p) => InventoryOps.listed(p) && (query.category === undefined || p.category === query.category)),
      byName,
      `list:${query.category ?? ""}`,
      query,
    ),

  adminList: (query) =>
    paginate(
      [...db.products.values()].filter(
        (p) => (query.category === undefined || p.category === query.category) && (query.archived === undefined || query.archived !== InventoryOps.listed(p)),
      ),
      byName,
      `admin:${query.category ?? ""}:${query.archived ?? ""}`,
      query,
    ),

  categories: () => Effect.sync(() => categoryCounts(db)),

  setArchived: (id, at) =>
    Effect.suspend(() => {
      const p = db.products.get(id);
      if (!p) return Effect.fail(new ProductNotFound({ productId: id }));
      if (InventoryOps.listed(p) === (at === null)) return Effect.succeed(p);
      const next = InventoryOps.withArchived(p, at);
      db.products.set(id, next);
      return Effect.succeed(next);
    }),

  create: (product) =>
    Effect.gen(function* () {
      if (db.products.has(product.id)) return yield* Effect.fail(new ProductAlreadyExists({ productId: product.id }));
      db.products.set(product.id, product);
      return;
    }),

  update: (id, patch) =>
    Effect.gen(function* () {
      const p = db.products.get(id);
      if (!p) return yield* Effect.fail(new ProductNotFound({ productId: id }));
      const next = InventoryOps.applyPatch(p, patch);
      db.products.set(id, next);
      return next;
    }),

  adjustStock: ({ productId: id, delta, record, events }) =>
    Effect.suspend((): ReturnType<ProductStoreShape["adjustStock"]> => {
      if (record && db.idempotency.has(keyOf(record))) return Effect.fail(new IdempotencyKeyTaken({ key: record.key }));
      const p = db.products.get(id);
      if (!p) return Effect.fail(new ProductNotFound({ productId: id }));
      const next = InventoryOps.adjustStock(p, delta);
      if (Either.isLeft(next)) {
        const e = next.left;
        return e._tag === "InventoryStockBelowReserved" || e._tag === "InventoryStockOutOfRange" ? Effect.fail(e) : Effect.die(e);
      }
      db.products.set(id, next.right);
      if (record) db.idempotency.set(keyOf(record), record);
      db.outbox.push(...(events ?? []));
      return Effect.succeed(next.right);
    }),

  lowStock: (below, page) =>
    paginate(
      [...db.products.values()].filter((p) => InventoryOps.listed(p) && InventoryOps.available(p) < below),
      (p) => `${pad(InventoryOps.available(p))}#${p.id}`,
      `low:${below}`,
      page,
    ),
});

export const MemoryProductStore = (db: MemoryDb) => Layer.succeed(ProductStore, memoryProductStore(db));
