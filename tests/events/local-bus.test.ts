import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { makeLocalBus } from "../../adapters/events/local-bus.js";
import { CheckoutOps, type DomainEvent, EventBus, OrderOps, type IdempotencyKey, type OrderId, type Timestamp } from "../../domain/index.js";
import { customer, line } from "../support/fixtures.js";

const orderEvents = (orderId: string): Array<DomainEvent> => {
  const cart = { customerId: customer("c"), lines: [line("p", { expiresAt: 9_000 as never })] };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: orderId as OrderId, now: 1 as Timestamp }));
  const paid = Either.getOrThrow(OrderOps.transition(plan.order, "paid", { userId: customer("a"), role: "admin" }, 2 as Timestamp));
  return [plan.events[0]!, paid.events[0]!];
};

describe("makeLocalBus", () => {
  it("delivers each order's events in order to every subscriber, redelivers a failing one, then dead-letters it while the rest flow", async () => {
    const bus = makeLocalBus({ maxReceives: 3, retryDelayMs: 1 });
    const seen: Array<string> = [];
    let attempts = 0;
    bus.subscribe({ name: "recorder", handle: async (e) => void seen.push(e.eventId) });
    bus.subscribe({
      name: "flaky",
      handle: async (e) => {
        if (e.eventId === "o-2:1") {
          attempts++;
          throw new Error("partner down");
        }
      },
    });

    await Effect.runPromise(Effect.flatMap(EventBus, (b) => b.publish([...orderEvents("o-1"), ...orderEvents("o-2")])).pipe(Effect.provide(bus.layer)));
    await bus.drained();

    expect(seen.filter((id) => id.startsWith("o-1"))).toEqual(["o-1:1", "o-1:2"]);
    expect(seen.filter((id) => id.startsWith("o-2"))).toEqual(["o-2:1", "o-2:2"]);
    expect(attempts).toBe(3);
    expect(bus.deadLetters.map((d) => [d.subscriber, d.event.eventId])).toEqual([["flaky", "o-2:1"]]);
    expect(bus.published).toHaveLength(4);
  });
});
