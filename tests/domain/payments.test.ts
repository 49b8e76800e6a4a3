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

// A placed order's payment has not succeeded (a success moves it to paid).
const reachable = (status: OrderStatus, ps: Payment["status"] | undefined) => !(status === "placed" && (ps === "succeeded" || ps === "refunded"));

describe("PaymentOps.decide", () => {
  it("makes an order paid only from a success of its own payment with its exact amount and currency, and only from placed", () => {
    fc.assert(
      fc.property(statuses, fc.option(paymentStatuses, { nil: undefined }), events, (status, ps, e) => {
        fc.pre(reachable(status, ps));
        const o = order(status, ps ? payment(ps) : undefined);
        const d = PaymentOps.decide(o, success({ kind: e.kind, paymentId: e.paymentId, amount: { amount: e.amount, currency: e.currency } as never }), now);
        const paid = d._tag === "Apply" && d.transition.order.status === "paid" && status !== "paid";
        const exact = e.kind === "succeeded" && e.amount === 900 && e.currency === "EUR" && (ps === undefined || e.paymentId === "pi_1");
        if (paid) expect(exact && status === "placed").toBe(true);
        if (exact && status === "placed") expect(paid).toBe(true);
        if (paid && d._tag === "Apply") expect(d.transition.events.map((x) => x.type)).toEqual(["OrderPaid"]);
      }),
      { numRuns: 500 },
    );
  });

  it("owes back a success for another payment or of another amount, without paying the order (invariant: nothing received is kept unpaid-for)", () => {
    const owed = (e: PaymentEvent) => {
      const d = PaymentOps.decide(order("placed", payment("pending")), e, now);
      return d._tag === "Apply" ? { status: d.transition.order.status, due: d.transition.order.refundsDue, events: d.transition.events } : d;
    };
    expect(owed(success({ paymentId: "pi_other" }))).toEqual({ status: "placed", due: [{ provider: "simulated", paymentId: "pi_other", amount: eur(900), reason: "not_order_payment", since: now }], events: [] });
    expect(owed(success({ amount: eur(899) }))).toMatchObject({ status: "placed", due: [{ paymentId: "pi_1", amount: eur(899), reason: "not_order_payment" }] });
    expect(owed(success({ amount: { amount: 900, currency: "USD" } as never }))).toMatchObject({ status: "placed", due: [{ amount: { amount: 900, currency: "USD" } }] });
  });

  it("every success either pays its placed order or is owed back exactly once; a second delivery of it changes nothing", () => {
    fc.assert(
      fc.property(statuses, fc.option(paymentStatuses, { nil: undefined }), events, (status, ps, e) => {
        fc.pre(reachable(status, ps));
        const o = order(status, ps ? payment(ps) : undefined);
        const event = success({ paymentId: e.paymentId, amount: { amount: e.amount, currency: e.currency } as never });
        const d = PaymentOps.decide(o, event, now);
        const paid = d._tag === "Apply" && d.transition.order.status === "paid" && o.status === "placed";
        const owed = d._tag === "Apply" ? (d.transition.order.refundsDue ?? []).filter((x) => x.paymentId === e.paymentId).length : 0;
        const keptBefore = ps === "succeeded" && e.paymentId === "pi_1" && o.status !== "cancelled";
        const returnedBefore = ps === "refunded" && e.paymentId === "pi_1";
        if (keptBefore || returnedBefore) expect(d._tag).toBe("Unchanged");
        else expect(Number(paid) + owed).toBe(1);
        if (d._tag === "Apply") expect(PaymentOps.decide(d.transition.order, { ...event, eventId: "evt_again" }, now)._tag).toBe("Unchanged");
      }),
      { numRuns: 500 },
    );
  });

  it("changes nothing for a success on an order that is already paid or further along by that payment", () => {
    for (const status of ["paid", "packed", "shipped", "delivered"] as const) expect(PaymentOps.decide(order(status, payment("succeeded")), success(), now)._tag).toBe("Unchanged");
  });

  it("owes back a card success for an order already paid by hand (regression: a double payment was kept)", () => {
    const d = PaymentOps.decide(order("paid", payment("canceled")), success(), now);
    expect(d._tag === "Apply" && d.transition.order).toMatchObject({ status: "paid", payment: { status: "succeeded" }, refundsDue: [{ paymentId: "pi_1", reason: "paid_twice" }] });
    expect(d._tag === "Apply" && d.transition.events).toEqual([]);
  });

  it("owes back a success that comes after a cancellation, once; recording its refund gives one OrderPaymentRefunded", () => {
    const d = PaymentOps.decide(order("cancelled", payment("canceled")), success(), now);
    expect(d._tag).toBe("Apply");
    if (d._tag !== "Apply") return;
    expect(d.transition.order).toMatchObject({ status: "cancelled", payment: { status: "succeeded" }, refundsDue: [{ reason: "paid_after_cancel" }] });
    expect(d.transition.fromPayment).toBe("canceled");
    const t = PaymentOps.refunded(d.transition.order, d.transition.order.refundsDue![0]!, "re_1", now);
    expect(t.order).toMatchObject({ status: "cancelled", refundsDue: [], payment: { status: "refunded", refunds: [{ refundId: "re_1", reason: "paid_after_cancel" }] } });
    expect(t.events.map((e) => e.type)).toEqual(["OrderPaymentRefunded"]);
    expect(t.fromRevision).toBe(1);
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
