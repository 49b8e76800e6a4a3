import { Schema } from "effect";

export class InventoryInsufficientStock extends Schema.TaggedError<InventoryInsufficientStock>()(
  "InventoryInsufficientStock",
  { productId: Schema.String, requested: Schema.Number, available: Schema.Number },
) {}

export class InventoryStockBelowReserved extends Schema.TaggedError<InventoryStockBelowReserved>()(
  "InventoryStockBelowReserved",
  { productId: Schema.String, stock: Schema.Number, reserved: Schema.Number, delta: Schema.Number },
) {}

/** A stock change that would take stock above what a product can hold (maxStock). */
export class InventoryStockOutOfRange extends Schema.TaggedError<InventoryStockOutOfRange>()("InventoryStockOutOfRange", {
  productId: Schema.String,
  stock: Schema.Number,
  delta: Schema.Number,
  max: Schema.Number,
}) {}

/** A counter change that would break 0 <= reserved <= stock; only a bug can cause it. */
export class InventoryCountersInvalid extends Schema.TaggedError<InventoryCountersInvalid>()(
  "InventoryCountersInvalid",
  { productId: Schema.String, stock: Schema.Number, reserved: Schema.Number },
) {}

export class ProductNotFound extends Schema.TaggedError<ProductNotFound>()("ProductNotFound", {
  productId: Schema.String,
}) {}

export class ProductAlreadyExists extends Schema.TaggedError<ProductAlreadyExists>()("ProductAlreadyExists", {
  productId: Schema.String,
}) {}

/** An archived product: out of the catalog, no new holds (its existing holds and orders keep it). */
export class ProductArchived extends Schema.TaggedError<ProductArchived>()("ProductArchived", {
  productId: Schema.String,
}) {}
