import { Effect, Option } from "effect";
import type { OrderId, Timestamp, UserId } from "../shared/ids.js";
import type { PageRequest } from "../shared/page.js";
import { Clock } from "../shared/ports.js";
import type { OrderStatus } from "./order.js";
import { type Actor, OrderOps } from "./lifecycle.js";
import type { Order } from "./order.js";
import { OrderNotFound } from "./errors.js";
import { OrderStore } from "./ports.js";
import { ManualPaymentDisabled, PaymentAlreadySucceeded } from "../payments/errors.js";
import { PaymentGateway, PaymentPolicy } from "../payments/ports.js";
import { settleRefundsNow } from "../payments/refunds.js";

/** An order as its customer or an admin sees it; anyone else gets OrderNotFound. */
export const getOrder = (actor: Actor, orderId: OrderId) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const found = yield* orders.get(orderId);
    if (Option.isNone(found)) return yield* new OrderNotFound({ orderId });
    return yield* OrderOps.visibleTo(found.value, actor);
  });

/**
 * Moves an order along its lifecycle; a cancellation returns its units to stock exactly once. Paid comes
 * from the payment provider: by hand only where the stack allows manual payments. Cancelling a paid order
 * commits the refund it owes with the cancellation; the refund is made after the commit (now, or by the
 * refund worker), so a cancellation that loses its race refunds nothing.
 */
export const advanceOrder = (actor: Actor, orderId: OrderId, to: OrderStatus) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const clock = yield* Clock;
    const policy = yield* PaymentPolicy;
    for (let attempt = 1; ; attempt++) {
      const order = yield* getOrder(actor, orderId);
      const now = yield* clock.now;
      let transition = yield* OrderOps.transition(order, to, actor, now);
      if (to === "paid") {
        if (!policy.manualPayments) return yield* new ManualPaymentDisabled({ orderId });
        transition = yield* paidByHand(order, now);
      }
      const stored = yield* Effect.either(orders.transition(transition));
      if (stored._tag === "Right") return yield* settleRefundsNow(stored.right);
      // Someone moved the order first: re-read, so the rules judge the status it has now.
      if (stored.left._tag === "OrderStatusConflict" && attempt < 3) continue;
      return yield* Effect.fail(stored.left);
    }
  });

/**
 * Paid by hand: an open card payment is cancelled at the provider first, so it cannot also take the money;
 * if it already succeeded, its webhook pays the order and the admin is told so. (A success that still
 * arrives for an order paid by hand is owed back: PaymentOps.decide.)
 */
const paidByHand = (order: Order, now: Timestamp) =>
  Effect.gen(function* () {
    const payment = order.payment;
    if (!payment || (payment.status !== "pending" && payment.status !== "failed")) return OrderOps.move(order, "paid", "admin", now);
    const gateway = yield* PaymentGateway;
    if ((yield* gateway.cancel(payment.paymentId)) === "succeeded") return yield* new PaymentAlreadySucceeded({ orderId: order.id, paymentId: payment.paymentId });
    return OrderOps.move(order, "paid", "admin", now, { ...payment, status: "canceled" as const });
  });

export const cancelOrder = (actor: Actor, orderId: OrderId) => advanceOrder(actor, orderId, "cancelled");

export const listMyOrders = (customerId: UserId, page: PageRequest) =>
  Effect.flatMap(OrderStore, (orders) => orders.listByCustomer(customerId, page));

export const listOrdersByStatus = (status: OrderStatus, page: PageRequest) =>
  Effect.flatMap(OrderStore, (orders) => orders.listByStatus(status, page));
