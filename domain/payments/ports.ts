import { Context, type Effect, type Option } from "effect";
import type { Money } from "../pricing/money.js";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { OrderId, UserId } from "../shared/ids.js";
import type { PaymentProviderUnavailable, PaymentWebhookRejected } from "./errors.js";
import type { PaymentEvent, PaymentEventRecord, PaymentProvider, PaymentSession } from "./payment.js";

export interface PaymentGatewayShape {
  readonly provider: PaymentProvider;
  /** What a browser needs besides the client secret (Stripe's publishable key). */
  readonly publishableKey: string;
  /** Creates the order's payment, or returns the one already created for it (the provider's idempotency key is derived from the order id). */
  readonly create: (request: { readonly orderId: OrderId; readonly customerId: UserId; readonly amount: Money }) => Effect.Effect<PaymentSession, PaymentProviderUnavailable>;
  readonly fetch: (paymentId: string) => Effect.Effect<PaymentSession, PaymentProviderUnavailable>;
  /** Cancels a payment that has not succeeded ("canceled", also when it already was); "succeeded" when it is too late. */
  readonly cancel: (paymentId: string) => Effect.Effect<"canceled" | "succeeded", PaymentProviderUnavailable>;
  /** Refunds the whole payment; the same key never refunds twice. */
  readonly refund: (request: { readonly paymentId: string; readonly amount: Money; readonly idempotencyKey: string }) => Effect.Effect<{ readonly refundId: string }, PaymentProviderUnavailable>;
  /** Verifies a webhook's signature on its raw bytes (with a timestamp tolerance) and reads it. */
  readonly verify: (raw: Uint8Array, signature: string | undefined) => Effect.Effect<PaymentEvent, PaymentWebhookRejected>;
}
/** The payment provider: Stripe, or the simulated one. */
export class PaymentGateway extends Context.Tag("cartwright/PaymentGateway")<PaymentGateway, PaymentGatewayShape>() {}

export interface PaymentPolicyShape {
  /** A placed order not paid within this is cancelled by the sweeper (`paymentWindowMinutes`). */
  readonly windowMs: number;
  /** Whether an admin may mark a placed order paid by hand (offline payment methods); off by default. */
  readonly manualPayments: boolean;
}
export class PaymentPolicy extends Context.Tag("cartwright/PaymentPolicy")<PaymentPolicy, PaymentPolicyShape>() {}

export interface PaymentEventLogShape {
  /** A provider event already applied or recorded. */
  readonly find: (provider: string, eventId: string) => Effect.Effect<Option.Option<PaymentEventRecord>, PersistenceUnavailable>;
  /** Records an event that changes no order (refused, ignored, unchanged); false if it was already recorded. */
  readonly record: (record: PaymentEventRecord) => Effect.Effect<boolean, PersistenceUnavailable>;
}
/** Provider events seen (their ids dedupe redeliveries); an applied one is recorded with its order change. */
export class PaymentEventLog extends Context.Tag("cartwright/PaymentEventLog")<PaymentEventLog, PaymentEventLogShape>() {}
