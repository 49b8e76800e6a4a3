import { Either } from "effect";
import type { ProductId, Timestamp, UserId } from "../shared/ids.js";
import type { ChangedBy, Order, OrderStatus, Role } from "./order.js";
import { OrderNotFound, OrderTransitionForbidden, OrderTransitionNotAllowed } from "./errors.js";
import type { DomainEvent } from "../events/events.js";
import { EventOps } from "../events/ops.js";
import type { PaymentEventRecord, PaymentStatus } from "../payments/payment.js";

export interface Actor {
  readonly userId: UserId;
  readonly role: Role;
}

/** placed → paid → packed → shipped → delivered; placed|paid → cancelled. */
export const nextStatuses: Readonly<Record<OrderStatus, ReadonlyArray<OrderStatus>>> = {
  placed: ["paid", "cancelled"],
  paid: ["packed", "cancelled"],
  packed: ["shipped"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

/** A transition ready to be stored: applied only if the stored status is still `from`. */
export interface OrderTransition {
  readonly order: Order;
  readonly from: OrderStatus;
  /** Units going back to stock (a cancellation); empty otherwise. */
  readonly restock: ReadonlyArray<{ readonly productId: ProductId; readonly quantity: number }>;
  /** The status change's event, written to the outbox in the same transaction. */
  readonly events: ReadonlyArray<DomainEvent>;
  /** When set, applied only if the stored payment's status is still this ("none": no payment yet). */
  readonly fromPayment?: PaymentStatus | "none";
  /** The provider event this change applies, recorded in the same transaction (a second one is refused). */
  readonly paymentEvent?: PaymentEventRecord;
  /** When set, applied only if the stored order's revision is still this (nothing at all changed since the read). */
  readonly fromRevision?: number;
}

/** The revision an order read has (absent on orders stored before revisions: 0). */
export const revisionOf = (order: Order): number => order.revision ?? 0;

/** The order as the next stored change makes it: one revision later. */
export const revised = (order: Order, changes: Partial<Order>): Order => ({ ...order, ...changes, revision: revisionOf(order) + 1 });

/** The stored payment's status, as a transition's guard reads it. */
export const paymentStatusOf = (order: Order): PaymentStatus | "none" => order.payment?.status ?? "none";

const mayTrigger = (actor: Actor, order: Order, to: OrderStatus): boolean =>
  actor.role === "admin" || (to === "cancelled" && order.status === "placed");

export const OrderOps = {
  /** Who may see an order: its customer and admins; anyone else is told it does not exist. */
  visibleTo: (order: Order, actor: Actor): Either.Either<Order, OrderNotFound> =>
    actor.role === "admin" || order.customerId === actor.userId ? Either.right(order) : Either.left(new OrderNotFound({ orderId: order.id })),

  transition: (order: Order, to: OrderStatus, actor: Actor, now: Timestamp) =>
    Either.gen(function* () {
      yield* OrderOps.visibleTo(order, actor);
      if (!nextStatuses[order.status].includes(to))
        return yield* Either.left(new OrderTransitionNotAllowed({ orderId: order.id, from: order.status, to }));
      if (!mayTrigger(actor, order, to))
        return yield* Either.left(new OrderTransitionForbidden({ orderId: order.id, role: actor.role, to }));
      return OrderOps.move(order, to, actor.role, now);
    }),

  /** The transition to `to` as `by` makes it (the rules checked by the caller); a cancellation restocks every line. */
  move: (order: Order, to: OrderStatus, by: ChangedBy, now: Timestamp, payment: Order["payment"] = order.payment): OrderTransition => {
    // A cancellation owes back a payment that succeeded, in the same commit; the refund worker makes it.
    const owed = to === "cancelled" && payment?.status === "succeeded" && !order.refundsDue?.some((d) => d.paymentId === payment.paymentId);
    const refundsDue = owed ? [...(order.refundsDue ?? []), { provider: payment.provider, paymentId: payment.paymentId, amount: payment.amount, reason: "cancelled_by_admin" as const, since: now }] : order.refundsDue;
    const next: Order = revised(order, {
      status: to,
      updatedAt: now,
      history: [...order.history, { status: to, at: now, by }],
      ...(payment ? { payment } : {}),
      ...(refundsDue ? { refundsDue } : {}),
    });
    const restock = to === "cancelled" ? order.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) : [];
    // Guarded by the revision read: a change that moves neither status (a debt owed back, a refund recorded) is never overwritten.
    return { order: next, from: order.status, restock, events: [EventOps.ofOrder(next, restock)], fromPayment: paymentStatusOf(order), fromRevision: revisionOf(order) };
  },
};
