/** Request schemas, built from the domain's own schemas; they decode requests and document them. */
import { Schema } from "effect";
import {
  Category,
  Email,
  IdempotencyKey,
  MaxPerCustomer,
  Money,
  OrderId,
  OrderStatus,
  ProductId,
  ProductName,
  ProductPatch,
  Quantity,
  StockCount,
  UnitPrice,
} from "../../domain/index.js";
import { domainEventTypes, maxLineQuantity } from "../../domain/index.js";

/** A whole number sent as a query string ("20"): no sign, no exponent, no fraction. */
const QueryInt = (min: number, max: number) =>
  Schema.compose(Schema.String.pipe(Schema.pattern(/^\d{1,10}$/, { message: () => "Expected a whole number" })), Schema.NumberFromString)
    .pipe(Schema.int(), Schema.between(min, max))
    .annotations({ jsonSchema: { type: "integer", minimum: min, maximum: max } });

const Cursor = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(2048)).annotations({
  description: "Opaque: the nextCursor of the previous page",
});

const paging = {
  limit: Schema.optionalWith(QueryInt(1, 100), { default: () => 20 }),
  cursor: Schema.optional(Cursor),
};

export const PageQuery = Schema.Struct(paging);
export const ProductListQuery = Schema.Struct({ category: Schema.optional(Category), ...paging });
const QueryBoolean = Schema.transform(Schema.Literal("true", "false"), Schema.Boolean, { strict: true, decode: (s) => s === "true", encode: (b) => (b ? "true" : "false") });
export const AdminProductsQuery = Schema.Struct({
  category: Schema.optional(Category),
  archived: Schema.optional(QueryBoolean).annotations({ description: "true: archived products only; false: listed ones only; absent: both" }),
  ...paging,
});
export const AdminOrdersQuery = Schema.Struct({ status: Schema.optionalWith(OrderStatus, { default: () => "placed" as const }), ...paging });
export const InventoryQuery = Schema.Struct({
  belowAvailable: Schema.optionalWith(QueryInt(0, 1_000_000_000), { default: () => 5 }),
  ...paging,
});

export const ProductIdParam = Schema.Struct({ id: ProductId });
export const CartItemParam = Schema.Struct({ productId: ProductId });
export const OrderIdParam = Schema.Struct({ id: OrderId });

const Password = Schema.String.pipe(Schema.minLength(8), Schema.maxLength(128));

// The domain decides what a name may be (422 invalid_name); here only its type and a size bound.
const NameInput = Schema.String.pipe(Schema.maxLength(1000)).annotations({ description: "One line of plain text, 1–100 characters after trimming" });

export const RegisterBody = Schema.Struct({ email: Email, password: Password, name: NameInput });
export const LoginBody = Schema.Struct({ email: Email, password: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)) });

export const AddItemBody = Schema.Struct({ productId: ProductId, quantity: Quantity });
export const SetQuantityBody = Schema.Struct({
  quantity: Schema.Int.pipe(Schema.between(0, maxLineQuantity)).annotations({ description: "0 removes the line" }),
});

export const CheckoutHeaders = Schema.Struct({ "idempotency-key": IdempotencyKey });
/** Makes a POST retry-safe: the same key again replays the first request instead of applying it twice. */
export const RetrySafeHeaders = Schema.Struct({
  "idempotency-key": Schema.optional(IdempotencyKey).annotations({
    description: "8–128 printable characters, new for each request; a retry after a lost reply sends the same key",
  }),
});
export const CheckoutBody = Schema.Struct({
  expectedTotal: Schema.optional(Money).annotations({ description: "The total the buyer saw; checkout fails if the cart's differs" }),
});

const Description = Schema.String.pipe(Schema.maxLength(2000));

export const NewProductBody = Schema.Struct({
  id: Schema.optional(ProductId),
  name: ProductName,
  category: Category,
  description: Schema.optional(Description),
  price: UnitPrice,
  stock: StockCount,
  lowStockThreshold: Schema.optional(StockCount).annotations({ description: "Below this many available units: a StockLow event (default 5)" }),
  maxPerCustomer: Schema.optional(MaxPerCustomer).annotations({ description: "Most units one customer may hold at once (default: the stack's)" }),
});

export const ProductPatchBody = ProductPatch.pipe(
  Schema.filter((patch) => Object.keys(patch).length > 0 || "Change at least one field.", { jsonSchema: { minProperties: 1 } }),
);

export const StockBody = Schema.Struct({
  delta: Schema.Int.pipe(Schema.between(-1_000_000_000, 1_000_000_000)).annotations({ description: "Units to add (negative: remove)" }),
});

export const StatusBody = Schema.Struct({ status: OrderStatus });

export const EventsQuery = Schema.Struct({
  type: Schema.optional(Schema.Literal(...domainEventTypes)),
  orderId: Schema.optional(OrderId),
  ...paging,
}).pipe(
  Schema.filter((q) => q.type === undefined || q.orderId === undefined || { path: ["orderId"], message: "Filter by type or by order, not both." }),
);
