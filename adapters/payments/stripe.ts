/**
 * The Stripe adapter: PaymentIntents (metadata.orderId, idempotency key from the order), cancel, refunds,
 * webhooks verified by the package. API version pinned. The client is created on first use (the package
 * takes ~90 ms to load: never at cold start). Keys come from configuration and are never logged.
 */
import { Effect } from "effect";
import type Stripe from "stripe";
import { PaymentProviderUnavailable, paymentKeyOf, type PaymentGatewayShape } from "../../domain/index.js";
import type { StripeIntent } from "./ledger.js";
import { sessionOf } from "./simulated.js";
import { defaultToleranceSeconds, stripePackage, verifyStripeWebhook } from "./webhook.js";

export const stripeApiVersion = "2026-10-28.endive" as const;

export interface StripeSettings {
  readonly secretKey: string;
  readonly publishableKey: string;
  readonly webhookSecret: string;
  readonly toleranceSeconds?: number;
  /** Another API endpoint (tests: a local stand-in for Stripe's API). */
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: "http" | "https";
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const stripeGateway = (settings: StripeSettings): PaymentGatewayShape => {
  let client: Promise<Stripe> | undefined;
  const stripe = () =>
    (client ??= stripePackage().then(
      (S) =>
        new S(settings.secretKey, {
          apiVersion: stripeApiVersion,
          maxNetworkRetries: 2,
          timeout: 8000,
          ...(settings.host ? { host: settings.host } : {}),
          ...(settings.port ? { port: settings.port } : {}),
          ...(settings.protocol ? { protocol: settings.protocol } : {}),
        }),
    ));
  const call = <A>(operation: string, f: (s: Stripe) => Promise<A>) =>
    Effect.tryPromise({ try: () => stripe().then(f), catch: (e) => new PaymentProviderUnavailable({ operation, message: messageOf(e) }) });
  const intent = (pi: Stripe.PaymentIntent) => pi as unknown as StripeIntent;

  return {
    provider: "stripe",
    publishableKey: settings.publishableKey,
    create: ({ orderId, customerId, amount }) =>
      call("create", (s) =>
        s.paymentIntents.create(
          { amount: amount.amount, currency: amount.currency.toLowerCase(), metadata: { orderId, customerId }, automatic_payment_methods: { enabled: true } },
          { idempotencyKey: paymentKeyOf(orderId) },
        ),
      ).pipe(Effect.map((pi) => sessionOf(intent(pi)))),
    fetch: (paymentId) => call("fetch", (s) => s.paymentIntents.retrieve(paymentId)).pipe(Effect.map((pi) => sessionOf(intent(pi)))),
    cancel: (paymentId) =>
      call("cancel", async (s) => {
        try {
          await s.paymentIntents.cancel(paymentId);
          return "canceled" as const;
        } catch (e) {
          // Too late to cancel: succeeded (its webhook pays the order), or already canceled.
          if ((e as { code?: string }).code !== "payment_intent_unexpected_state") throw e;
          const now = await s.paymentIntents.retrieve(paymentId);
          if (now.status === "succeeded") return "succeeded" as const;
          if (now.status === "canceled") return "canceled" as const;
          throw e;
        }
      }),
    refund: ({ paymentId, amount, idempotencyKey }) =>
      call("refund", async (s) => {
        try {
          return (await s.refunds.create({ payment_intent: paymentId, amount: amount.amount }, { idempotencyKey })).id;
        } catch (e) {
          // Stripe forgets a key after 24 h: a payment refunded in full already answers with the refund it has.
          if ((e as { code?: string }).code !== "charge_already_refunded") throw e;
          const made = (await s.refunds.list({ payment_intent: paymentId, limit: 10 })).data.find((r) => r.status !== "failed" && r.status !== "canceled");
          if (!made) throw e;
          return made.id;
        }
      }).pipe(Effect.map((refundId) => ({ refundId }))),
    verify: verifyStripeWebhook("stripe", settings.webhookSecret, settings.toleranceSeconds ?? defaultToleranceSeconds),
  };
};
