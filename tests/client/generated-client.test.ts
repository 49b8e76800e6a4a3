import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwrightClient } from "../../client/index.js";
import { signedEvent } from "../../adapters/payments/simulated.js";
import { clientSchemaPath, renderClientSchema } from "../../scripts/client.js";
import { eur, makeTestApi, type TestApi } from "../http/support.js";

let api: TestApi;
let baseUrl: string;
beforeAll(async () => {
  api = await makeTestApi({ manualPayments: false });
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});
afterAll(() => api.close());

describe("the generated client (client/)", () => {
  it("is what npm run client generates from today's routes (run it and commit when this fails)", async () => {
    expect(await readFile(clientSchemaPath, "utf8")).toBe(await renderClientSchema());
  });

  it("drives a checkout and its payment end to end, typed by the spec", async () => {
    const tea = await api.product({ stock: 5, price: eur(450) });
    const shop = cartwrightClient(baseUrl);
    const registered = await shop.POST("/auth/register", { body: { email: "client@example.com", password: "password-123", name: "Client" } });
    expect(registered.error).toBeUndefined();
    const headers = { authorization: `Bearer ${registered.data!.token}` };

    const product = await shop.GET("/api/products/{id}", { params: { path: { id: tea.id } } });
    expect(product.data?.available).toBe(5);
    const cart = await shop.POST("/api/cart/items", { headers, body: { productId: tea.id, quantity: 2 } });
    expect(cart.data?.subtotal).toEqual({ amount: 900, currency: "EUR" });
    const placed = await shop.POST("/api/orders", { headers, params: { header: { "idempotency-key": "client-e2e-0001" } }, body: { expectedTotal: { amount: 900, currency: "EUR" } } });
    expect(placed.response.status).toBe(201);
    const orderId = placed.data!.id;
    const payment = await shop.POST("/api/orders/{id}/payment", { headers, params: { path: { id: orderId } } });
    expect(payment.data?.amount).toEqual({ amount: 900, currency: "EUR" });

    // The buyer pays at the (simulated) provider, which sends its signed webhook; the body must reach the app byte for byte.
    const intent = api.payments.ledger.intentOfOrder(orderId)!;
    const { payload, signature } = await signedEvent(api.payments.ledger.settle(intent.id, "succeeded"), api.payments.webhookSecret);
    const ack = await shop.POST("/webhooks/payments", { body: JSON.parse(payload), bodySerializer: () => payload, headers: { "stripe-signature": signature } });
    expect(ack.data?.outcome).toBe("applied");

    const order = await shop.GET("/api/orders/{id}", { headers, params: { path: { id: orderId } } });
    expect(order.data?.status).toBe("paid");
  });

  it("hands back a problem as typed error data", async () => {
    const shop = cartwrightClient(baseUrl);
    const { data, error, response } = await shop.GET("/api/products/{id}", { params: { path: { id: "no-such-product" } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error?.code).toBe("product_not_found");
  });
});
