import { Effect, Option } from "effect";
import type { OrderId, UserId } from "../shared/ids.js";
import type { PageRequest } from "../shared/page.js";
import { Clock } from "../shared/ports.js";
import type { OrderStatus } from "./order.js";
import { type Actor, OrderOps } from "./lifecycle.js";
import { OrderNotFound } from "./errors.js";
import { OrderStore } from "./ports.js";

/** An order as its customer or an admin sees it; anyone else gets OrderNotFound. */
export const getOrder = (actor: Actor, orderId: OrderId) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const found = yield* orders.get(orderId);
    if (Option.isNone(found)) return yield* new OrderNotFound({ orderId });
    return yield* OrderOps.visibleTo(found.value, actor);
  });

/** Moves an order along its lifecycle; a cancellation returns its units to stock exactly once. */
export const advanceOrder = (actor: Actor, orderId: OrderId, to: OrderStatus) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const clock = yield* Clock;
    for (let attempt = 1; ; attempt++) {
      const order = yield* getOrder(actor, orderId);
      const transition = yield* OrderOps.transition(order, to, actor, yield* clock.now);
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
