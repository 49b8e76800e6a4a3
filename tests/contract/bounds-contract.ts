import { Effect, Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import {
  CartStore,
  CheckoutOps,
  IdempotencyOps,
  IdempotencyStore,
  maxStock,
  OrderOps,
  OrderStore,
  ProductStore,
  type IdempotencyKey,
  type OrderId,
  type Timestamp,
} from "../../domain/index.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import { getProduct, type ContractContext } from "./store-contract.js";

const keys = IdempotencyStore;

/** Stock bounds on every write, and idempotency records written with the change they guard. */
export const describeBoundsContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: stock bounds and idempotency records`, () => {
    const newProduct = async (stock: number) => {
      const p = product(uniqueId("p"), { stock });
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      return p;
    };

    /** A customer with a live line of 2 units on a product of stock 5, and a checkout plan for it. */
    const checkoutReady = async () => {
      const p = await newProduct(5);
      const c = customer(uniqueId("c"));
      const l = line(p.id, { quantity: 2 as never, expiresAt: 1000 as never });
      await ctx.ok(Effect.flatMap(CartStore, (s) => s.apply({ customerId: c, lines: [{ productId: p.id, expected: null, next: l }], reservations: [{ productId: p.id, delta: 2 }] })));
      const cart = await ctx.ok(Effect.flatMap(CartStore, (s) => s.get(c)));
      const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: uniqueId("key") as IdempotencyKey, orderId: uniqueId("o") as OrderId, now: 500 as Timestamp }));
      return { p, c, plan };
    };

    it(`never takes stock above ${maxStock}: such an adjustment is refused and changes nothing (a stored product stays readable)`, async () => {
      const p = await newProduct(maxStock - 5);
      expect((await ctx.ok(Effect.flatMap(ProductStore, (s) => s.adjustStock({ productId: p.id, delta: 5 })))).stock).toBe(maxStock);
      expect(await ctx.run(Effect.flatMap(ProductStore, (s) => s.adjustStock({ productId: p.id, delta: 1 })))).toMatchObject({
        left: { _tag: "InventoryStockOutOfRange", productId: p.id, stock: maxStock, delta: 1, max: maxStock },
      });
      expect(await ctx.ok(getProduct(p.id))).toMatchObject({ stock: maxStock, reserved: 0 });
    });

    it(`refuses a cancellation whose restock would take stock above ${maxStock}, leaving the order and the product as they were`, async () => {
      const { p, c, plan } = await checkoutReady();
      const order = await ctx.ok(Effect.flatMap(OrderStore, (s) => s.commitCheckout(plan)));
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.adjustStock({ productId: p.id, delta: maxStock - 4 })));
      const cancel = Either.getOrThrow(OrderOps.transition(order, "cancelled", { userId: c, role: "customer" }, 600 as Timestamp));
      expect(outcome(await ctx.run(Effect.flatMap(OrderStore, (s) => s.transition(cancel))))).toBe("InventoryStockOutOfRange");
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(OrderStore, (s) => s.get(order.id)))).status).toBe("placed");
      expect((await ctx.ok(getProduct(p.id))).stock).toBe(maxStock - 1);
    });

    it("stores a stock adjustment's idempotency record with it, and refuses the key a second time, changing nothing", async () => {
      const p = await newProduct(5);
      const admin = customer(uniqueId("admin"));
      const record = IdempotencyOps.record({ callerId: admin, key: uniqueId("key") as IdempotencyKey }, `stock.adjust ${p.id} 10`, 100 as Timestamp);
      expect((await ctx.ok(Effect.flatMap(ProductStore, (s) => s.adjustStock({ productId: p.id, delta: 10, record })))).stock).toBe(15);
      expect(outcome(await ctx.run(Effect.flatMap(ProductStore, (s) => s.adjustStock({ productId: p.id, delta: 10, record }))))).toBe("IdempotencyKeyTaken");
      expect((await ctx.ok(getProduct(p.id))).stock).toBe(15);
      expect(await ctx.ok(Effect.flatMap(keys, (s) => s.find(admin, record.key)))).toMatchObject({ value: record });
    });

    it("binds a key once: a second binding leaves the first record in place", async () => {
      const c = customer(uniqueId("c"));
      const key = uniqueId("key") as IdempotencyKey;
      const first = IdempotencyOps.record({ callerId: c, key }, "checkout a:1", 100 as Timestamp);
      await ctx.ok(Effect.flatMap(keys, (s) => s.bind(first)));
      await ctx.ok(Effect.flatMap(keys, (s) => s.bind({ ...first, fingerprint: "checkout b:2" })));
      expect(await ctx.ok(Effect.flatMap(keys, (s) => s.find(c, key)))).toMatchObject({ value: first });
    });

    it("lets a checkout take over the binding a refused checkout of the same cart left, and refuses it for another cart (invariant: one request per key)", async () => {
      const same = await checkoutReady();
      const refused = IdempotencyOps.record({ callerId: same.c, key: same.plan.record.key }, same.plan.record.fingerprint, 100 as Timestamp);
      await ctx.ok(Effect.flatMap(keys, (s) => s.bind(refused)));
      await ctx.ok(Effect.flatMap(OrderStore, (s) => s.commitCheckout(same.plan)));
      expect(await ctx.ok(Effect.flatMap(keys, (s) => s.find(same.c, same.plan.record.key)))).toMatchObject({ value: same.plan.record });

      const other = await checkoutReady();
      await ctx.ok(Effect.flatMap(keys, (s) => s.bind({ ...refused, callerId: other.c, key: other.plan.record.key, fingerprint: "checkout another-cart" })));
      expect(outcome(await ctx.run(Effect.flatMap(OrderStore, (s) => s.commitCheckout(other.plan))))).toBe("IdempotencyKeyTaken");
      expect(await ctx.ok(getProduct(other.p.id))).toMatchObject({ stock: 5, reserved: 2 });
      expect(Option.isNone(await ctx.ok(Effect.flatMap(OrderStore, (s) => s.get(other.plan.order.id))))).toBe(true);
    });

    it("refuses a checkout whose hold was replaced by a new one at the same version, changing nothing", async () => {
      const { p, plan } = await checkoutReady();
      const replaced = { ...plan, consumed: plan.consumed.map((c) => ({ ...c, hold: { ...c.hold, holdId: "another-hold" as never } })) };
      expect(outcome(await ctx.run(Effect.flatMap(OrderStore, (s) => s.commitCheckout(replaced))))).toBe("CheckoutCartChanged");
      expect(await ctx.ok(getProduct(p.id))).toMatchObject({ stock: 5, reserved: 2 });
    });
  });
