import { Effect, Either, Layer, Option } from "effect";
import {
  IdempotencyKeyTaken,
  InventoryOps,
  ProductAlreadyExists,
  ProductNotFound,
  ProductStore,
  type ProductStoreShape,
} from "../../domain/index.js";
import { keyOf, type MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

export const memoryProductStore = (db: MemoryDb): ProductStoreShape => ({
  get: (id) => Effect.sync(() => Option.fromNullable(db.products.get(id))),

  list: (query) =>
    paginate(
      [...db.products.values()].filter((p) => query.category === undefined || p.category === query.category),
      (p) => `${p.name}\u0000${p.id}`,
      `list:${query.category ?? ""}`,
      query,
    ),

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
      [...db.products.values()].filter((p) => InventoryOps.available(p) < below),
      (p) => `${pad(InventoryOps.available(p))}#${p.id}`,
      `low:${below}`,
      page,
    ),
});

export const MemoryProductStore = (db: MemoryDb) => Layer.succeed(ProductStore, memoryProductStore(db));
