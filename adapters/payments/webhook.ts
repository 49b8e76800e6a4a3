/**
 * Webhook verification in Stripe's scheme (`Stripe-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">`),
 * done by the `stripe` package itself on the raw bytes as received, plus a bound on timestamps from the
 * future (the package bounds only the past). The simulated provider signs the same way, so one path runs
 * offline and on Stripe. The package is imported on the first webhook, never at cold start.
 */
import { Effect } from "effect";
import { PaymentWebhookRejected, type Money, type PaymentEvent, type PaymentProvider } from "../../domain/index.js";
import type { StripeEvent } from "./ledger.js";

export const stripePackage = () => import("stripe").then((m) => m.default);

/** Stripe's default tolerance: 5 minutes either way. */
export const defaultToleranceSeconds = 300;

const timestampOf = (header: string): number | undefined => {
  const t = header
    .split(",")
    .map((part) => part.trim().split("="))
    .find(([k]) => k === "t")?.[1];
  return t !== undefined && /^\d+$/.test(t) ? Number(t) : undefined;
};

/** The rules' view of a Stripe event: payment_intent.* events carry the intent, its metadata.orderId names our order. */
export const toPaymentEvent = (provider: PaymentProvider, event: StripeEvent): PaymentEvent => {
  const object = event.data?.object as Partial<StripeEvent["data"]["object"]> | undefined;
  const intent = event.type.startsWith("payment_intent.") && object?.object === "payment_intent" ? object : undefined;
  const kind =
    event.type === "payment_intent.succeeded" ? "succeeded"
    : event.type === "payment_intent.payment_failed" ? "failed"
    : event.type === "payment_intent.canceled" ? "canceled"
    : "other";
  const amount: Money | undefined =
    intent && typeof intent.amount_received === "number" && typeof intent.currency === "string"
      ? ({ amount: intent.amount_received, currency: intent.currency.toUpperCase() } as Money)
      : undefined;
  return {
    provider,
    eventId: event.id,
    type: event.type,
    kind: intent ? kind : "other",
    paymentId: intent?.id,
    orderId: intent?.metadata?.orderId,
    amount,
    failure: intent?.last_payment_error?.message ?? undefined,
  };
};

export const verifyStripeWebhook =
  (provider: PaymentProvider, secret: string, toleranceSeconds = defaultToleranceSeconds, nowSeconds = () => Math.floor(Date.now() / 1000)) =>
  (raw: Uint8Array, header: string | undefined): Effect.Effect<PaymentEvent, PaymentWebhookRejected> =>
    Effect.gen(function* () {
      if (!header) return yield* new PaymentWebhookRejected({ reason: "the Stripe-Signature header is missing" });
      const t = timestampOf(header);
      if (t === undefined) return yield* new PaymentWebhookRejected({ reason: "the Stripe-Signature header has no timestamp" });
      if (t > nowSeconds() + toleranceSeconds) return yield* new PaymentWebhookRejected({ reason: "the signature's timestamp is in the future" });
      const Stripe = yield* Effect.promise(stripePackage);
      const event = yield* Effect.try({
        try: () => Stripe.webhooks.constructEvent(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), header, secret, toleranceSeconds) as unknown as StripeEvent,
        catch: (e) => new PaymentWebhookRejected({ reason: e instanceof Error ? e.message.split(".")[0]! : "unverifiable" }),
      });
      if (typeof event?.id !== "string" || typeof event.type !== "string") return yield* new PaymentWebhookRejected({ reason: "the body is not an event" });
      return toPaymentEvent(provider, event);
    });

/** Signs a payload as Stripe does (for the simulated provider and tests). */
export const signStripePayload = async (payload: string, secret: string, timestamp?: number): Promise<string> =>
  (await stripePackage()).webhooks.generateTestHeaderString({ payload, secret, ...(timestamp === undefined ? {} : { timestamp }) });
