import { Schema } from "effect";

export class CartQuantityOutOfRange extends Schema.TaggedError<CartQuantityOutOfRange>()("CartQuantityOutOfRange", {
  productId: Schema.String,
  quantity: Schema.Number,
  min: Schema.Number,
  max: Schema.Number,
}) {}

/** A customer would hold more units of one product than its limit allows (hoarding). */
export class CartHoldLimitExceeded extends Schema.TaggedError<CartHoldLimitExceeded>()("CartHoldLimitExceeded", {
  productId: Schema.String,
  limit: Schema.Int,
  requested: Schema.Int,
}) {}

export class CartLineLimitExceeded extends Schema.TaggedError<CartLineLimitExceeded>()("CartLineLimitExceeded", {
  limit: Schema.Number,
}) {}

export class CartLineNotFound extends Schema.TaggedError<CartLineNotFound>()("CartLineNotFound", {
  productId: Schema.String,
}) {}

/** The line's hold has expired: renew the cart (at current prices) before changing or buying it. */
export class CartLineExpired extends Schema.TaggedError<CartLineExpired>()("CartLineExpired", {
  productId: Schema.String,
  expiredAt: Schema.Number,
}) {}

export class CartCurrencyMismatch extends Schema.TaggedError<CartCurrencyMismatch>()("CartCurrencyMismatch", {
  productId: Schema.String,
  cartCurrency: Schema.String,
  productCurrency: Schema.String,
}) {}

/** A store refused a change because a line moved on since it was read (optimistic concurrency). */
export class CartVersionConflict extends Schema.TaggedError<CartVersionConflict>()("CartVersionConflict", {
  productId: Schema.String,
}) {}

/** The cart kept changing under a request past the retry budget. */
export class CartConcurrentModification extends Schema.TaggedError<CartConcurrentModification>()(
  "CartConcurrentModification",
  { customerId: Schema.String },
) {}

export class HoldNotExpired extends Schema.TaggedError<HoldNotExpired>()("HoldNotExpired", {
  productId: Schema.String,
  expiresAt: Schema.Number,
}) {}

export class HoldAlreadyReleased extends Schema.TaggedError<HoldAlreadyReleased>()("HoldAlreadyReleased", {
  productId: Schema.String,
}) {}
