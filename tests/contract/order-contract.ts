import { Effect, Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import {
  CartStore,
  CheckoutOps,
  IdempotencyStore,
  OrderOps,
  OrderStore,
  ProductStore,
  type CheckoutPlan,
  type IdempotencyKey,
  type OrderId,
  type Timestamp,
  type UserId,
} from "../../domain/index.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import { allPages, getProduct, type ContractContext } from "./store-contract.js";

export const describeOrderContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: OrderStore and IdempotencyStore`, () => {
    /** A customer with one live line of 2 units on a product of stock 5, and a checkout plan for it. */
    const checkoutReady = async (now = 500, createdAt = now, c: UserId = customer(uniqueId("c"))) => {
      const p = product(uniqueId("p"), { stock: 5 });
      const l = line(p.id, { quantity: 2 as never, expiresAt: 1000 as never });
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      await ctx.ok(
        Effect.flatMap(CartStore, (s) =>
          s.apply({ customerId: c, lines: [{ productId: p.id, expected: null, next: l }], reservations: [{ productId: p.id, delta: 2 }] }),
        ),
      );
      const cart = await ctx.ok(Effect.flatMap(CartStore, (s) => s.get(c)));
      const key = uniqueId("key") as IdempotencyKey;
      const plan = Either.getOrThrow(
        CheckoutOps.plan({ cart, key, orderId: uniqueId("o") as OrderId, now: createdAt as Timestamp }),
      );
      return { p, c, key, plan: { ...plan, now: now as Timestamp } satisfies CheckoutPlan };
    };
    const commit = (plan: CheckoutPlan) => Effect.flatMap(OrderStore, (s) => s.commitCheckout(plan));

    it("commits a checkout: sells the units, empties the cart, stores the order and its idempotency record", async () => {
      const { p, c, key, plan } = await checkoutReady();
      const order = await ctx.ok(commit(plan));
      expect(order).toEqual(plan.order);
      expect(await ctx.ok(getProduct(p.id))).toMatchObject({ stock: 3, reserved: 0 });
      expect((await ctx.ok(Effect.flatMap(CartStore, (s) => s.get(c)))).lines).toEqual([]);
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(OrderStore, (s) => s.get(order.id))))).toEqual(order);
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(IdempotencyStore, (s) => s.find(c, key))))).toEqual(plan.record);
    });

    it("refuses a second commit with the same idempotency key, changing nothing (invariant: one order per key)", async () => {
      const { p, plan } = await checkoutReady();
      await ctx.ok(commit(plan));
      const twin = { ...plan, order: { ...plan.order, id: uniqueId("o") as OrderId } };
      expect(outcome(await ctx.run(commit(twin)))).toBe("IdempotencyKeyTaken");
      expect(Option.isNone(await ctx.ok(Effect.flatMap(OrderStore, (s) => s.get(twin.order.id))))).toBe(true);
      expect(await ctx.ok(getProduct(p.id))).toMatchObject({ stock: 3, reserved: 0 });
    });

    it("refuses a checkout whose hold changed or expired, changing nothing (invariant: all or nothing)", async () => {
      const stale = await checkoutReady();
      const moved = { ...stale.plan, consumed: stale.plan.consumed.map((c) => ({ ...c, hold: { ...c.hold, version: 9 } })) };
      expect(outcome(await ctx.run(commit(moved)))).toBe("CheckoutCartChanged");
      const late = await checkoutReady(1000, 500);
      expect(outcome(await ctx.run(commit(late.plan)))).toBe("CheckoutCartChanged");
      for (const s of [stale, late]) {
        expect(await ctx.ok(getProduct(s.p.id))).toMatchObject({ stock: 5, reserved: 2 });
        expect((await ctx.ok(Effect.flatMap(CartStore, (st) => st.get(s.c)))).lines).toHaveLength(1);
        expect(Option.isNone(await ctx.ok(Effect.flatMap(OrderStore, (st) => st.get(s.plan.order.id))))).toBe(true);
        expect(Option.isNone(await ctx.ok(Effect.flatMap(IdempotencyStore, (st) => st.find(s.c, s.key))))).toBe(true);
      }
    });

    it("stores a transition only from the status it was computed from; a cancellation restocks exactly once", async () => {
      const { p, c, plan } = await checkoutReady();
      const order = await ctx.ok(commit(plan));
      const actor = { userId: c, role: "customer" as const };
      const cancel = Either.getOrThrow(OrderOps.transition(order, "cancelled", actor, 600 as Timestamp));
      expect((await ctx.ok(Effect.flatMap(OrderStore, (s) => s.transition(cancel)))).status).toBe("cancelled");
      expect(outcome(await ctx.run(Effect.flatMap(OrderStore, (s) => s.transition(cancel))))).toBe("OrderStatusConflict");
      expect(await ctx.ok(getProduct(p.id))).toMatchObject({ stock: 5, reserved: 0 });
      const ghost = { ...cancel, order: { ...cancel.order, id: uniqueId("o") as OrderId } };
      expect(outcome(await ctx.run(Effect.flatMap(OrderStore, (s) => s.transition(ghost))))).toBe("OrderNotFound");
    });

    it("lists a customer's orders newest first across pages, and orders by status newest first", async () => {
      const c = customer(uniqueId("c"));
      const ids: Array<string> = [];
      for (const at of [100, 200, 300]) ids.push((await ctx.ok(commit((await checkoutReady(at, at, c)).plan))).id);
      const listed = await allPages((cursor) => ctx.ok(Effect.flatMap(OrderStore, (s) => s.listByCustomer(c, { limit: 2, cursor }))));
      expect(listed.map((o) => o.id)).toEqual([...ids].reverse());
      const placed = await allPages((cursor) => ctx.ok(Effect.flatMap(OrderStore, (s) => s.listByStatus("placed", { limit: 50, cursor }))));
      expect(placed.every((o) => o.status === "placed")).toBe(true);
      expect(ids.every((id) => placed.some((o) => o.id === id))).toBe(true);
      const times = placed.map((o) => o.createdAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });
  });
