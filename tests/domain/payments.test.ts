import fc from "fast-check";
import { Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import {
  type IdempotencyKey,
  type Order,
  type OrderId,
  type OrderStatus,
  type Payment,
  type PaymentEvent,
  PaymentOps,
  type ProductId,
  type Quantity,
  type Timestamp,
  type UserId,
} from "../../domain/index.js";
import { eur } from "../support/fixtures.js";

const order = (status: OrderStatus, payment?: Payment, total = 900): Order => ({
  id: "o1" as OrderId,
  customerId: "c1" as UserId,
  status,
  lines: [{ productId: "p1" as ProductId, name: "Tea", quantity: 2 as Quantity, unitPrice: eur(total / 2), lineTotal: eur(total) }],
  subtotal: eur(total),
  total: eur(total),
  idempotencyKey: "key-00000001" as IdempotencyKey,
  createdAt: 1_000 as Timestamp,
  updatedAt: 1_000 as Timestamp,
  history: [{ status: "placed", at: 1_000 as Timestamp, by: "customer" }],
  ...(payment ? { payment } : {}),
});
const payment = (status: Payment["status"], paymentId = "pi_1", amount = 900): Payment => ({ provider: "simulated", paymentId, amount: eur(amount), status, refunds: [] });
const success = (over: Partial<PaymentEvent> = {}): PaymentEvent => ({
  provider: "simulated",
  eventId: "evt_1",
  type: "payment_intent.succeeded",
  kind: "succeeded",
  paymentId: "pi_1",
  orderId: "o1",
  amount: eur(900),
  ...over,
});
const now = 5_000 as Timestamp;

const statuses = fc.constantFrom<OrderStatus>("placed", "paid", "packed", "shipped", "delivered", "cancelled");
const paymentStatuses = fc.constantFrom<Payment["status"]>("pending", "failed", "succeeded", "canceled", "refunded");
const events = fc.record({
  kind: fc.constantFrom<PaymentEvent["kind"]>("succeeded", "failed", "canceled", "other"),
  paymentId: fc.constantFrom("pi_1", "pi_2"),
  amount: fc.constantFrom(900, 899, 901),
  currency: fc.constantFrom("EUR", "USD"),
});

describe("PaymentOps.decide", () => {
  it("makes an order paid only from a success of its own payment with its exact amount and currency, and only from placed", () => {
    fc.assert(
      fc.property(statuses, fc.option(paymentStatuses, { nil: undefined }), events, (status, ps, e) => {
        const o = order(status, ps ? payment(ps) : undefined);
        const d = PaymentOps.decide(o, success({ kind: e.kind, paymentId: e.paymentId, amount: { amount: e.amount, currency: e.currency } as never }), now);
        const paid = d._tag === "Apply" && d.transition.order.status === "paid";
        const exact = e.kind === "succeeded" && e.amount === 900 && e.currency === "EUR" && (ps === undefined || e.paymentId === "pi_1");
        if (paid) expect(exact && status === "placed").toBe(true);
        if (exact && status === "placed") expect(paid).toBe(true);
        if (paid && d._tag === "Apply") expect(d.transition.events.map((x) => x.type)).toEqual(["OrderPaid"]);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses with a typed error a success for another payment or of another amount, and changes nothing", () => {
    const refusal = (d: ReturnType<typeof PaymentOps.decide>) => (d._tag === "Refused" ? d.error._tag : d._tag);
    expect(refusal(PaymentOps.decide(order("placed", payment("pending")), success({ paymentId: "pi_other" }), now))).toBe("PaymentNotOfOrder");
    expect(refusal(PaymentOps.decide(order("placed", payment("pending")), success({ amount: eur(899) }), now))).toBe("PaymentAmountMismatch");
    expect(refusal(PaymentOps.decide(order("placed", payment("pending")), success({ amount: { amount: 900, currency: "USD" } as never }), now))).toBe("PaymentAmountMismatch");
  });

  it("changes nothing for a success on an order that is already paid or further along", () => {
    for (const status of ["paid", "packed", "shipped", "delivered"] as const) expect(PaymentOps.decide(order(status, payment("succeeded")), success(), now)._tag).toBe("Unchanged");
  });

  it("refunds a success that comes after a cancellation, once: the order stays cancelled with one OrderPaymentRefunded", () => {
    const d = PaymentOps.decide(order("cancelled", payment("canceled")), success(), now);
    expect(d._tag).toBe("Refund");
    if (d._tag !== "Refund") return;
    const t = d.after({ refundId: "re_1", amount: eur(900), reason: "paid_after_cancel", at: now });
    expect(t.order).toMatchObject({ status: "cancelled", payment: { status: "refunded", refunds: [{ refundId: "re_1" }] } });
    expect(t.events.map((e) => e.type)).toEqual(["OrderPaymentRefunded"]);
    expect(t.fromPayment).toBe("canceled");
    expect(PaymentOps.decide(t.order, success({ eventId: "evt_2" }), now)._tag).toBe("Unchanged");
  });

  it("records a failure while the order is unpaid, and ignores one after it was paid", () => {
    const d = PaymentOps.decide(order("placed", payment("pending")), success({ kind: "failed", failure: "declined" }), now);
    expect(d._tag === "Apply" && d.transition.order.payment).toMatchObject({ status: "failed", failure: "declined" });
    expect(d._tag === "Apply" && d.transition.events).toEqual([]);
    expect(PaymentOps.decide(order("paid", payment("succeeded")), success({ kind: "failed" }), now)._tag).toBe("Unchanged");
  });
});

describe("PaymentOps.expire", () => {
  it("cancels exactly the placed orders past the window, returning every unit and cancelling an open payment", () => {
    fc.assert(
      fc.property(statuses, fc.option(fc.constantFrom<Payment["status"]>("pending", "failed"), { nil: undefined }), fc.integer({ min: 0, max: 10_000 }), (status, ps, elapsed) => {
        const o = order(status, ps ? payment(ps) : undefined);
        const t = PaymentOps.expire(o, (1_000 + elapsed) as Timestamp, 5_000);
        expect(Option.isSome(t)).toBe(status === "placed" && elapsed >= 5_000);
        if (Option.isSome(t)) {
          expect(t.value.order.status).toBe("cancelled");
          expect(t.value.restock).toEqual([{ productId: "p1", quantity: 2 }]);
          expect(t.value.order.payment?.status).toBe(ps ? "canceled" : undefined);
          expect(t.value.events[0]).toMatchObject({ type: "OrderCancelled", reason: "unpaid" });
        }
      }),
    );
  });
});

describe("PaymentOps.attach", () => {
  it("attaches a payment only to a placed order", () => {
    const session = { paymentId: "pi_1", clientSecret: "s", amount: eur(900), status: "pending" as const };
    expect(Either.isRight(PaymentOps.attach(order("placed"), "simulated", session, now))).toBe(true);
    expect(Either.isLeft(PaymentOps.attach(order("paid"), "simulated", session, now))).toBe(true);
  });
});
