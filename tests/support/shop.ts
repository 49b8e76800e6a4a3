import fc from "fast-check";
import {
  addToCart,
  adjustStock,
  cancelOrder,
  changeQuantity,
  createProduct,
  placeOrder,
  releaseExpiredHolds,
  removeFromCart,
  renewCart,
  updateProduct,
  type Currency,
  type Money,
  type OrderId,
} from "../../domain/index.js";
import { makeMemoryDb, memoryStores, type MemoryDb } from "../../adapters/memory/layer.js";
import { Real } from "../model/system.js";

/** A small shop on the memory stores, driven through the use cases only. */
export interface Shop {
  readonly real: Real;
  readonly db: MemoryDb;
  readonly initialStock: ReadonlyArray<number>;
  /** Net admin stock adjustments that succeeded, per product. */
  readonly adjustments: Array<number>;
  /** Order ids placed per `${customer}:${key}`. */
  readonly ordersByKey: Map<string, Set<string>>;
}

export type ShopOp =
  | { readonly kind: "add" | "change"; readonly c: number; readonly p: number; readonly q: number }
  | { readonly kind: "remove"; readonly c: number; readonly p: number }
  | { readonly kind: "advance"; readonly ms: number }
  | { readonly kind: "sweep" | "renew-all" }
  | { readonly kind: "checkout"; readonly c: number; readonly k: number }
  | { readonly kind: "cancel"; readonly c: number; readonly o: number }
  | { readonly kind: "restock"; readonly p: number; readonly delta: number }
  | { readonly kind: "price"; readonly p: number; readonly amount: number };

const c = fc.nat(2);
const p = fc.nat(2);
export const shopOp: fc.Arbitrary<ShopOp> = fc.oneof(
  fc.record({ kind: fc.constantFrom("add" as const, "change" as const), c, p, q: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("remove" as const), c, p }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.constantFrom(60_000, 45 * 60_000) }),
  fc.record({ kind: fc.constantFrom("sweep" as const, "renew-all" as const) }),
  fc.record({ kind: fc.constant("checkout" as const), c, k: fc.nat(1) }),
  fc.record({ kind: fc.constant("cancel" as const), c, o: fc.nat(9) }),
  fc.record({ kind: fc.constant("restock" as const), p, delta: fc.integer({ min: -4, max: 6 }) }),
  fc.record({ kind: fc.constant("price" as const), p, amount: fc.constantFrom(100, 1000, 2500) }),
);

export const openShop = async (initialStock: ReadonlyArray<number>): Promise<Shop> => {
  const db = makeMemoryDb();
  const real = new Real(memoryStores(db), "s", Date.UTC(2026, 0, 1), 30 * 60_000);
  for (const [i, stock] of initialStock.entries()) {
    const price = { amount: 1000, currency: "EUR" as Currency } as Money;
    await real.ok(createProduct({ id: real.productId(i), name: `Product ${i}`, category: "shop", price, stock }));
  }
  return { real, db, initialStock, adjustments: initialStock.map(() => 0), ordersByKey: new Map() };
};

export const runOp = async (shop: Shop, op: ShopOp): Promise<void> => {
  const { real: r } = shop;
  switch (op.kind) {
    case "add": return void (await r.run(addToCart(r.customerId(op.c), r.productId(op.p), op.q)));
    case "change": return void (await r.run(changeQuantity(r.customerId(op.c), r.productId(op.p), op.q)));
    case "remove": return void (await r.run(removeFromCart(r.customerId(op.c), r.productId(op.p))));
    case "advance": return r.clock.advance(op.ms);
    case "sweep": return void (await r.run(releaseExpiredHolds(100)));
    case "renew-all": for (let i = 0; i < 3; i++) await r.run(renewCart(r.customerId(i))); return;
    case "checkout": {
      const result = await r.run(placeOrder(r.customerId(op.c), r.key(op.c, op.k)));
      if (result._tag === "Right") {
        const id = `${op.c}:${op.k}`;
        shop.ordersByKey.set(id, (shop.ordersByKey.get(id) ?? new Set()).add(result.right.order.id));
      }
      return;
    }
    case "cancel": {
      const orders = [...shop.db.orders.keys()];
      if (orders.length === 0) return;
      return void (await r.run(cancelOrder({ userId: r.customerId(op.c), role: "customer" }, orders[op.o % orders.length] as OrderId)));
    }
    case "restock": {
      const result = await r.run(adjustStock(r.productId(op.p), op.delta));
      if (result._tag === "Right") shop.adjustments[op.p]! += op.delta;
      return;
    }
    case "price": {
      const price = { amount: op.amount, currency: "EUR" as Currency } as Money;
      return void (await r.run(updateProduct(r.productId(op.p), { price })));
    }
  }
};

export const soldOf = (db: MemoryDb, productId: string) =>
  [...db.orders.values()]
    .filter((o) => o.status !== "cancelled")
    .flatMap((o) => o.lines)
    .filter((l) => l.productId === productId)
    .reduce((s, l) => s + l.quantity, 0);

export const heldOf = (db: MemoryDb, productId: string) =>
  [...db.carts.values()]
    .flatMap((lines) => [...lines.values()])
    .filter((l) => l.productId === productId && !l.released)
    .reduce((s, l) => s + l.quantity, 0);
