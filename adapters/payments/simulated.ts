/**
 * The simulated payment provider: Stripe's shapes and webhook scheme without Stripe. `npm start` uses it
 * when no Stripe keys are set (`npm run pay -- <orderId>` settles a payment: the provider signs the
 * webhook and posts it to the app, through the same verification as Stripe's). Tests use it too.
 */
import { Effect } from "effect";
import {
  PaymentProviderUnavailable,
  paymentKeyOf,
  type Money,
  type PaymentGatewayShape,
  type PaymentSession,
  type PaymentStatus,
} from "../../domain/index.js";
import { LedgerRefusal, type SimulatedLedger, type StripeEvent, type StripeIntent } from "./ledger.js";
import { defaultToleranceSeconds, signStripePayload, verifyStripeWebhook } from "./webhook.js";

export const simulatedPublishableKey = "pk_test_simulated";

/** A Stripe PaymentIntent's status as the order's payment records it. */
export const statusOfIntent = (intent: Pick<StripeIntent, "status" | "last_payment_error">): PaymentStatus =>
  intent.status === "succeeded" ? "succeeded"
  : intent.status === "canceled" ? "canceled"
  : intent.last_payment_error ? "failed"
  : "pending";

export const sessionOf = (intent: StripeIntent): PaymentSession => ({
  paymentId: intent.id,
  clientSecret: intent.client_secret,
  amount: { amount: intent.amount, currency: intent.currency.toUpperCase() } as Money,
  status: statusOfIntent(intent),
});

const attempt = <A>(operation: string, f: () => A) =>
  Effect.try({ try: f, catch: (e) => new PaymentProviderUnavailable({ operation, message: e instanceof Error ? e.message : String(e) }) });

export const simulatedGateway = (ledger: SimulatedLedger, webhookSecret: string, toleranceSeconds = defaultToleranceSeconds): PaymentGatewayShape => ({
  provider: "simulated",
  publishableKey: simulatedPublishableKey,
  create: ({ orderId, customerId, amount }) =>
    attempt("create", () => sessionOf(ledger.createIntent({ amount: amount.amount, currency: amount.currency, metadata: { orderId, customerId } }, paymentKeyOf(orderId)))),
  fetch: (paymentId) => attempt("fetch", () => sessionOf(ledger.intent(paymentId))),
  cancel: (paymentId) =>
    attempt("cancel", () => {
      try {
        ledger.cancel(paymentId);
        return "canceled" as const;
      } catch (e) {
        if (e instanceof LedgerRefusal && e.code === "payment_intent_unexpected_state") return "succeeded" as const;
        throw e;
      }
    }),
  refund: ({ paymentId, amount, idempotencyKey }) =>
    attempt("refund", () => {
      try {
        return { refundId: ledger.refund({ payment_intent: paymentId, amount: amount.amount }, idempotencyKey).id };
      } catch (e) {
        // As Stripe after its 24 h key window: a payment refunded in full answers with the refund it has.
        const made = ledger.refundsOf(paymentId)[0];
        if (e instanceof LedgerRefusal && e.code === "charge_already_refunded" && made) return { refundId: made.id };
        throw e;
      }
    }),
  verify: verifyStripeWebhook("simulated", webhookSecret, toleranceSeconds),
});

/** An event as the provider would post it: the exact bytes and their signature header. */
export const signedEvent = async (event: StripeEvent, webhookSecret: string): Promise<{ payload: string; signature: string }> => {
  const payload = JSON.stringify(event, null, 2);
  return { payload, signature: await signStripePayload(payload, webhookSecret) };
};

/** Where no provider is configured (a stack without Stripe keys): starting a payment is a 503, webhooks are refused. */
export const unconfiguredGateway: PaymentGatewayShape = {
  provider: "stripe",
  publishableKey: "",
  create: () => Effect.fail(new PaymentProviderUnavailable({ operation: "create", message: "payments are not configured on this stack" })),
  fetch: () => Effect.fail(new PaymentProviderUnavailable({ operation: "fetch", message: "payments are not configured on this stack" })),
  cancel: () => Effect.succeed("canceled"),
  refund: () => Effect.fail(new PaymentProviderUnavailable({ operation: "refund", message: "payments are not configured on this stack" })),
  verify: verifyStripeWebhook("stripe", ""),
};
