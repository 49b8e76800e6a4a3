import { Either, Option } from "effect";
import type { Money } from "../pricing/money.js";
import type { OrderId, Timestamp } from "../shared/ids.js";
import type { Order } from "../orders/order.js";
import { OrderOps, type OrderTransition, paymentStatusOf, revised, revisionOf } from "../orders/lifecycle.js";
import { EventOps } from "../events/ops.js";
import { OrderNotPayable } from "./errors.js";
import type { Payment, PaymentEvent, PaymentEventRecord, PaymentProvider, PaymentSession, Refund, RefundDue } from "./payment.js";

/** What a verified provider event does to its order. */
export type PaymentDecision =
  /** Store this change (with the event's record, in one transaction). */
  | { readonly _tag: "Apply"; readonly transition: OrderTransition }
  /** Nothing to change (already paid by this payment, a failure after success, a type we do not act on); recorded. */
  | { readonly _tag: "Unchanged"; readonly reason: string };

const sameMoney = (a: Money, b: Money) => a.amount === b.amount && a.currency === b.currency;

/** Keys the provider dedupes on: one payment per order and at most one refund per payment, however often we ask. */
export const paymentKeyOf = (orderId: OrderId | string) => `cartwright-payment-${orderId}`;
export const refundKeyOf = (paymentId: string) => `cartwright-refund-${paymentId}`;

/** A change of the payment alone (no status change, no event): guarded by the payment status read. */
const paymentOnly = (order: Order, payment: Payment, now: Timestamp): OrderTransition => ({
  order: revised(order, { payment, updatedAt: now }),
  from: order.status,
  restock: [],
  events: [],
  fromPayment: paymentStatusOf(order),
  fromRevision: revisionOf(order),
});

/** Whether this payment's money is already owed back or returned (a second success of it changes nothing). */
const alreadyOwedOrReturned = (order: Order, paymentId: string): boolean =>
  (order.refundsDue ?? []).some((d) => d.paymentId === paymentId) ||
  (order.otherRefunds ?? []).some((r) => r.paymentId === paymentId) ||
  (order.payment?.paymentId === paymentId && (order.payment.status === "refunded" || order.payment.refunds.length > 0));

/** Money received that the order does not keep: owed back, committed with the event's record (no status change, no event). */
const owe = (order: Order, due: RefundDue, payment: Payment | undefined = order.payment): OrderTransition => {
  const refundsDue = [...(order.refundsDue ?? []), due];
  const next = revised(order, { updatedAt: due.since, refundsDue, ...(payment ? { payment } : {}) });
  return { order: next, from: order.status, restock: [], events: [], fromPayment: paymentStatusOf(order), fromRevision: revisionOf(order) };
};

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
    const paymentId = event.paymentId ?? "";
    const foreign = ours !== undefined && paymentId !== ours.paymentId;
    if (event.kind === "failed") {
      if (foreign || order.status !== "placed" || ours?.status === "succeeded") return { _tag: "Unchanged", reason: "a failure of no payment the order waits for" };
      const base: Payment = ours ?? { provider: event.provider, paymentId, amount: order.total, status: "pending", refunds: [] };
      return { _tag: "Apply", transition: paymentOnly(order, { ...base, status: "failed", ...(event.failure ? { failure: event.failure.slice(0, 500) } : {}) }, now) };
    }
    if (event.kind === "canceled") return { _tag: "Unchanged", reason: "cancellations come from the payment window, not from the provider" };
    // A success: it pays the order, or its money is owed back once. Nothing received is kept unpaid-for.
    if (alreadyOwedOrReturned(order, paymentId)) return { _tag: "Unchanged", reason: "already owed back or refunded" };
    if (!foreign && ours?.status === "succeeded" && order.status !== "cancelled") return { _tag: "Unchanged", reason: "already paid by this payment" };
    const received: Money = event.amount ?? order.total;
    const due = (reason: RefundDue["reason"]): RefundDue => ({ provider: event.provider, paymentId, amount: received, reason, since: now });
    const expected = ours?.amount ?? order.total;
    if (foreign || !event.amount || !sameMoney(event.amount, expected)) return { _tag: "Apply", transition: owe(order, due("not_order_payment")) };
    // A success clears an earlier decline's message.
    const { failure: _declined, ...paid } = ours ?? { provider: event.provider, paymentId, amount: expected, refunds: [] };
    const succeeded: Payment = { ...paid, status: "succeeded" };
    if (order.status === "placed") return { _tag: "Apply", transition: OrderOps.move(order, "paid", "system", now, succeeded) };
    // Cancelled meanwhile, or paid by other means (by hand): this money goes back.
    return { _tag: "Apply", transition: owe(order, due(order.status === "cancelled" ? "paid_after_cancel" : "paid_twice"), succeeded) };
  },

  /** The refunds an order owes, oldest first. */
  refundsDue: (order: Order): ReadonlyArray<RefundDue> => order.refundsDue ?? [],

  /** Whether the order gives this payment's money back (owed or refunded): it does not pay the order. */
  givesBack: (order: Order, paymentId: string): boolean => alreadyOwedOrReturned(order, paymentId),

  /**
   * The refund made for `due`, recorded: the order's own payment becomes refunded, another payment's refund is
   * kept beside it; one history entry and OrderPaymentRefunded. Guarded by the revision read, so two workers
   * that made the same refund (one key per payment) record it once.
   */
  refunded: (order: Order, due: RefundDue, refundId: string, now: Timestamp): OrderTransition => {
    const refund: Refund = { refundId, paymentId: due.paymentId, amount: due.amount, reason: due.reason, at: now };
    const own = order.payment?.paymentId === due.paymentId;
    const refundsDue = (order.refundsDue ?? []).filter((d) => d.paymentId !== due.paymentId);
    const next = revised(order, {
      updatedAt: now,
      history: [...order.history, { status: order.status, at: now, by: "system", change: "payment_refunded" }],
      refundsDue,
      ...(own && order.payment ? { payment: { ...order.payment, status: "refunded" as const, refunds: [...order.payment.refunds, refund] } } : {}),
      ...(!own ? { otherRefunds: [...(order.otherRefunds ?? []), refund] } : {}),
    });
    return { order: next, from: order.status, restock: [], events: [EventOps.ofOrder(next, [], refund)], fromPayment: paymentStatusOf(order), fromRevision: revisionOf(order) };
  },

  /** A placed order past its payment window: cancelled by the system, its units back, its payment cancelled. */
  expire: (order: Order, now: Timestamp, windowMs: number): Option.Option<OrderTransition> => {
    if (order.status !== "placed" || order.createdAt + windowMs > now) return Option.none();
    const open = order.payment?.status === "pending" || order.payment?.status === "failed";
    const payment = order.payment && open ? { ...order.payment, status: "canceled" as const } : order.payment;
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
