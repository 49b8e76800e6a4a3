import { Schema } from "effect";
import { Money } from "../pricing/money.js";
import { Timestamp } from "../shared/ids.js";

/** Who takes the money: Stripe, or the simulated provider of `npm start` and the tests. */
export const PaymentProvider = Schema.Literal("stripe", "simulated");
export type PaymentProvider = typeof PaymentProvider.Type;

/** pending → succeeded → refunded; pending → failed (the buyer may try again) → succeeded; pending|failed → canceled. */
export const PaymentStatus = Schema.Literal("pending", "failed", "succeeded", "canceled", "refunded");
export type PaymentStatus = typeof PaymentStatus.Type;

export const PaymentId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255));

/**
 * Why money goes back: an admin cancelled a paid order; a success came after the order was cancelled; the
 * order was already paid by other means (by hand); a success for a payment that is not the order's, or not
 * of its amount.
 */
export const RefundReason = Schema.Literal("cancelled_by_admin", "paid_after_cancel", "paid_twice", "not_order_payment");
export type RefundReason = typeof RefundReason.Type;

export const Refund = Schema.Struct({
  refundId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)),
  /** The payment refunded; absent on refunds of the order's own payment recorded before it was kept. */
  paymentId: Schema.optional(PaymentId),
  amount: Money,
  reason: RefundReason,
  at: Timestamp,
});
export type Refund = typeof Refund.Type;

/**
 * Money received that the order does not keep, committed with the change that decided it (a cancellation,
 * a provider event); the refund worker asks the provider for it (key per payment) and records the refund.
 */
export const RefundDue = Schema.Struct({
  provider: PaymentProvider,
  paymentId: PaymentId,
  amount: Money,
  reason: RefundReason,
  since: Timestamp,
});
export type RefundDue = typeof RefundDue.Type;

/** An order's payment: created once per order, moved only by verified provider events. */
export const Payment = Schema.Struct({
  provider: PaymentProvider,
  paymentId: PaymentId,
  amount: Money,
  status: PaymentStatus,
  refunds: Schema.Array(Refund),
  /** Why the last attempt failed (the provider's message), if it did. */
  failure: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
});
export type Payment = typeof Payment.Type;

/** What a client needs to confirm a payment (Stripe.js: the client secret and the publishable key). */
export interface PaymentSession {
  readonly paymentId: string;
  readonly clientSecret: string;
  readonly amount: Money;
  readonly status: PaymentStatus;
}

/**
 * A provider event after its signature was verified, in the provider's words reduced to what the rules
 * read. `orderId` is the payment's `metadata.orderId` (set by us when creating it).
 */
export interface PaymentEvent {
  readonly provider: PaymentProvider;
  readonly eventId: string;
  readonly kind: "succeeded" | "failed" | "canceled" | "other";
  /** The provider's own type, e.g. payment_intent.succeeded. */
  readonly type: string;
  readonly paymentId?: string | undefined;
  readonly orderId?: string | undefined;
  readonly amount?: Money | undefined;
  readonly failure?: string | undefined;
}

/** A provider event as recorded (dedupe and audit): applied, or refused with the reason, or ignored. */
export interface PaymentEventRecord {
  readonly provider: PaymentProvider;
  readonly eventId: string;
  readonly type: string;
  readonly orderId?: string | undefined;
  readonly outcome: "applied" | "unchanged" | "refused" | "ignored";
  readonly reason?: string | undefined;
  readonly at: Timestamp;
}
