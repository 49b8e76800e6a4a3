import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderOps, nextStatuses, type Order, type OrderStatus, type Timestamp, type UserId } from "../../domain/index.js";
import { eur } from "../support/fixtures.js";

const statuses: ReadonlyArray<OrderStatus> = ["placed", "paid", "packed", "shipped", "delivered", "cancelled"];
const owner = { userId: "alice" as UserId, role: "customer" as const };
const stranger = { userId: "mallory" as UserId, role: "customer" as const };
const admin = { userId: "root" as UserId, role: "admin" as const };

const order = (status: OrderStatus = "placed"): Order =>
  ({
    id: "o1",
    customerId: "alice",
    status,
    lines: [{ productId: "p", name: "P", quantity: 3, unitPrice: eur(100), lineTotal: eur(300) }],
    subtotal: eur(300),
    total: eur(300),
    idempotencyKey: "key-00000001",
    createdAt: 0,
    updatedAt: 0,
    history: [{ status: "placed", at: 0, by: "customer" }],
  }) as unknown as Order;

describe("OrderOps.transition", () => {
  it("follows placed → paid → packed → shipped → delivered for an admin", () => {
    let o = order();
    for (const to of ["paid", "packed", "shipped", "delivered"] as const) {
      o = Either.getOrThrow(OrderOps.transition(o, to, admin, 1 as Timestamp)).order;
      expect(o.status).toBe(to);
    }
    expect(o.history.map((h) => h.status)).toEqual(["placed", "paid", "packed", "shipped", "delivered"]);
  });

  it("allows exactly the listed transitions and fails every other with a typed error (invariant: legal lifecycle)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...statuses), (from, to) => {
        const r = OrderOps.transition(order(from), to, admin, 1 as Timestamp);
        if (nextStatuses[from].includes(to)) expect(Either.getOrThrow(r).order.status).toBe(to);
        else expect(r).toMatchObject({ left: { _tag: "OrderTransitionNotAllowed", from, to } });
      }),
    );
  });

  it("returns stock on cancellation only, and a cancelled order cannot be cancelled again (invariant: restock exactly once)", () => {
    const first = Either.getOrThrow(OrderOps.transition(order("paid"), "cancelled", admin, 1 as Timestamp));
    expect(first.restock).toEqual([{ productId: "p", quantity: 3 }]);
    expect(OrderOps.transition(first.order, "cancelled", admin, 2 as Timestamp)).toMatchObject({ left: { _tag: "OrderTransitionNotAllowed" } });
    expect(Either.getOrThrow(OrderOps.transition(order("placed"), "paid", admin, 1 as Timestamp)).restock).toEqual([]);
  });

  it("lets a customer cancel their own placed order and nothing else", () => {
    expect(Either.getOrThrow(OrderOps.transition(order("placed"), "cancelled", owner, 1 as Timestamp)).order.status).toBe("cancelled");
    expect(OrderOps.transition(order("paid"), "cancelled", owner, 1 as Timestamp)).toMatchObject({ left: { _tag: "OrderTransitionForbidden" } });
    expect(OrderOps.transition(order("shipped"), "delivered", owner, 1 as Timestamp)).toMatchObject({ left: { _tag: "OrderTransitionForbidden" } });
    expect(OrderOps.transition(order("placed"), "paid", owner, 1 as Timestamp)).toMatchObject({ left: { _tag: "OrderTransitionForbidden" } });
  });

  it("hides another customer's order as not found", () => {
    expect(OrderOps.transition(order("placed"), "cancelled", stranger, 1 as Timestamp)).toMatchObject({ left: { _tag: "OrderNotFound" } });
    expect(OrderOps.visibleTo(order(), stranger)).toMatchObject({ left: { _tag: "OrderNotFound" } });
    expect(Either.isRight(OrderOps.visibleTo(order(), admin))).toBe(true);
  });
});
