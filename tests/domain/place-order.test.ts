import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addToCart, advanceOrder, cancelOrder, placeOrder, removeFromCart, renewCart, type OrderId } from "../../domain/index.js";
import type { MemoryDb } from "../../adapters/memory/layer.js";
import { openShop, runOp, shopOp } from "../support/shop.js";

const snapshot = (db: MemoryDb) => structuredClone(db);

describe("placeOrder", () => {
  it("is all-or-nothing: when a checkout fails, nothing in any store changed but its key's binding to the refused cart", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(6), { minLength: 3, maxLength: 3 }), fc.array(shopOp, { maxLength: 25 }), fc.nat(2), fc.nat(1), async (initial, ops, c, k) => {
        const shop = await openShop(initial);
        for (const op of ops) await runOp(shop, op);
        const before = snapshot(shop.db);
        const result = await shop.real.run(placeOrder(shop.real.customerId(c), shop.real.key(c, k)));
        if (result._tag === "Left") {
          const after = snapshot(shop.db);
          expect({ ...after, idempotency: before.idempotency }).toEqual(before);
          const bound = [...after.idempotency].filter(([id]) => !before.idempotency.has(id)).map(([, record]) => record);
          expect(bound.length <= 1 && bound.every((record) => record.orderId === undefined && record.key === shop.real.key(c, k))).toBe(true);
        }
        await shop.real.dispose();
      }),
      { numRuns: 200 },
    );
  });

  it("returns the same order for every replay of a key and never makes a second one (invariant: idempotency)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), async (replays) => {
        const shop = await openShop([5, 5, 5]);
        const r = shop.real;
        await r.ok(addToCart(r.customerId(0), r.productId(0), 2));
        const first = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
        for (let i = 0; i < replays; i++) {
          const again = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
          expect(again).toEqual({ order: first.order, replayed: true });
        }
        expect(shop.db.orders.size).toBe(1);
        expect(shop.db.products.get(r.productId(0))).toMatchObject({ stock: 3, reserved: 0 });
        await r.dispose();
      }),
      { numRuns: 20 },
    );
  });

  it("returns the order a key placed on a replay after a lost reply, even when the buyer has since filled the cart again", async () => {
    const shop = await openShop([5, 5, 5]);
    const r = shop.real;
    await r.ok(addToCart(r.customerId(0), r.productId(0), 1));
    const first = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
    await r.ok(addToCart(r.customerId(0), r.productId(1), 1));
    expect(await r.ok(placeOrder(r.customerId(0), r.key(0, 0)))).toEqual({ order: first.order, replayed: true });
    expect(shop.db.orders.size).toBe(1);
    expect(shop.db.products.get(r.productId(1))).toMatchObject({ reserved: 1 });
  });

  it("refuses a key reused after a refused checkout for a different cart, and lets it check out the same cart once fixed", async () => {
    const shop = await openShop([5, 5, 5]);
    const r = shop.real;
    await r.ok(addToCart(r.customerId(0), r.productId(0), 1));
    r.clock.advance(31 * 60_000);
    expect(await r.run(placeOrder(r.customerId(0), r.key(0, 0)))).toMatchObject({ left: { _tag: "CheckoutHoldExpired" } });
    await r.ok(renewCart(r.customerId(0)));
    const placed = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
    expect(placed.replayed).toBe(false);

    await r.ok(addToCart(r.customerId(0), r.productId(1), 1));
    r.clock.advance(31 * 60_000);
    expect(await r.run(placeOrder(r.customerId(0), r.key(0, 1)))).toMatchObject({ left: { _tag: "CheckoutHoldExpired" } });
    await r.ok(removeFromCart(r.customerId(0), r.productId(1)));
    await r.ok(addToCart(r.customerId(0), r.productId(2), 1));
    expect(await r.run(placeOrder(r.customerId(0), r.key(0, 1)))).toMatchObject({ left: { _tag: "IdempotencyKeyReused" } });
    expect(shop.db.orders.size).toBe(1);
  });

  it("keeps two customers' orders apart even with the same key text (regression: ids reset on layer rebuild)", async () => {
    const shop = await openShop([1, 0, 1]);
    const r = shop.real;
    await r.ok(addToCart(r.customerId(2), r.productId(0), 1));
    const a = await r.ok(placeOrder(r.customerId(2), r.key(0, 0)));
    await r.ok(addToCart(r.customerId(0), r.productId(2), 1));
    const b = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
    expect(a.order.id).not.toBe(b.order.id);
    expect(shop.db.orders.size).toBe(2);
  });
});

describe("cancelOrder", () => {
  it("restores stock exactly once, however many times customer and admin cancel (invariant)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), async (q, byAdmin) => {
        const shop = await openShop([5, 5, 5]);
        const r = shop.real;
        await r.ok(addToCart(r.customerId(0), r.productId(0), q));
        const { order } = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
        const outcomes: Array<string> = [];
        for (const admin of byAdmin) {
          const actor = admin ? { userId: r.customerId(9), role: "admin" as const } : { userId: r.customerId(0), role: "customer" as const };
          const result = await r.run(cancelOrder(actor, order.id as OrderId));
          outcomes.push(result._tag === "Right" ? "ok" : result.left._tag);
        }
        expect(outcomes).toEqual(["ok", ...byAdmin.slice(1).map(() => "OrderTransitionNotAllowed")]);
        expect(shop.db.products.get(r.productId(0))).toMatchObject({ stock: 5, reserved: 0 });
        await r.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it("cannot cancel a shipped order, nor can a customer move their own order along", async () => {
    const shop = await openShop([5, 5, 5]);
    const r = shop.real;
    const admin = { userId: r.customerId(9), role: "admin" as const };
    const owner = { userId: r.customerId(0), role: "customer" as const };
    await r.ok(addToCart(r.customerId(0), r.productId(0), 1));
    const { order } = await r.ok(placeOrder(r.customerId(0), r.key(0, 0)));
    expect(await r.run(advanceOrder(owner, order.id, "paid"))).toMatchObject({ left: { _tag: "OrderTransitionForbidden" } });
    for (const to of ["paid", "packed", "shipped"] as const) await r.ok(advanceOrder(admin, order.id, to));
    expect(await r.run(cancelOrder(admin, order.id))).toMatchObject({ left: { _tag: "OrderTransitionNotAllowed", from: "shipped" } });
    expect(shop.db.products.get(r.productId(0))).toMatchObject({ stock: 4 });
  });
});
