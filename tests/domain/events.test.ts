import { Either, Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CheckoutOps,
  DomainEvent,
  EventOps,
  InventoryOps,
  OrderOps,
  defaultLowStockThreshold,
  eventSource,
  type IdempotencyKey,
  type OrderId,
  type OrderStatus,
  type Timestamp,
} from "../../domain/index.js";
import { customer, line, product } from "../support/fixtures.js";

const admin = { userId: customer("admin"), role: "admin" as const };
const placed = () => {
  const cart = { customerId: customer("c"), lines: [line("p", { quantity: 2 as never, expiresAt: 5000 as never })] };
  return Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: "o1" as OrderId, now: 100 as Timestamp }));
};

describe("EventOps.ofOrder", () => {
  it("gives every status change of an order the next sequence, starting at 1 with OrderPlaced (invariant: per-order order)", () => {
    const plan = placed();
    expect(plan.events).toMatchObject([{ type: "OrderPlaced", eventId: "o1:1", sequence: 1, orderId: "o1", customerId: "c", order: { status: "placed" } }]);
    let order = plan.order;
    const path: Array<[OrderStatus, string]> = [["paid", "OrderPaid"], ["packed", "OrderPacked"], ["shipped", "OrderShipped"], ["delivered", "OrderDelivered"]];
    path.forEach(([to, type], i) => {
      const t = Either.getOrThrow(OrderOps.transition(order, to, admin, (200 + i) as Timestamp));
      expect(t.events).toMatchObject([{ type, sequence: i + 2, eventId: `o1:${i + 2}`, occurredAt: 200 + i, order: { status: to } }]);
      order = t.order;
    });
  });

  it("says who cancelled and what went back to stock", () => {
    const t = Either.getOrThrow(OrderOps.transition(placed().order, "cancelled", { userId: customer("c"), role: "customer" }, 300 as Timestamp));
    expect(t.events).toMatchObject([{ type: "OrderCancelled", sequence: 2, reason: "customer", returned: [{ productId: "p", quantity: 2 }] }]);
  });

  it("encodes every event to JSON with ISO timestamps and decodes it back unchanged; orders are published from cartwright.orders", () => {
    const [event] = placed().events;
    const wire = JSON.parse(JSON.stringify(Schema.encodeSync(DomainEvent)(event!)));
    expect(wire.occurredAt).toBe("1970-01-01T00:00:00.100Z");
    expect(Schema.decodeUnknownSync(DomainEvent)(wire)).toEqual(event);
    expect(eventSource(event!)).toBe("cartwright.orders");
  });
});

describe("EventOps.fellLow", () => {
  it("reports a product exactly when a change takes it from at or above its threshold to below it", () => {
    fc.assert(
      fc.property(fc.nat(12), fc.nat(12), fc.option(fc.nat(8), { nil: undefined }), (available, taken, own) => {
        const before = product("p", { stock: available, reserved: 0, ...(own === undefined ? {} : { lowStockThreshold: own }) });
        const after = Either.getOrThrow(InventoryOps.adjustStock({ ...before, stock: available + 20 }, -20 - Math.min(taken, available)));
        const threshold = own ?? defaultLowStockThreshold;
        const fell = available >= threshold && available - Math.min(taken, available) < threshold;
        expect(EventOps.fellLow([{ before, after }])).toEqual(fell ? [{ productId: "p", name: before.name, available: available - Math.min(taken, available), threshold }] : []);
      }),
    );
  });
});
