import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signedEvent } from "../../adapters/payments/simulated.js";
import { signStripePayload } from "../../adapters/payments/webhook.js";
import { expireUnpaidOrders, listEvents, type Product } from "../../domain/index.js";
import { eur, makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let shopper: Caller;
let admin: Caller;
let tea: Product;
beforeEach(async () => {
  api = await makeTestApi({ manualPayments: false, paymentWindowMs: 30 * 60_000 });
  shopper = await api.user();
  admin = await api.user("admin");
  tea = await api.product({ stock: 5, price: eur(450) });
});
afterEach(() => api.close());

const placeOrder = async (quantity = 2) => {
  await api.request({ method: "POST", url: "/api/cart/items", headers: shopper.headers, payload: { productId: tea.id, quantity } });
  const res = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": `key-${Math.random().toString(36).slice(2, 12)}` } });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};
const startPayment = (orderId: string, caller = shopper) => api.request({ method: "POST", url: `/api/orders/${orderId}/payment`, headers: caller.headers });
const webhook = (payload: string | Buffer, signature: string | undefined) =>
  api.request({ method: "POST", url: "/webhooks/payments", headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) }, payload });
const order = async (id: string) => (await api.request({ url: `/api/orders/${id}`, headers: shopper.headers })).json();
const stock = async () => (await api.request({ url: `/api/products/${tea.id}` })).json().available as number;

/** The buyer pays: the simulated provider settles and signs the event Stripe would send. */
const settle = async (orderId: string, outcome: "succeeded" | "failed" = "succeeded", amount?: number) => {
  const intent = api.payments.ledger.intentOfOrder(orderId)!;
  return signedEvent(api.payments.ledger.settle(intent.id, outcome, amount), api.payments.webhookSecret);
};

describe("POST /api/orders/:id/payment", () => {
  it("creates the order's payment once: a second call returns the same payment, for the order's total", async () => {
    const id = await placeOrder();
    const [a, b] = await Promise.all([startPayment(id), startPayment(id)]);
    expect(a.statusCode).toBe(200);
    expect(b.json().paymentId).toBe(a.json().paymentId);
    expect(a.json()).toMatchObject({ orderId: id, provider: "simulated", amount: eur(900), status: "pending", publishableKey: "pk_test_simulated" });
    expect(a.json().clientSecret).toMatch(/_secret_/);
    expect((await order(id)).payment).toMatchObject({ paymentId: a.json().paymentId, status: "pending", amount: eur(900) });
  });

  it("refuses someone else's order as not found and a paid one as not payable", async () => {
    const id = await placeOrder();
    expect(problemOf(await startPayment(id, await api.user())).code).toBe("order_not_found");
    await startPayment(id);
    const { payload, signature } = await settle(id);
    await webhook(payload, signature);
    expect(problemOf(await startPayment(id)).code).toBe("order_not_payable");
  });
});

describe("POST /webhooks/payments", () => {
  it("takes an order from checkout to paid through the signed webhook, publishing OrderPaid (journey)", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const { payload, signature } = await settle(id);
    const res = await webhook(payload, signature);
    expect(res.json()).toEqual({ received: true, outcome: "applied" });
    expect(await order(id)).toMatchObject({ status: "paid", payment: { status: "succeeded" }, history: [{ status: "placed" }, { status: "paid", by: "system" }] });
    const events = await api.runtime.runPromise(listEvents({ orderId: id as never, limit: 10 }));
    expect(events.items.map((e) => e.type).reverse()).toEqual(["OrderPlaced", "OrderPaid"]);
  });

  it("changes nothing for a duplicate delivery, answering 200 at once (invariant: one paid, one OrderPaid)", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const { payload, signature } = await settle(id);
    const answers = await Promise.all(Array.from({ length: 10 }, () => webhook(payload, signature)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.json().outcome === "applied")).toHaveLength(1);
    const events = await api.runtime.runPromise(listEvents({ orderId: id as never, limit: 10 }));
    expect(events.items.map((e) => e.type).reverse()).toEqual(["OrderPlaced", "OrderPaid"]);
  });

  it.each([
    ["a tampered body", async (p: string, s: string) => [p.replace('"succeeded"', '"succeeded" '), s] as const],
    ["the wrong secret", async (p: string) => [p, await signStripePayload(p, "whsec_not_the_secret")] as const],
    ["a stale timestamp", async (p: string) => [p, await signStripePayload(p, api.payments.webhookSecret, Math.floor(Date.now() / 1000) - 3600)] as const],
    ["a future timestamp", async (p: string) => [p, await signStripePayload(p, api.payments.webhookSecret, Math.floor(Date.now() / 1000) + 3600)] as const],
    ["a body parsed and re-serialised", async (p: string, s: string) => [JSON.stringify(JSON.parse(p)), s] as const],
    ["no signature", async (p: string) => [p, undefined] as const],
  ])("refuses %s with a 400 problem and changes nothing", async (_name, forge) => {
    const id = await placeOrder();
    await startPayment(id);
    const { payload, signature } = await settle(id);
    const [body, header] = await forge(payload, signature);
    const problem = problemOf(await webhook(body, header));
    expect(problem).toMatchObject({ status: 400, code: "webhook_rejected" });
    expect((await order(id)).status).toBe("placed");
  });

  it("refuses an unparsable body that is signed with a 400 problem", async () => {
    const payload = "{not json";
    const problem = problemOf(await webhook(payload, await signStripePayload(payload, api.payments.webhookSecret)));
    expect(problem.code).toBe("webhook_rejected");
  });

  it("does not pay an order from a success of the wrong amount, and refunds what was received once (invariant: nothing received is kept unpaid-for)", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const { payload, signature } = await settle(id, "succeeded", 1);
    expect((await webhook(payload, signature)).json()).toEqual({ received: true, outcome: "applied" });
    expect(await order(id)).toMatchObject({ status: "placed", refundsDue: [], payment: { status: "refunded", refunds: [{ amount: { amount: 1, currency: "EUR" }, reason: "not_order_payment" }] } });
    expect((await webhook(payload, signature)).json().outcome).toBe("duplicate");
    expect(api.payments.ledger.refundsOf(api.payments.ledger.intentOfOrder(id)!.id).map((r) => r.amount)).toEqual([1]);
  });

  it("records a declined payment on the order, which stays placed and can still be paid", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const failed = await settle(id, "failed");
    expect((await webhook(failed.payload, failed.signature)).json().outcome).toBe("applied");
    expect((await order(id)).payment).toMatchObject({ status: "failed", failure: "Your card was declined." });
    const paid = await settle(id);
    await webhook(paid.payload, paid.signature);
    expect((await order(id)).status).toBe("paid");
  });

  it("refunds once a success that arrives after the order was cancelled; the order stays cancelled (OrderPaymentRefunded)", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const intent = api.payments.ledger.intentOfOrder(id)!;
    const late = await signedEvent(api.payments.ledger.settle(intent.id, "succeeded"), api.payments.webhookSecret);
    await api.request({ method: "POST", url: `/api/orders/${id}/cancel`, headers: shopper.headers });
    expect((await webhook(late.payload, late.signature)).json().outcome).toBe("applied");
    expect((await webhook(late.payload, late.signature)).json().outcome).toBe("duplicate");
    expect(await order(id)).toMatchObject({ status: "cancelled", payment: { status: "refunded", refunds: [{ amount: eur(900), reason: "paid_after_cancel" }] } });
    expect(api.payments.ledger.refundsOf(intent.id)).toHaveLength(1);
    const events = await api.runtime.runPromise(listEvents({ orderId: id as never, limit: 10 }));
    expect(events.items.map((e) => e.type).reverse()).toEqual(["OrderPlaced", "OrderCancelled", "OrderPaymentRefunded"]);
  });
});

describe("Order lifecycle with payments", () => {
  it("refuses marking a placed order paid by hand when manual payments are off (the default)", async () => {
    const id = await placeOrder();
    const res = await api.request({ method: "POST", url: `/api/admin/orders/${id}/status`, headers: admin.headers, payload: { status: "paid" } });
    expect(problemOf(res)).toMatchObject({ status: 409, code: "manual_payment_disabled" });
  });

  it("refunds a paid order an admin cancels exactly once, however often the cancellation is sent", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const { payload, signature } = await settle(id);
    await webhook(payload, signature);
    const cancel = () => api.request({ method: "POST", url: `/api/admin/orders/${id}/status`, headers: admin.headers, payload: { status: "cancelled" } });
    const answers = await Promise.all([cancel(), cancel()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(problemOf((await cancel())).code).toBe("order_transition_not_allowed");
    const intent = api.payments.ledger.intentOfOrder(id)!;
    expect(api.payments.ledger.refundsOf(intent.id)).toHaveLength(1);
    expect(await order(id)).toMatchObject({ status: "cancelled", payment: { status: "refunded", refunds: [{ reason: "cancelled_by_admin" }] } });
  });

  it("cancels a placed order left unpaid past the payment window, returning its units once and cancelling its payment", async () => {
    const id = await placeOrder();
    await startPayment(id);
    expect(await stock()).toBe(3);
    api.clock.advance(29 * 60_000);
    expect(await api.runtime.runPromise(expireUnpaidOrders(100))).toEqual({ expired: 0, skipped: 0, failed: 0 });
    api.clock.advance(2 * 60_000);
    expect(await api.runtime.runPromise(expireUnpaidOrders(100))).toEqual({ expired: 1, skipped: 0, failed: 0 });
    expect(await api.runtime.runPromise(expireUnpaidOrders(100))).toEqual({ expired: 0, skipped: 0, failed: 0 });
    expect(await stock()).toBe(5);
    expect(await order(id)).toMatchObject({ status: "cancelled", payment: { status: "canceled" }, history: [{}, { status: "cancelled", by: "system" }] });
    expect(api.payments.ledger.intentOfOrder(id)!.status).toBe("canceled");
  });

  it("keeps an order whose payment succeeded before the sweep could cancel it: its webhook pays it", async () => {
    const id = await placeOrder();
    await startPayment(id);
    const { payload, signature } = await settle(id);
    api.clock.advance(31 * 60_000);
    expect(await api.runtime.runPromise(expireUnpaidOrders(100))).toEqual({ expired: 0, skipped: 1, failed: 0 });
    await webhook(payload, signature);
    expect((await order(id)).status).toBe("paid");
  });
});
