import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { CheckoutOps, type DomainEvent, EventOps, EventReceipts, OrderOps, type IdempotencyKey, type OrderId, type Timestamp } from "../../domain/index.js";
import { customer, line, uniqueId } from "../support/fixtures.js";
import type { ContractContext } from "./store-contract.js";

/** An order's first three events: placed (1), paid (2), packed (3). */
const orderEvents = (): [DomainEvent, DomainEvent, DomainEvent] => {
  const cart = { customerId: customer("c"), lines: [line("p", { expiresAt: 9_000 as never })] };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: uniqueId("o") as OrderId, now: 100 as Timestamp }));
  const admin = { userId: customer("admin"), role: "admin" as const };
  const paid = Either.getOrThrow(OrderOps.transition(plan.order, "paid", admin, 200 as Timestamp));
  const packed = Either.getOrThrow(OrderOps.transition(paid.order, "packed", admin, 300 as Timestamp));
  return [plan.events[0]!, paid.events[0]!, packed.events[0]!];
};

const lease = 60_000;

export const describeReceiptsContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: EventReceipts`, () => {
    const claim = (consumer: string, e: DomainEvent, now = 1_000) => ctx.ok(Effect.flatMap(EventReceipts, (r) => r.claim(consumer, e, now as Timestamp, lease)));
    const complete = (consumer: string, e: DomainEvent) => ctx.ok(Effect.flatMap(EventReceipts, (r) => r.complete(consumer, e)));
    const release = (consumer: string, e: DomainEvent) => ctx.ok(Effect.flatMap(EventReceipts, (r) => r.release(consumer, e)));

    it("lets an event through once per consumer: fresh, then duplicate; another consumer has its own receipts", async () => {
      const [placed] = orderEvents();
      const consumer = uniqueId("email");
      expect(await claim(consumer, placed)).toEqual({ outcome: "fresh", done: 0 });
      await complete(consumer, placed);
      expect(await claim(consumer, placed)).toEqual({ outcome: "duplicate", done: 1 });
      expect((await claim(uniqueId("other"), placed)).outcome).toBe("fresh");
    });

    it("makes an event ahead of a gap wait, and lets it through once its predecessor is done (invariant: in sequence, nothing dropped)", async () => {
      const [placed, paid, packed] = orderEvents();
      const consumer = uniqueId("email");
      expect(await claim(consumer, packed)).toEqual({ outcome: "waiting", done: 0 });
      expect(await claim(consumer, paid)).toEqual({ outcome: "waiting", done: 0 });
      expect((await claim(consumer, placed)).outcome).toBe("fresh");
      await complete(consumer, placed);
      expect(await claim(consumer, packed)).toEqual({ outcome: "waiting", done: 1 });
      expect((await claim(consumer, paid)).outcome).toBe("fresh");
      await complete(consumer, paid);
      expect((await claim(consumer, packed)).outcome).toBe("fresh");
    });

    it("keeps a released event next: the order's later events wait behind it, and it is not judged stale (invariant: a failed effect is retried, not dropped)", async () => {
      const [placed, paid] = orderEvents();
      const consumer = uniqueId("email");
      expect((await claim(consumer, placed)).outcome).toBe("fresh");
      await release(consumer, placed);
      expect((await claim(consumer, paid)).outcome).toBe("waiting");
      await complete(consumer, paid); // a complete out of turn moves nothing
      expect((await claim(consumer, placed, 1_001)).outcome).toBe("fresh");
      await complete(consumer, placed);
      expect((await claim(consumer, paid)).outcome).toBe("fresh");
    });

    it("lets one of twin claims through while its lease holds; a released claim or a lapsed lease frees the event (invariant: one effect per event)", async () => {
      const [placed] = orderEvents();
      const consumer = uniqueId("fulfilment");
      expect((await Promise.all([claim(consumer, placed), claim(consumer, placed)])).map((c) => c.outcome).sort()).toEqual(["busy", "fresh"]);
      await release(consumer, placed);
      expect((await claim(consumer, placed, 2_000)).outcome).toBe("fresh");
      expect((await claim(consumer, placed, 2_000 + lease - 1)).outcome).toBe("busy");
      expect((await claim(consumer, placed, 2_000 + lease)).outcome).toBe("fresh");
    });

    it("keeps a StockLow's receipt by its own id", async () => {
      const low = EventOps.stockLow(uniqueId("ev"), 100 as Timestamp, [{ productId: "p" as never, name: "P", available: 1, threshold: 5 }]);
      const consumer = uniqueId("email");
      expect((await claim(consumer, low)).outcome).toBe("fresh");
      await complete(consumer, low);
      expect((await claim(consumer, low)).outcome).toBe("duplicate");
      expect((await claim(consumer, { ...low, eventId: uniqueId("ev") })).outcome).toBe("fresh");
    });
  });
