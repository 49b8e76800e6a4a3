import { Schema } from "effect";
import { IdempotencyKey, OrderId, ProductId, Quantity, Timestamp, UserId } from "../shared/ids.js";
import { Money } from "../pricing/money.js";
import { ProductName } from "../inventory/product.js";
import { Payment, Refund, RefundDue } from "../payments/payment.js";

export const OrderStatus = Schema.Literal("placed", "paid", "packed", "shipped", "delivered", "cancelled");
export type OrderStatus = typeof OrderStatus.Type;

export const OrderLine = Schema.Struct({
  productId: ProductId,
  name: ProductName,
  quantity: Quantity,
  /** The hold's snapshot: the price the buyer saw. */
  unitPrice: Money,
  lineTotal: Money,
});
export type OrderLine = typeof OrderLine.Type;

export const Role = Schema.Literal("customer", "admin");
export type Role = typeof Role.Type;

/** Who made a change: the customer, an admin, or the system (the payment provider's events, the sweeper). */
export const ChangedBy = Schema.Literal("customer", "admin", "system");
export type ChangedBy = typeof ChangedBy.Type;

/**
 * One change in an order's history: a status change, or (same status) a payment refunded. Each entry is
 * one published event (events/); its position is the event's sequence.
 */
export const OrderHistoryEntry = Schema.Struct({
  status: OrderStatus,
  at: Timestamp,
  by: ChangedBy,
  change: Schema.optional(Schema.Literal("payment_refunded")),
});
export type OrderHistoryEntry = typeof OrderHistoryEntry.Type;

export const Order = Schema.Struct({
  id: OrderId,
  customerId: UserId,
  status: OrderStatus,
  lines: Schema.Array(OrderLine),
  subtotal: Money,
  /** Equal to the subtotal: no tax, shipping or discounts yet. */
  total: Money,
  idempotencyKey: IdempotencyKey,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  history: Schema.Array(OrderHistoryEntry),
  /** Set once a payment is started for the order (POST /api/orders/:id/payment). */
  payment: Schema.optional(Payment),
  /** Refunds owed and not yet made (the refund worker's queue); absent when none. */
  refundsDue: Schema.optional(Schema.Array(RefundDue)),
  /** Refunds of payments that were not the order's own (a second payment, a stray success). */
  otherRefunds: Schema.optional(Schema.Array(Refund)),
  /** Bumped by every stored change; a transition may be guarded on the one it read (absent: 0). */
  revision: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
});
export type Order = typeof Order.Type;
