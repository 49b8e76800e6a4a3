import { Either, Option } from "effect";
import type { Money } from "../pricing/money.js";
import type { OrderId, Timestamp } from "../shared/ids.js";
import type { Order } from "../orders/order.js";
import { OrderOps, type OrderTransition, paymentStatusOf } from "../orders/lifecycle.js";
import { EventOps } from "../events/ops.js";
import { OrderNotPayable, PaymentAmountMismatch, PaymentNotOfOrder } from "./errors.js";
import type { Payment, PaymentEvent, PaymentEventRecord, PaymentProvider, PaymentSession, Refund } from "./payment.js";

/** What a verified provider event does to its order. */
export type PaymentDecision =
  /** Store this change (with the event's record, in one transaction). */
  | { readonly _tag: "Apply"; readonly transition: OrderTransition }
  /** Refund the payment at the provider (key from the order), then store what `after` makes of the refund. */
  | { readonly _tag: "Refund"; readonly paymentId: string; readonly amount: Money; readonly after: (refund: Refund) => OrderTransition }
  /** Nothing to change (already paid, a failure after success, a type we do not act on); recorded. */
  | { readonly _tag: "Unchanged"; readonly reason: string }
  /** Not this order's payment, or not its amount: recorded and refused. */
  | { readonly _tag: "Refused"; readonly error: PaymentNotOfOrder | PaymentAmountMismatch };

const sameMoney = (a: Money, b: Money) => a.amount === b.amount && a.currency === b.currency;
const show = (m: Money | undefined) => (m ? `${m.amount} ${m.currency}` : "none");

/** Keys the provider dedupes on: one payment and at most one refund per order, however often we ask. */
export const paymentKeyOf = (orderId: OrderId | string) => `cartwright-payment-${orderId}`;
export const refundKeyOf = (orderId: OrderId | string) => `cartwright-refund-${orderId}`;

/** A change of the payment alone (no status change, no event): guarded by the payment status read. */
const paymentOnly = (order: Order, payment: Payment, now: Timestamp): OrderTransition => ({
  order: { ...order, payment, updatedAt: now },
  from: order.status,
  restock: [],
  events: [],
  fromPayment: paymentStatusOf(order),
});

export const PaymentOps = {
  /** The payment a placed order gets when a client starts paying; a second start keeps the first. */
  attach: (order: Order, provider: PaymentProvider, session: PaymentSession, now: Timestamp): Either.Either<OrderTransition, OrderNotPayable> =>
    order.status !== "placed"
      ? Either.left(new OrderNotPayable({ orderId: order.id, status: order.status }))
      : Either.right(paymentOnly(order, { provider, paymentId: session.paymentId, amount: session.amount, status: "pending", refunds: [] }, now)),

  /**
   * The rules for a verified provider event: an order is paid only by a success for its payment with its
   * exact amount and currency; a success for an order already paid changes nothing; a success after the
   * order was cancelled is refunded once and the order stays cancelled; a failure is recorded while unpaid.
   */
  decide: (order: Order, event: PaymentEvent, now: Timestamp): PaymentDecision => {
    const ours = order.payment;
    if (event.kind === "other") return { _tag: "Unchanged", reason: `${event.type} is not acted on` };
    if (ours && event.paymentId !== ours.paymentId)
      return { _tag: "Refused", error: new PaymentNotOfOrder({ orderId: order.id, paymentId: event.paymentId ?? "none" }) };
    const paymentId = event.paymentId ?? "";
    if (event.kind === "failed") {
      if (order.status !== "placed" || ours?.status === "succeeded") return { _tag: "Unchanged", reason: "a failure after the order left placed" };
      const base: Payment = ours ?? { provider: event.provider, paymentId, amount: order.total, status: "pending", refunds: [] };
      return { _tag: "Apply", transition: paymentOnly(order, { ...base, status: "failed", ...(event.failure ? { failure: event.failure.slice(0, 500) } : {}) }, now) };
    }
    if (event.kind === "canceled") return { _tag: "Unchanged", reason: "cancellations come from the payment window, not from the provider" };
    // A success.
    const expected = ours?.amount ?? order.total;
    if (!event.amount || !sameMoney(event.amount, expected))
      return { _tag: "Refused", error: new PaymentAmountMismatch({ orderId: order.id, expected: show(expected), received: show(event.amount) }) };
    // A success clears an earlier decline's message.
    const { failure: _declined, ...paid } = ours ?? { provider: event.provider, paymentId, amount: expected, refunds: [] };
    const succeeded: Payment = { ...paid, status: "succeeded" };
    switch (order.status) {
      case "placed":
        return { _tag: "Apply", transition: OrderOps.move(order, "paid", "system", now, succeeded) };
      case "cancelled":
        if (ours?.status === "refunded" || (ours?.refunds.length ?? 0) > 0) return { _tag: "Unchanged", reason: "already refunded" };
        return {
          _tag: "Refund",
          paymentId,
          amount: expected,
          after: (refund) => PaymentOps.refunded(order, { ...succeeded, status: "refunded", refunds: [refund] }, now),
        };
      default:
        return { _tag: "Unchanged", reason: "already paid" };
    }
  },

  /** A cancelled order whose late payment was refunded: same status, one more history entry and event. */
  refunded: (order: Order, payment: Payment, now: Timestamp): OrderTransition => {
    const next: Order = { ...order, payment, updatedAt: now, history: [...order.history, { status: order.status, at: now, by: "system", change: "payment_refunded" }] };
    return { order: next, from: order.status, restock: [], events: [EventOps.ofOrder(next)], fromPayment: paymentStatusOf(order) };
  },

  /** An admin cancelling a paid order: the cancellation carries the refund already made at the provider. */
  withRefund: (transition: OrderTransition, refund: Refund): OrderTransition => {
    const payment = transition.order.payment;
    if (!payment) return transition;
    const order: Order = { ...transition.order, payment: { ...payment, status: "refunded", refunds: [...payment.refunds, refund] } };
    return { ...transition, order, events: [EventOps.ofOrder(order, transition.restock)] };
  },

  /** Whether cancelling this order must refund its payment first. */
  needsRefund: (order: Order): Option.Option<Payment> =>
    order.payment?.status === "succeeded" && order.payment.refunds.length === 0 ? Option.some(order.payment) : Option.none(),

  /** A placed order past its payment window: cancelled by the system, its units back, its payment cancelled. */
  expire: (order: Order, now: Timestamp, windowMs: number): Option.Option<OrderTransition> => {
    if (order.status !== "placed" || order.createdAt + windowMs > now) return Option.none();
    const payment = order.payment && order.payment.status !== "succeeded" ? { ...order.payment, status: "canceled" as const } : order.payment;
    return Option.some(OrderOps.move(order, "cancelled", "system", now, payment));
  },

  record: (event: PaymentEvent, outcome: PaymentEventRecord["outcome"], now: Timestamp, reason?: string): PaymentEventRecord => ({
    provider: event.provider,
    eventId: event.eventId,
    type: event.type,
    ...(event.orderId ? { orderId: event.orderId } : {}),
    outcome,
    ...(reason ? { reason } : {}),
    at: now,
  }),
};
