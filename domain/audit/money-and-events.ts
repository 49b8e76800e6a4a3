/** The audit's rules for money and events: what an order received, kept, owes and published. */
import { type DomainEvent, type OrderEvent, isOrderEvent } from "../events/events.js";
import type { Order, OrderHistoryEntry } from "../orders/order.js";

export type MoneyEventRule = "refund-recorded" | "refund-overdue" | "refund-within-received" | "paid-has-payment" | "events-match-history" | "cancelled-once";

export interface MoneyEventOptions {
  readonly now: number;
  /** How long a committed refund may stay owed before it is a violation (the refund worker runs every sweep). */
  readonly refundGraceMs: number;
  /** Orders older than this may have lost events to the outbox's TTL: their events are not checked. */
  readonly eventRetentionMs?: number | undefined;
}

type Report = (rule: MoneyEventRule, subject: string, detail: string) => void;

const eventTypeOf = (entry: OrderHistoryEntry): OrderEvent["type"] =>
  entry.change === "payment_refunded"
    ? "OrderPaymentRefunded"
    : (({ placed: "OrderPlaced", paid: "OrderPaid", packed: "OrderPacked", shipped: "OrderShipped", delivered: "OrderDelivered", cancelled: "OrderCancelled" }) as const)[entry.status];

const owes = (order: Order, paymentId: string) => (order.refundsDue ?? []).some((d) => d.paymentId === paymentId);
const paidByHand = (order: Order) => order.history.some((h) => h.status === "paid" && h.by === "admin" && h.change === undefined);

const checkMoney = (order: Order, o: MoneyEventOptions, v: Report) => {
  const subject = `order ${order.id}`;
  const payment = order.payment;
  // Money received and not kept is owed back (committed) or refunded: a cancelled order, or a card payment beside a mark by hand.
  if (payment?.status === "succeeded" && !owes(order, payment.paymentId)) {
    if (order.status === "cancelled") v("refund-recorded", subject, `cancelled, its payment ${payment.paymentId} succeeded and is neither refunded nor owed`);
    else if (paidByHand(order)) v("refund-recorded", subject, `paid by hand and by payment ${payment.paymentId}, which is neither refunded nor owed`);
  }
  for (const due of order.refundsDue ?? [])
    if (due.since + o.refundGraceMs < o.now) v("refund-overdue", subject, `refund of ${due.paymentId} owed since ${new Date(due.since).toISOString()}`);
  const refunds = [...(payment?.refunds ?? []).map((r) => ({ ...r, paymentId: r.paymentId ?? payment!.paymentId })), ...(order.otherRefunds ?? [])];
  const perPayment = new Map<string, number>();
  for (const r of refunds) perPayment.set(r.paymentId ?? "", (perPayment.get(r.paymentId ?? "") ?? 0) + 1);
  for (const [paymentId, count] of perPayment) if (count > 1) v("refund-within-received", subject, `payment ${paymentId} refunded ${count} times`);
  // A success of another amount (not_order_payment) is refunded as received, which the stored payment does not say.
  const ownRefunded = refunds.filter((r) => r.paymentId === payment?.paymentId && r.reason !== "not_order_payment").reduce((sum, r) => sum + r.amount.amount, 0);
  if (payment && ownRefunded > payment.amount.amount) v("refund-within-received", subject, `refunded ${ownRefunded}, received ${payment.amount.amount}`);
  const paidStatus = order.status === "paid" || order.status === "packed" || order.status === "shipped" || order.status === "delivered";
  const paidByCard = payment?.status === "succeeded" && !owes(order, payment.paymentId);
  if (paidStatus && !paidByCard && !paidByHand(order)) v("paid-has-payment", subject, `${order.status} with payment ${payment?.status ?? "none"} and no mark by hand`);
};

const checkEvents = (order: Order, events: ReadonlyArray<OrderEvent>, v: Report) => {
  const subject = `order ${order.id}`;
  const sorted = [...events].sort((a, b) => a.sequence - b.sequence);
  const found = sorted.map((e) => `${e.sequence}:${e.type}`).join(", ");
  const expected = order.history.map((h, i) => `${i + 1}:${eventTypeOf(h)}`).join(", ");
  if (found !== expected) v("events-match-history", subject, `history [${expected}], events [${found}]`);
  const cancellations = sorted.filter((e) => e.type === "OrderCancelled");
  for (const c of cancellations) {
    const returned = c.returned.map((r) => `${r.productId}×${r.quantity}`).sort().join(" ");
    const lines = order.lines.map((l) => `${l.productId}×${l.quantity}`).sort().join(" ");
    if (returned !== lines) v("cancelled-once", subject, `cancellation returned [${returned}], lines are [${lines}]`);
  }
  if (cancellations.length > 1) v("cancelled-once", subject, `${cancellations.length} OrderCancelled events`);
};

/** Money and event rules over every order; events are checked where the snapshot has them. */
export const auditMoneyAndEvents = (orders: ReadonlyArray<Order>, events: ReadonlyArray<DomainEvent> | undefined, o: MoneyEventOptions, v: Report) => {
  const byOrder = new Map<string, Array<OrderEvent>>();
  for (const e of events ?? []) if (isOrderEvent(e)) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e]);
  for (const order of orders) {
    checkMoney(order, o, v);
    const cancelled = order.history.filter((h) => h.status === "cancelled" && h.change === undefined).length;
    if (cancelled > (order.status === "cancelled" ? 1 : 0) || (order.status === "cancelled" && cancelled === 0))
      v("cancelled-once", `order ${order.id}`, `${cancelled} cancellations in its history`);
    const retained = o.eventRetentionMs === undefined || order.createdAt + o.eventRetentionMs > o.now;
    if (events !== undefined && retained) checkEvents(order, byOrder.get(order.id) ?? [], v);
  }
};
