import { Effect, Layer } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CartStore,
  IdempotencyStore,
  OrderStore,
  ProductStore,
  addToCart,
  createProduct,
  placeOrder,
  maxCartLines,
  type Currency,
  type IdempotencyKey,
  type Money,
} from "../../domain/index.js";
import { makeMemoryDb, memoryStores } from "../../adapters/memory/layer.js";
import { MemoryCartStore } from "../../adapters/memory/cart-store.js";
import { MemoryIdempotencyStore, MemoryOrderStore } from "../../adapters/memory/order-store.js";
import { MemoryProductStore } from "../../adapters/memory/product-store.js";
import { Real } from "../model/system.js";
import { yielding } from "../support/yielding.js";


const racingShop = async (s: fc.Scheduler, stock: number, products = 1) => {
  const db = makeMemoryDb();
  const stores = Layer.mergeAll(
    memoryStores(db),
    Layer.effect(ProductStore, Effect.map(ProductStore, (p) => yielding(s, "products", p))).pipe(Layer.provide(MemoryProductStore(db))),
    Layer.effect(CartStore, Effect.map(CartStore, (c) => yielding(s, "carts", c))).pipe(Layer.provide(MemoryCartStore(db))),
    Layer.effect(OrderStore, Effect.map(OrderStore, (o) => yielding(s, "orders", o))).pipe(Layer.provide(MemoryOrderStore(db))),
    Layer.effect(IdempotencyStore, Effect.map(IdempotencyStore, (i) => yielding(s, "keys", i))).pipe(Layer.provide(MemoryIdempotencyStore(db))),
  );
  const setup = new Real(memoryStores(db), "r", 0, 60_000);
  const price = { amount: 500, currency: "EUR" as Currency } as Money;
  for (let i = 0; i < products; i++) await setup.ok(createProduct({ id: setup.productId(i), name: `Race ${i}`, category: "race", price, stock }));
  return { db, real: new Real(stores, "r", 0, 60_000) };
};

describe("Concurrent buyers (fc.scheduler interleavings on the memory stores)", () => {
  it("never both get the last units: exactly the available quantity is reserved, the other buyer is refused (invariant: no oversell)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), async (s, stock) => {
        const { db, real } = await racingShop(s, stock);
        const buyers = [0, 1].map((c) => real.run(addToCart(real.customerId(c), real.productId(0), stock)));
        const outcomes = (await s.waitFor(Promise.all(buyers))).map((r) => (r._tag === "Right" ? "ok" : r.left._tag)).sort();
        expect(outcomes).toEqual(["InventoryInsufficientStock", "ok"]);
        expect(db.products.get(real.productId(0))).toMatchObject({ stock, reserved: stock });
      }),
      { numRuns: 100 },
    );
  });

  it(`never takes a cart past ${maxCartLines} lines, however parallel adds of different products interleave (invariant: no transaction over 100 items)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 4 }), async (s, racers) => {
        const { db, real } = await racingShop(s, 5, maxCartLines + racers);
        const c = real.customerId(0);
        for (let i = 0; i < maxCartLines - 1; i++) await s.waitFor(real.run(addToCart(c, real.productId(i), 1)));
        const adds = Array.from({ length: racers }, (_, i) => real.run(addToCart(c, real.productId(maxCartLines - 1 + i), 1)));
        const outcomes = (await s.waitFor(Promise.all(adds))).map((r) => (r._tag === "Right" ? "ok" : r.left._tag));
        expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
        expect(outcomes.filter((o) => o !== "ok").every((o) => o === "CartLineLimitExceeded")).toBe(true);
        expect(db.carts.get(c)?.size).toBe(maxCartLines);
      }),
      { numRuns: 30 },
    );
  });

  it("holds once for twin adds racing with one Idempotency-Key, and both callers get the cart", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { db, real } = await racingShop(s, 5);
        const key = "key-twin-add" as IdempotencyKey;
        const twins = [0, 1].map(() => real.run(addToCart(real.customerId(0), real.productId(0), 2, key)));
        const results = await s.waitFor(Promise.all(twins));
        expect(results.map((r) => (r._tag === "Right" ? r.right.replayed : r.left._tag)).sort()).toEqual([false, true]);
        expect(db.products.get(real.productId(0))).toMatchObject({ reserved: 2 });
      }),
      { numRuns: 100 },
    );
  });

  // Regression (found by this test): a twin that read the cart after the first commit saw it empty and failed.
  it("turns two racing checkouts with one key into exactly one order that both callers get", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { db, real } = await racingShop(s, 2);
        const hold = await s.waitFor(real.run(addToCart(real.customerId(0), real.productId(0), 2)));
        expect(hold._tag).toBe("Right");
        const twins = [0, 1].map(() => real.run(placeOrder(real.customerId(0), real.key(0, 0))));
        const [a, b] = await s.waitFor(Promise.all(twins));
        expect(a?._tag === "Right" && b?._tag === "Right" && a.right.order.id === b.right.order.id).toBe(true);
        expect(db.orders.size).toBe(1);
        expect(db.products.get(real.productId(0))).toMatchObject({ stock: 0, reserved: 0 });
      }),
      { numRuns: 100 },
    );
  });
});
