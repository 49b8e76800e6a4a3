import { Schema } from "effect";

/** A payment can only be started for a placed order. */
export class OrderNotPayable extends Schema.TaggedError<OrderNotPayable>()("OrderNotPayable", {
  orderId: Schema.String,
  status: Schema.String,
}) {}

/** A success for a payment that is not the order's. */
export class PaymentNotOfOrder extends Schema.TaggedError<PaymentNotOfOrder>()("PaymentNotOfOrder", {
  orderId: Schema.String,
  paymentId: Schema.String,
}) {}

/** A success whose amount or currency differs from the order's payment. */
export class PaymentAmountMismatch extends Schema.TaggedError<PaymentAmountMismatch>()("PaymentAmountMismatch", {
  orderId: Schema.String,
  expected: Schema.String,
  received: Schema.String,
}) {}

/** A webhook whose signature, timestamp or body did not verify: nothing is applied. */
export class PaymentWebhookRejected extends Schema.TaggedError<PaymentWebhookRejected>()("PaymentWebhookRejected", {
  reason: Schema.String,
}) {}

/** The provider could not be reached or answered an error; safe to retry. */
export class PaymentProviderUnavailable extends Schema.TaggedError<PaymentProviderUnavailable>()("PaymentProviderUnavailable", {
  operation: Schema.String,
  message: Schema.String,
}) {}

/** Marking an order paid by hand is off on this stack (payments come from the provider). */
export class ManualPaymentDisabled extends Schema.TaggedError<ManualPaymentDisabled>()("ManualPaymentDisabled", {
  orderId: Schema.String,
}) {}

/** The provider event was already applied or recorded. */
export class PaymentEventDuplicate extends Schema.TaggedError<PaymentEventDuplicate>()("PaymentEventDuplicate", {
  eventId: Schema.String,
}) {}

/** An admin marking an order paid by hand while its card payment already succeeded at the provider: its webhook pays it. */
export class PaymentAlreadySucceeded extends Schema.TaggedError<PaymentAlreadySucceeded>()("PaymentAlreadySucceeded", {
  orderId: Schema.String,
  paymentId: Schema.String,
}) {}
