import { Effect, Either } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedLedger } from "../../adapters/payments/ledger.js";
import { signedEvent, simulatedGateway } from "../../adapters/payments/simulated.js";
import { stripeApiVersion, stripeGateway } from "../../adapters/payments/stripe.js";
import { type Money, type OrderId, type PaymentGatewayShape, type UserId, refundKeyOf } from "../../domain/index.js";
import { type FakeStripe, startFakeStripe } from "../support/fake-stripe.js";

const secret = "whsec_contract_secret";
const eur = (amount: number) => ({ amount, currency: "EUR" }) as Money;
const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e);
const attempt = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(e));

/** One suite for every PaymentGateway: the simulated provider, and Stripe's adapter against a stand-in for Stripe's API. */
const contract = (name: string, make: () => { gateway: PaymentGatewayShape; ledger: () => SimulatedLedger }) =>
  describe(`PaymentGateway contract: ${name}`, () => {
    let gateway: PaymentGatewayShape;
    let ledger: () => SimulatedLedger;
    beforeAll(() => ({ gateway, ledger } = make()));
    let n = 0;
    const order = () => `order-${name}-${++n}` as OrderId;

    it("creates one payment per order however often it is asked, for the order's amount and currency", async () => {
      const id = order();
      const [a, b] = await Promise.all([0, 1].map(() => run(gateway.create({ orderId: id, customerId: "c1" as UserId, amount: eur(1250) }))));
      expect(a!.paymentId).toBe(b!.paymentId);
      expect(a!.clientSecret).toMatch(/_secret_/);
      expect(a).toMatchObject({ amount: eur(1250), status: "pending" });
      expect(await run(gateway.fetch(a!.paymentId))).toEqual(a);
    });

    it("reports a settled payment as succeeded, and a declined one as failed", async () => {
      const paid = await run(gateway.create({ orderId: order(), customerId: "c1" as UserId, amount: eur(500) }));
      ledger().settle(paid.paymentId, "succeeded");
      expect((await run(gateway.fetch(paid.paymentId))).status).toBe("succeeded");
      const declined = await run(gateway.create({ orderId: order(), customerId: "c1" as UserId, amount: eur(500) }));
      ledger().settle(declined.paymentId, "failed");
      expect((await run(gateway.fetch(declined.paymentId))).status).toBe("failed");
    });

    it("cancels a payment that has not succeeded, and says so when it is too late", async () => {
      const open = await run(gateway.create({ orderId: order(), customerId: "c1" as UserId, amount: eur(700) }));
      expect(await run(gateway.cancel(open.paymentId))).toBe("canceled");
      expect(await run(gateway.cancel(open.paymentId))).toBe("canceled");
      const paid = await run(gateway.create({ orderId: order(), customerId: "c1" as UserId, amount: eur(700) }));
      ledger().settle(paid.paymentId, "succeeded");
      expect(await run(gateway.cancel(paid.paymentId))).toBe("succeeded");
    });

    it("refunds a payment at most once per key, even when asked concurrently (invariant: one refund)", async () => {
      const id = order();
      const paid = await run(gateway.create({ orderId: id, customerId: "c1" as UserId, amount: eur(900) }));
      ledger().settle(paid.paymentId, "succeeded");
      const refunds = await Promise.all(Array.from({ length: 5 }, () => run(gateway.refund({ paymentId: paid.paymentId, amount: eur(900), idempotencyKey: refundKeyOf(paid.paymentId) }))));
      expect(new Set(refunds.map((r) => r.refundId)).size).toBe(1);
      expect(ledger().refundsOf(paid.paymentId).map((r) => r.amount)).toEqual([900]);
    });

    it("answers a refund asked again after the provider forgot its key (24 h) with the refund the payment has, never a second one", async () => {
      const paid = await run(gateway.create({ orderId: order(), customerId: "c1" as UserId, amount: eur(900) }));
      ledger().settle(paid.paymentId, "succeeded");
      const first = await run(gateway.refund({ paymentId: paid.paymentId, amount: eur(900), idempotencyKey: "key-of-yesterday" }));
      const again = await run(gateway.refund({ paymentId: paid.paymentId, amount: eur(900), idempotencyKey: "key-of-today" }));
      expect(again.refundId).toBe(first.refundId);
      expect(ledger().refundsOf(paid.paymentId).map((r) => r.amount)).toEqual([900]);
    });

    it("fails with PaymentProviderUnavailable for a payment it does not know", async () => {
      const result = await attempt(gateway.fetch("pi_unknown"));
      expect(Either.isLeft(result) && result.left._tag).toBe("PaymentProviderUnavailable");
    });

    it("verifies a signed webhook on its raw bytes and reads the order, the payment and the amount received", async () => {
      const id = order();
      const paid = await run(gateway.create({ orderId: id, customerId: "c1" as UserId, amount: eur(1100) }));
      const { payload, signature } = await signedEvent(ledger().settle(paid.paymentId, "succeeded"), secret);
      const event = await run(gateway.verify(new TextEncoder().encode(payload), signature));
      expect(event).toMatchObject({ kind: "succeeded", orderId: id, paymentId: paid.paymentId, amount: eur(1100), type: "payment_intent.succeeded" });
      const tampered = await attempt(gateway.verify(new TextEncoder().encode(payload.replace("1100", "1")), signature));
      expect(Either.isLeft(tampered) && tampered.left._tag).toBe("PaymentWebhookRejected");
    });
  });

contract("simulated", () => {
  const ledger = new SimulatedLedger();
  return { gateway: simulatedGateway(ledger, secret), ledger: () => ledger };
});

let fake: FakeStripe;
beforeAll(async () => void (fake = await startFakeStripe()));
afterAll(() => fake.close());

contract("Stripe adapter against a local Stripe API", () => ({
  gateway: stripeGateway({ secretKey: "sk_test_fake", publishableKey: "pk_test_fake", webhookSecret: secret, host: "127.0.0.1", port: fake.port, protocol: "http" }),
  ledger: () => fake.ledger,
}));

describe("Stripe adapter requests", () => {
  it("pins the API version, puts the order id in the metadata and derives idempotency keys from the order", async () => {
    const gateway = stripeGateway({ secretKey: "sk_test_fake", publishableKey: "pk_test_fake", webhookSecret: secret, host: "127.0.0.1", port: fake.port, protocol: "http" });
    await run(gateway.create({ orderId: "order-meta" as OrderId, customerId: "c9" as UserId, amount: eur(42) }));
    const created = fake.requests.filter((r) => r.path === "/v1/payment_intents").at(-1)!;
    expect(created.apiVersion).toBe(stripeApiVersion);
    expect(created.idempotencyKey).toBe("cartwright-payment-order-meta");
    expect(created.form).toMatchObject({ amount: "42", currency: "eur", "metadata[orderId]": "order-meta", "metadata[customerId]": "c9" });
  });
});
