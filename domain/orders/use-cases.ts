import { Effect, Option } from "effect";
import type { OrderId, UserId } from "../shared/ids.js";
import type { PageRequest } from "../shared/page.js";
import { Clock } from "../shared/ports.js";
import type { OrderStatus } from "./order.js";
import { type Actor, OrderOps } from "./lifecycle.js";
import { OrderNotFound } from "./errors.js";
import { OrderStore } from "./ports.js";
import { ManualPaymentDisabled } from "../payments/errors.js";
import { PaymentOps, refundKeyOf } from "../payments/ops.js";
import { PaymentGateway, PaymentPolicy } from "../payments/ports.js";

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
 * refunds it first, under a key derived from the order, so two cancellations never refund twice.
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
      if (to === "paid" && !policy.manualPayments) return yield* new ManualPaymentDisabled({ orderId });
      const paid = to === "cancelled" ? PaymentOps.needsRefund(order) : Option.none();
      if (Option.isSome(paid)) {
        const gateway = yield* PaymentGateway;
        const { refundId } = yield* gateway.refund({ paymentId: paid.value.paymentId, amount: paid.value.amount, idempotencyKey: refundKeyOf(order.id) });
        transition = PaymentOps.withRefund(transition, { refundId, amount: paid.value.amount, reason: "cancelled_by_admin", at: now });
      }
      const stored = yield* Effect.either(orders.transition(transition));
      if (stored._tag === "Right") return stored.right;
      // Someone moved the order first: re-read, so the rules judge the status it has now.
      if (stored.left._tag === "OrderStatusConflict" && attempt < 3) continue;
      return yield* Effect.fail(stored.left);
    }
  });

export const cancelOrder = (actor: Actor, orderId: OrderId) => advanceOrder(actor, orderId, "cancelled");

export const listMyOrders = (customerId: UserId, page: PageRequest) =>
  Effect.flatMap(OrderStore, (orders) => orders.listByCustomer(customerId, page));

export const listOrdersByStatus = (status: OrderStatus, page: PageRequest) =>
  Effect.flatMap(OrderStore, (orders) => orders.listByStatus(status, page));
