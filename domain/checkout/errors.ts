import { Schema } from "effect";

export class CheckoutEmptyCart extends Schema.TaggedError<CheckoutEmptyCart>()("CheckoutEmptyCart", {
  customerId: Schema.String,
}) {}

/** Some lines' holds have expired: renew the cart (prices may change) before checkout. */
export class CheckoutHoldExpired extends Schema.TaggedError<CheckoutHoldExpired>()("CheckoutHoldExpired", {
  productIds: Schema.Array(Schema.String),
}) {}

/** The total the buyer confirmed is not the cart's total: they have not seen these prices. */
export class CheckoutPriceMismatch extends Schema.TaggedError<CheckoutPriceMismatch>()("CheckoutPriceMismatch", {
  expectedAmount: Schema.Number,
  expectedCurrency: Schema.String,
  actualAmount: Schema.Number,
  actualCurrency: Schema.String,
}) {}

/** The cart changed between reading it and committing the checkout. */
export class CheckoutCartChanged extends Schema.TaggedError<CheckoutCartChanged>()("CheckoutCartChanged", {
  customerId: Schema.String,
}) {}

/** The customer already has `limit` orders waiting for payment: pay or cancel one before placing another. */
export class CheckoutUnpaidOrdersLimit extends Schema.TaggedError<CheckoutUnpaidOrdersLimit>()("CheckoutUnpaidOrdersLimit", {
  limit: Schema.Int,
}) {}
