import { Context, type Effect, type Option } from "effect";
import type { PaginationCursorInvalid, PersistenceUnavailable } from "../shared/errors.js";
import type { OrderId, Timestamp, UserId } from "../shared/ids.js";
import type { PaymentEventDuplicate } from "../payments/errors.js";
import type { Page, PageRequest } from "../shared/page.js";
import type { CheckoutPlan } from "../checkout/checkout.js";
import type { CheckoutCartChanged } from "../checkout/errors.js";
import type { IdempotencyKeyTaken } from "../idempotency/errors.js";
import type { InventoryInsufficientStock, InventoryStockOutOfRange } from "../inventory/errors.js";
import type { Order, OrderStatus } from "./order.js";
import type { OrderTransition } from "./lifecycle.js";
import type { OrderNotFound, OrderStatusConflict } from "./errors.js";

export interface OrderStoreShape {
  /**
   * Commits a checkout as one atomic unit (see CheckoutPlan): a hold that is not the one read
   * fails with CheckoutCartChanged; an idempotency record that names an order, or binds the key to
   * another cart, with IdempotencyKeyTaken.
   */
  readonly commitCheckout: (
    plan: CheckoutPlan,
  ) => Effect.Effect<Order, CheckoutCartChanged | IdempotencyKeyTaken | InventoryInsufficientStock | PersistenceUnavailable>;
  readonly get: (id: OrderId) => Effect.Effect<Option.Option<Order>, PersistenceUnavailable>;
  /** A customer's orders, newest first. */
  readonly listByCustomer: (
    customerId: UserId,
    page: PageRequest,
  ) => Effect.Effect<Page<Order>, PaginationCursorInvalid | PersistenceUnavailable>;
  /** Orders in one status, newest first (admin). */
  readonly listByStatus: (
    status: OrderStatus,
    page: PageRequest,
  ) => Effect.Effect<Page<Order>, PaginationCursorInvalid | PersistenceUnavailable>;
  /**
   * Stores the new status and returns units to stock atomically, only if the status is still `from`
   * (and the payment's status still `fromPayment`, and its revision still `fromRevision`, when given), recording `paymentEvent` with it (a
   * second record of one provider event fails with PaymentEventDuplicate);
   * a restock that would take a product above maxStock fails with InventoryStockOutOfRange.
   */
  readonly transition: (
    t: OrderTransition,
  ) => Effect.Effect<Order, OrderNotFound | OrderStatusConflict | PaymentEventDuplicate | InventoryStockOutOfRange | PersistenceUnavailable>;
  /** Orders that owe a refund (refundsDue not empty), longest owed first, at most `limit` (the refund worker). */
  readonly listRefundsDue: (limit: number) => Effect.Effect<ReadonlyArray<Order>, PersistenceUnavailable>;
  /** Placed orders created before `before`, oldest first, at most `limit` (the payment window's sweep). */
  readonly listPlacedBefore: (before: Timestamp, limit: number) => Effect.Effect<ReadonlyArray<Order>, PersistenceUnavailable>;
}
export class OrderStore extends Context.Tag("cartwright/OrderStore")<OrderStore, OrderStoreShape>() {}
