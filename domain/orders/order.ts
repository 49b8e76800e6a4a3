import { Schema } from "effect";
import { IdempotencyKey, OrderId, ProductId, Quantity, Timestamp, UserId } from "../shared/ids.js";
import { Money } from "../pricing/money.js";
import { ProductName } from "../inventory/product.js";

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

/** One status change in an order's history (the domain events published for it are in events/). */
export const OrderHistoryEntry = Schema.Struct({ status: OrderStatus, at: Timestamp, by: Role });

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
});
export type Order = typeof Order.Type;
