import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import {
  CartStore,
  CheckoutOps,
  type DomainEvent,
  EventLog,
  EventOps,
  OrderOps,
  OrderStore,
  ProductStore,
  type CartChange,
  type IdempotencyKey,
  type OrderId,
  type Timestamp,
} from "../../domain/index.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import { allPages, type ContractContext } from "./store-contract.js";

const eventsOf = (ctx: ContractContext, filter: { orderId?: OrderId; type?: DomainEvent["type"] }, limit = 2) =>
  allPages((cursor) => ctx.ok(Effect.flatMap(EventLog, (log) => log.list({ ...filter, limit, cursor } as never))));

/** The outbox: every event goes in with the change it describes, or not at all; the log lists them newest first. */
export const describeOutboxContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: outbox and EventLog`, () => {
    const stockLow = (productId: string) =>
      EventOps.stockLow(uniqueId("ev"), 100 as Timestamp, [{ productId: productId as never, name: "Low", available: 1, threshold: 5 }]);

    it("writes a cart change's events with it, and none when the change is refused (invariant: no event without its change)", async () => {
      const p = product(uniqueId("p"), { stock: 3 });
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      const c = customer(uniqueId("c"));
      const add = (q: number): CartChange => ({
        customerId: c,
        lines: [{ productId: p.id, expected: null, next: line(p.id, { quantity: q as never }) }],
        reservations: [{ productId: p.id, delta: q }],
        events: [stockLow(p.id)],
      });
      const refused = add(4);
      expect(outcome(await ctx.run(Effect.flatMap(CartStore, (s) => s.apply(refused))))).toBe("InventoryInsufficientStock");
      const committed = add(2);
      await ctx.ok(Effect.flatMap(CartStore, (s) => s.apply(committed)));
      const low = await eventsOf(ctx, { type: "StockLow" }, 100);
      expect(low.map((e) => e.eventId)).toContain(committed.events![0]!.eventId);
      expect(low.map((e) => e.eventId)).not.toContain(refused.events![0]!.eventId);
    });

    it("writes a checkout's OrderPlaced and each transition's event with them, listed per order newest first with consecutive sequences", async () => {
      const p = product(uniqueId("p"), { stock: 5 });
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      const c = customer(uniqueId("c"));
      await ctx.ok(Effect.flatMap(CartStore, (s) => s.apply({ customerId: c, lines: [{ productId: p.id, expected: null, next: line(p.id, { quantity: 2 as never, expiresAt: 1000 as never }) }], reservations: [{ productId: p.id, delta: 2 }] })));
      const cart = await ctx.ok(Effect.flatMap(CartStore, (s) => s.get(c)));
      const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: uniqueId("key") as IdempotencyKey, orderId: uniqueId("o") as OrderId, now: 500 as Timestamp }));
      let order = await ctx.ok(Effect.flatMap(OrderStore, (s) => s.commitCheckout(plan)));
      const admin = { userId: customer("admin"), role: "admin" as const };
      for (const [to, at] of [["paid", 600], ["cancelled", 700]] as const) {
        const t = Either.getOrThrow(OrderOps.transition(order, to, admin, at as Timestamp));
        order = await ctx.ok(Effect.flatMap(OrderStore, (s) => s.transition(t)));
        expect(outcome(await ctx.run(Effect.flatMap(OrderStore, (s) => s.transition(t))))).toBe("OrderStatusConflict");
      }

      const events = await eventsOf(ctx, { orderId: order.id }, 2);
      expect(events.map((e) => [e.type, "sequence" in e ? e.sequence : 0])).toEqual([["OrderCancelled", 3], ["OrderPaid", 2], ["OrderPlaced", 1]]);
      expect(events[0]).toMatchObject({ eventId: `${order.id}:3`, reason: "admin", returned: [{ productId: p.id, quantity: 2 }], order: { status: "cancelled" } });
      const all = await eventsOf(ctx, {}, 25);
      expect(all.filter((e) => "orderId" in e && e.orderId === order.id)).toEqual(events);
      const times = all.map((e) => e.occurredAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it("writes a stock adjustment's events with it", async () => {
      const p = product(uniqueId("p"), { stock: 8 });
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      const event = stockLow(p.id);
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.adjustStock({ productId: p.id, delta: -5, events: [event] })));
      expect((await eventsOf(ctx, { type: "StockLow" }, 100)).map((e) => e.eventId)).toContain(event.eventId);
    });
  });
