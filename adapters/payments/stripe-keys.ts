/**
 * Stripe's keys from their SSM parameter (`{"secretKey", "webhookSecret"}`, under the stack's own KMS key):
 * read on the first payment call, re-read within the rotation bound (adapters/secret-parameter.ts), so a rolled
 * Stripe key or webhook secret reaches every warm instance within 5 minutes. Each call uses the keys as read then.
 */
import { Effect } from "effect";
import { PaymentProviderUnavailable, type PaymentGatewayShape } from "../../domain/index.js";
import { type ParameterOptions, secretParameter } from "../secret-parameter.js";
import { stripeGateway, type StripeSettings } from "./stripe.js";

interface StripeKeys {
  readonly secretKey: string;
  readonly webhookSecret: string;
}

const parseKeys = (name: string) => (raw: string): StripeKeys => {
  const parsed = JSON.parse(raw) as Partial<Record<keyof StripeKeys, unknown>>;
  if (typeof parsed.secretKey !== "string" || !/^(sk|rk)_(test|live)_\S+$/.test(parsed.secretKey)) throw new Error(`parameter ${name} holds no Stripe secret key`);
  if (typeof parsed.webhookSecret !== "string" || !parsed.webhookSecret.startsWith("whsec_")) throw new Error(`parameter ${name} holds no webhook signing secret`);
  return { secretKey: parsed.secretKey, webhookSecret: parsed.webhookSecret };
};

export const stripeFromParameter = (
  name: string,
  publishableKey: string,
  options: ParameterOptions & { readonly stripe?: Omit<StripeSettings, "secretKey" | "webhookSecret" | "publishableKey"> } = {},
): PaymentGatewayShape => {
  const keys = secretParameter(name, parseKeys(name), options);
  let current: { readonly keys: StripeKeys; readonly gateway: PaymentGatewayShape } | undefined;
  const gateway = (operation: string) =>
    Effect.tryPromise({ try: () => keys(), catch: (e) => new PaymentProviderUnavailable({ operation, message: `Stripe's keys are unreadable: ${e instanceof Error ? e.message : String(e)}` }) }).pipe(
      Effect.map((k) => {
        if (current?.keys !== k) current = { keys: k, gateway: stripeGateway({ ...options.stripe, ...k, publishableKey }) };
        return current.gateway;
      }),
    );
  return {
    provider: "stripe",
    publishableKey,
    create: (request) => gateway("create").pipe(Effect.flatMap((g) => g.create(request))),
    fetch: (paymentId) => gateway("fetch").pipe(Effect.flatMap((g) => g.fetch(paymentId))),
    cancel: (paymentId) => gateway("cancel").pipe(Effect.flatMap((g) => g.cancel(paymentId))),
    refund: (request) => gateway("refund").pipe(Effect.flatMap((g) => g.refund(request))),
    // Without the webhook secret nothing can be verified: a 500 (Stripe retries), never an acceptance.
    verify: (raw, signature) => gateway("verify").pipe(Effect.orDie, Effect.flatMap((g) => g.verify(raw, signature))),
  };
};
