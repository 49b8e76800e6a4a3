import { Schema } from "effect";
import { IsoTimestamp, OrderId, ProductId, UserId } from "../shared/ids.js";
import { Money } from "../pricing/money.js";
import { OrderLine, OrderStatus } from "../orders/order.js";
import { ProductName } from "../inventory/product.js";
import { RefundReason } from "../payments/payment.js";
import { ProductImage, RejectionReason, UploadId } from "../images/image.js";

/**
 * What Cartwright publishes, one Schema per event type. Each event is self-contained (a consumer never
 * reads the table) and versioned: a consumer reads `type` and `version` first. Order events carry the
 * order's `sequence` (1, 2, 3… in commit order): ordering holds per order, not across orders.
 */
const envelope = {
  /** Unique; an order event's is `<orderId>:<sequence>`, so a redelivery has the same id. */
  eventId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(160)),
  version: Schema.Literal(1),
  occurredAt: IsoTimestamp,
};

/** The order as it stands after the change. */
export const OrderSnapshot = Schema.Struct({
  status: OrderStatus,
  lines: Schema.Array(OrderLine),
  subtotal: Money,
  total: Money,
  placedAt: IsoTimestamp,
});
export type OrderSnapshot = typeof OrderSnapshot.Type;

const orderEvent = <T extends string, F extends Schema.Struct.Fields = {}>(type: T, fields?: F) =>
  Schema.Struct({
    type: Schema.Literal(type),
    ...envelope,
    orderId: OrderId,
    customerId: UserId,
    sequence: Schema.Int.pipe(Schema.positive()),
    order: OrderSnapshot,
    ...((fields ?? {}) as F),
  });

export const OrderPlaced = orderEvent("OrderPlaced");
export const OrderPaid = orderEvent("OrderPaid");
export const OrderPacked = orderEvent("OrderPacked");
export const OrderShipped = orderEvent("OrderShipped");
export const OrderDelivered = orderEvent("OrderDelivered");

/** A refund made at the provider: its id, the payment it returns, the amount and why. */
export const RefundInfo = Schema.Struct({ refundId: Schema.String, paymentId: Schema.optional(Schema.String), amount: Money, reason: Schema.optional(RefundReason) });

/** A refund the cancellation owes: committed with it, then made by the refund worker (OrderPaymentRefunded follows). */
export const RefundDueInfo = Schema.Struct({ paymentId: Schema.String, amount: Money });

/** Who cancelled: the customer, an admin, or the sweeper because the order was not paid in time. */
export const CancelReason = Schema.Literal("customer", "admin", "unpaid");
export const OrderCancelled = orderEvent("OrderCancelled", {
  reason: CancelReason,
  /** What went back to stock. */
  returned: Schema.Array(Schema.Struct({ productId: ProductId, quantity: Schema.Int.pipe(Schema.positive()) })),
  /** The refund owed, when a paid order was cancelled; OrderPaymentRefunded says when it is made. */
  refundDue: Schema.optional(RefundDueInfo),
  /** Set only by events written before refunds followed their cancellation's commit (now: refundDue). */
  refund: Schema.optional(RefundInfo),
  /** The order's status before the cancellation: which partners had been told of it. */
  previousStatus: Schema.optional(OrderStatus),
});

/** Money the order does not keep went back: a cancelled paid order, a payment after cancellation, a second payment. */
export const OrderPaymentRefunded = orderEvent("OrderPaymentRefunded", { refund: RefundInfo });

/** Products whose available units fell below their threshold with this change (one event per change). */
export const StockLow = Schema.Struct({
  type: Schema.Literal("StockLow"),
  ...envelope,
  products: Schema.NonEmptyArray(
    Schema.Struct({ productId: ProductId, name: ProductName, available: Schema.Int, threshold: Schema.Int.pipe(Schema.nonNegative()) }),
  ),
});

/** An uploaded file passed validation and was attached to its product (the image as the product now shows it). */
export const ProductImageAdded = Schema.Struct({ type: Schema.Literal("ProductImageAdded"), ...envelope, productId: ProductId, uploadId: UploadId, image: ProductImage });
/** An uploaded file was refused and deleted; its intent records why. */
export const ProductImageRejected = Schema.Struct({ type: Schema.Literal("ProductImageRejected"), ...envelope, productId: ProductId, uploadId: UploadId, reason: RejectionReason });
export const CatalogEvent = Schema.Union(StockLow, ProductImageAdded, ProductImageRejected);
export type CatalogEvent = typeof CatalogEvent.Type;

export const OrderEvent = Schema.Union(OrderPlaced, OrderPaid, OrderPacked, OrderShipped, OrderDelivered, OrderCancelled, OrderPaymentRefunded);
export type OrderEvent = typeof OrderEvent.Type;

export const DomainEvent = Schema.Union(OrderEvent, CatalogEvent);
export type DomainEvent = typeof DomainEvent.Type;
export type DomainEventType = DomainEvent["type"];

export const domainEventTypes: ReadonlyArray<DomainEventType> = [
  "OrderPlaced",
  "OrderPaid",
  "OrderPacked",
  "OrderShipped",
  "OrderDelivered",
  "OrderCancelled",
  "OrderPaymentRefunded",
  "StockLow",
  "ProductImageAdded",
  "ProductImageRejected",
];

/** Order events carry an order and its sequence; the others (catalog events) stand alone. */
export const isOrderEvent = (event: DomainEvent): event is OrderEvent => "orderId" in event;

/** The bus `source` of an event: orders, or inventory. */
export const eventSource = (event: DomainEvent): "cartwright.orders" | "cartwright.inventory" =>
  isOrderEvent(event) ? "cartwright.orders" : "cartwright.inventory";
