import { Effect, Either } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stripeFromParameter } from "../../adapters/payments/stripe-keys.js";
import { signStripePayload } from "../../adapters/payments/webhook.js";
import { defaultMaxAgeMs } from "../../adapters/secret-parameter.js";
import type { Currency, Money, OrderId, UserId } from "../../domain/index.js";
import { type FakeSsm, startFakeSsm } from "../support/fake-ssm.js";
import { type FakeStripe, startFakeStripe } from "../support/fake-stripe.js";

const name = "/cartwright/test/stripe";
const [oldSecret, newSecret] = [`whsec_${"o".repeat(24)}`, `whsec_${"n".repeat(24)}`];
let ssm: FakeSsm;
let stripe: FakeStripe;
beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  [ssm, stripe] = await Promise.all([startFakeSsm(), startFakeStripe()]);
});
afterAll(() => Promise.all([ssm.close(), stripe.close()]));

const succeeded = JSON.stringify({ id: "evt_1", type: "payment_intent.succeeded", data: { object: { id: "pi_1", amount: 100, currency: "eur", metadata: { orderId: "o-1" } } } });
const verifies = async (gateway: ReturnType<typeof stripeFromParameter>, secret: string) =>
  Either.isRight(await Effect.runPromise(Effect.either(gateway.verify(new TextEncoder().encode(succeeded), await signStripePayload(succeeded, secret)))));

describe("Stripe's keys from their SSM parameter", () => {
  it("reach a warm instance within the bound after a rotation: the new key calls Stripe, the old webhook secret no longer verifies", async () => {
    ssm.parameters.set(name, JSON.stringify({ secretKey: "sk_test_fake", webhookSecret: oldSecret }));
    const clock = { now: 0 };
    const gateway = stripeFromParameter(name, "pk_test_fake", { endpoint: ssm.endpoint, region: "us-east-1", now: () => clock.now, stripe: { host: "127.0.0.1", port: stripe.port, protocol: "http" } });
    const create = () => Effect.runPromise(Effect.either(gateway.create({ orderId: "o-1" as OrderId, customerId: "c-1" as UserId, amount: { amount: 100, currency: "EUR" as Currency } as Money })));
    expect(Either.isRight(await create())).toBe(true);
    expect(await verifies(gateway, oldSecret)).toBe(true);

    // Stripe's key rolled (the fake knows only sk_test_fake: a call with the new key is refused, which shows it is the one used).
    ssm.parameters.set(name, JSON.stringify({ secretKey: "sk_test_rolled", webhookSecret: newSecret }));
    clock.now += defaultMaxAgeMs;
    expect(await create()).toMatchObject({ _tag: "Left", left: { _tag: "PaymentProviderUnavailable" } });
    expect(await verifies(gateway, oldSecret)).toBe(false);
    expect(await verifies(gateway, newSecret)).toBe(true);
  });

  it("answers payment calls with PaymentProviderUnavailable while the parameter cannot be read, and never accepts a webhook then", async () => {
    ssm.parameters.delete("/cartwright/test/missing");
    const gateway = stripeFromParameter("/cartwright/test/missing", "pk_test_fake", { endpoint: ssm.endpoint, region: "us-east-1" });
    expect(await Effect.runPromise(Effect.either(gateway.fetch("pi_1")))).toMatchObject({ _tag: "Left", left: { _tag: "PaymentProviderUnavailable", operation: "fetch" } });
    const exit = await Effect.runPromiseExit(gateway.verify(new TextEncoder().encode(succeeded), await signStripePayload(succeeded, oldSecret)));
    expect(exit._tag).toBe("Failure");
  });
});
