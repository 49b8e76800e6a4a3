/** What the API sends: wire schemas (ISO timestamps, no internals) and the mapping from domain values to them. */
import { Either, Schema } from "effect";
import {
  Category,
  ChangedBy,
  PaymentProvider,
  PaymentStatus,
  IsoTimestamp,
  type Cart,
  CartOps,
  Email,
  InventoryOps,
  lineStatus,
  Money,
  OrderId,
  OrderLine,
  OrderStatus,
  ProductId,
  ProductName,
  type Product,
  Quantity,
  Role,
  Timestamp,
  UnitPrice,
  UserId,
  type Currency,
  defaultLowStockThreshold,
  thresholdOf,
} from "../../domain/index.js";

import { ImageView } from "./image-views.js";

export const Page = <A, I>(item: Schema.Schema<A, I>) => Schema.Struct({ items: Schema.Array(item), nextCursor: Schema.NullOr(Schema.String) });

export const UserView = Schema.Struct({ id: UserId, email: Email, name: Schema.String, role: Role, createdAt: IsoTimestamp }).annotations({ identifier: "User" });
export const AuthView = Schema.Struct({ user: UserView, token: Schema.String }).annotations({ identifier: "Auth" });

export const ProductView = Schema.Struct({
  id: ProductId,
  name: ProductName,
  category: Category,
  description: Schema.String,
  price: UnitPrice,
  /** Units a buyer can still put in a cart. */
  available: Schema.Int,
  /** The most units one customer may hold at once, when the product sets its own limit. */
  maxPerCustomer: Schema.optional(Schema.Int),
  /** The product's images in order, the first being the cover (storefront routes). */
  images: Schema.optional(Schema.Array(ImageView)),
}).annotations({ identifier: "Product" });
export const AdminProductView = Schema.Struct({
  ...ProductView.fields,
  stock: Schema.Int.annotations({ description: "Units on hand" }),
  reserved: Schema.Int.annotations({ description: "Units held by carts' unreleased holds (available = stock - reserved)" }),
  lowStockThreshold: Schema.optional(Schema.Int).annotations({
    description: `The product is low when fewer units than this are available (absent: ${defaultLowStockThreshold}); a change that takes it below publishes a StockLow event`,
  }),
  lowStock: Schema.Boolean.annotations({ description: "available < lowStockThreshold" }),
  archived: Schema.Boolean.annotations({ description: "Out of the catalog and closed to new holds; existing holds and orders keep it" }),
  archivedAt: Schema.optional(IsoTimestamp),
}).annotations({ identifier: "AdminProduct" });

export const productView = (p: Product) => ({ ...p, available: InventoryOps.available(p) });
export const adminProductView = (p: Product) => ({ ...productView(p), lowStock: InventoryOps.available(p) < thresholdOf(p), archived: !InventoryOps.listed(p) });

export const CategoryView = Schema.Struct({
  category: Category,
  products: Schema.Int.annotations({ description: "Listed (not archived) products in the category, whatever their stock" }),
}).annotations({ identifier: "CategoryCount" });

const CartLineView = Schema.Struct({
  productId: ProductId,
  name: ProductName,
  quantity: Quantity,
  unitPrice: Money,
  lineTotal: Money,
  expiresAt: IsoTimestamp,
  status: Schema.Literal("live", "expired"),
}).annotations({ identifier: "CartLine" });

export const CartView = Schema.Struct({
  lines: Schema.Array(CartLineView),
  /** null only for a cart whose lines are in two currencies (possible only for data older than the one-currency rule). */
  subtotal: Schema.NullOr(Money),
  /** When the first hold lapses; null for an empty cart. */
  earliestExpiry: Schema.NullOr(IsoTimestamp),
}).annotations({ identifier: "Cart" });

const storeCurrency = "EUR" as Currency;

// Amounts are bounded by the domain (40 lines x 99 units x max price stays a safe integer), so these sums cannot overflow.
const amount = (amountMinor: number, currency: Currency): Money => ({ amount: amountMinor, currency }) as Money;

export const cartView = (cart: Cart, now: number): typeof CartView.Type => {
  const lines = cart.lines.map((l) => ({
    ...l,
    lineTotal: amount(l.unitPrice.amount * l.quantity, l.unitPrice.currency),
    status: lineStatus(l, now),
  }));
  const subtotal = Either.getOrNull(CartOps.subtotal(cart, storeCurrency));
  const expiries = cart.lines.map((l) => l.expiresAt);
  return { lines, subtotal, earliestExpiry: expiries.length === 0 ? null : (Math.min(...expiries) as Timestamp) };
};

const RenewOutcomeView = Schema.Union(
  Schema.Struct({ productId: ProductId, outcome: Schema.Literal("renewed"), previousPrice: Money, currentPrice: Money, priceChanged: Schema.Boolean }).annotations({
    description: "An expired line, held again under a new hold at the current price",
  }),
  Schema.Struct({ productId: ProductId, outcome: Schema.Literal("extended"), expiresAt: IsoTimestamp }).annotations({
    description: "A live line, held longer at the same price: a hold TTL from now, at most until its hold is the stack's maximum age",
  }),
  Schema.Struct({ productId: ProductId, outcome: Schema.Literal("at_limit"), expiresAt: IsoTimestamp }).annotations({
    description: "A live line already held as long as a hold may last: unchanged; it lapses at expiresAt (renew it then, at the current price)",
  }),
  Schema.Struct({ productId: ProductId, outcome: Schema.Literal("archived") }).annotations({
    description: "The product is no longer sold: the line is not renewed or extended (a live hold can still be checked out until it lapses)",
  }),
  Schema.Struct({ productId: ProductId, outcome: Schema.Literal("unavailable"), requested: Schema.Int, available: Schema.Int }).annotations({
    description: "An expired line whose units were released and are no longer available",
  }),
);
export const RenewView = Schema.Struct({ cart: CartView, report: Schema.Array(RenewOutcomeView) }).annotations({ identifier: "Renewal" });

const RefundView = Schema.Struct({ refundId: Schema.String, paymentId: Schema.optional(Schema.String), amount: Money, reason: Schema.String, at: IsoTimestamp }).annotations({ identifier: "Refund" });

export const OrderView = Schema.Struct({
  id: OrderId,
  customerId: UserId,
  status: OrderStatus,
  lines: Schema.Array(OrderLine),
  subtotal: Money,
  total: Money,
  createdAt: IsoTimestamp,
  updatedAt: IsoTimestamp,
  history: Schema.Array(
    Schema.Struct({ status: OrderStatus, at: IsoTimestamp, by: ChangedBy, change: Schema.optional(Schema.Literal("payment_refunded")) }),
  ),
  payment: Schema.optional(
    Schema.Struct({
      provider: PaymentProvider,
      paymentId: Schema.String,
      amount: Money,
      status: PaymentStatus,
      refunds: Schema.Array(RefundView),
      failure: Schema.optional(Schema.String),
    }).annotations({ description: "Present once a payment was started; `status` is the provider's, as verified webhooks report it" }),
  ),
  refundsDue: Schema.optional(
    Schema.Array(Schema.Struct({ paymentId: Schema.String, amount: Money, reason: Schema.String, since: IsoTimestamp })).annotations({
      description: "Refunds committed and not yet made at the provider (the refund worker retries them)",
    }),
  ),
  otherRefunds: Schema.optional(Schema.Array(RefundView).annotations({ description: "Refunds of payments that were not the order's own (a second payment)" })),
}).annotations({ identifier: "Order" });

/** What a client needs to confirm the payment (Stripe.js: `stripe.confirmPayment` with the client secret). */
export const PaymentView = Schema.Struct({
  orderId: OrderId,
  provider: PaymentProvider,
  paymentId: Schema.String,
  clientSecret: Schema.String,
  publishableKey: Schema.String,
  amount: Money,
  status: PaymentStatus,
}).annotations({ identifier: "Payment" });

/** The answer to a verified webhook: what it did. */
export const WebhookAckView = Schema.Struct({
  received: Schema.Literal(true),
  outcome: Schema.Literal("applied", "unchanged", "refused", "ignored", "duplicate"),
  reason: Schema.optional(Schema.String),
}).annotations({ identifier: "WebhookAck" });

export const HealthView = Schema.Struct({ status: Schema.Literal("ok", "ready") }).annotations({ identifier: "Health" });

export const ProblemView = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
  code: Schema.String.annotations({ description: "Stable machine-readable error code" }),
  field: Schema.optional(Schema.String.annotations({ description: "Path of the offending field" })),
  in: Schema.optional(Schema.Literal("body", "params", "query", "header")),
}).annotations({ identifier: "Problem" });
