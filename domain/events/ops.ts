import type { Timestamp } from "../shared/ids.js";
import type { ChangedBy, Order, OrderStatus } from "../orders/order.js";
import type { Refund } from "../payments/payment.js";
import { InventoryOps, type Product } from "../inventory/product.js";
import type { DomainEvent, OrderEvent, OrderSnapshot, StockLow } from "./events.js";

type LowProduct = (typeof StockLow.Type)["products"][number];

const typeOf = {
  placed: "OrderPlaced",
  paid: "OrderPaid",
  packed: "OrderPacked",
  shipped: "OrderShipped",
  delivered: "OrderDelivered",
  cancelled: "OrderCancelled",
} as const satisfies Record<OrderStatus, OrderEvent["type"]>;

// Only the sweeper cancels as the system: the order was not paid within the payment window.
const reasonOf = (by: ChangedBy | undefined) => (by === "system" ? "unpaid" : (by ?? "admin"));

const snapshot = (o: Order): OrderSnapshot => ({ status: o.status, lines: o.lines, subtotal: o.subtotal, total: o.total, placedAt: o.createdAt });

/** Below this many available units a product is low, unless it sets its own threshold. */
export const defaultLowStockThreshold = 5;

export const thresholdOf = (p: Product): number => p.lowStockThreshold ?? defaultLowStockThreshold;

export const EventOps = {
  /**
   * The event of an order's latest status change. Its sequence is the length of the order's history:
   * a change is stored only from the status it was computed from, so sequences follow commit order.
   */
  ofOrder: (
    order: Order,
    returned: ReadonlyArray<{ readonly productId: Order["lines"][number]["productId"]; readonly quantity: number }> = [],
    refund?: Refund,
  ): OrderEvent => {
    const sequence = order.history.length;
    const last = order.history[sequence - 1];
    const common = {
      eventId: `${order.id}:${sequence}`,
      version: 1 as const,
      occurredAt: order.updatedAt,
      orderId: order.id,
      customerId: order.customerId,
      sequence,
      order: snapshot(order),
    };
    const made = refund ?? order.payment?.refunds.at(-1);
    if (last?.change === "payment_refunded" && made)
      return { ...common, type: "OrderPaymentRefunded", refund: { refundId: made.refundId, paymentId: made.paymentId ?? order.payment?.paymentId, amount: made.amount, reason: made.reason } };
    const type = typeOf[order.status];
    const due = order.refundsDue?.find((d) => d.paymentId === order.payment?.paymentId && d.reason === "cancelled_by_admin");
    const previousStatus = order.history[sequence - 2]?.status;
    if (type === "OrderCancelled")
      return {
        ...common,
        type,
        reason: reasonOf(last?.by),
        returned,
        ...(due ? { refundDue: { paymentId: due.paymentId, amount: due.amount } } : {}),
        ...(previousStatus ? { previousStatus } : {}),
      };
    return { ...common, type };
  },

  /** The products a change took from at or above their threshold to below it. */
  fellLow: (changes: ReadonlyArray<{ readonly before: Product; readonly after: Product }>): Array<LowProduct> =>
    changes
      .filter(({ before, after }) => InventoryOps.available(before) >= thresholdOf(before) && InventoryOps.available(after) < thresholdOf(after))
      .map(({ after }) => ({ productId: after.id, name: after.name, available: InventoryOps.available(after), threshold: thresholdOf(after) })),

  stockLow: (eventId: string, now: Timestamp, products: readonly [LowProduct, ...Array<LowProduct>]): DomainEvent => ({
    type: "StockLow",
    eventId,
    version: 1,
    occurredAt: now,
    products,
  }),
};
