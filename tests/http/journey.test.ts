import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../adapters/http/auth/password.js";
import { createProduct, registerUser, type Currency, type Money } from "../../domain/index.js";
import { startLiveApi, type LiveApi } from "./dynamo-app.js";
import { fastScrypt } from "./support.js";

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
  const price = (amount: number) => ({ amount, currency: "EUR" as Currency }) as Money;
  await api.runtime.runPromise(createProduct({ id: "kettle" as never, name: "Kettle", category: "kitchen", price: price(5900), stock: 3 }));
  await api.runtime.runPromise(createProduct({ id: "sencha" as never, name: "Sencha", category: "tea", price: price(1290), stock: 10 }));
  const passwordHash = await hashPassword("admin-password", fastScrypt);
  await api.runtime.runPromise(registerUser({ email: "admin@example.com", name: "Admin", passwordHash, role: "admin" }));
});
afterAll(() => api?.close());

describe("a shopper's journey over HTTP on DynamoDB Local", () => {
  it("registers, browses, fills a cart, checks out once per key, cancels; an admin restocks and ships another order", async () => {
    const { fetchJson } = api;
    const reg = await fetchJson("/auth/register", { method: "POST", body: { email: "jo@example.com", password: "jo-password", name: "Jo" } });
    expect(reg.status).toBe(201);
    const jo = reg.body.token as string;

    const tea = await fetchJson("/api/products?category=tea");
    expect(tea.body.items.map((p: { id: string }) => p.id)).toEqual(["sencha"]);

    const added = await fetchJson("/api/cart/items", { method: "POST", token: jo, body: { productId: "kettle", quantity: 2 } });
    expect(added.body.subtotal).toEqual({ amount: 11800, currency: "EUR" });
    const key = { "idempotency-key": "journey-key-1" };
    const order = await fetchJson("/api/orders", { method: "POST", token: jo, headers: key, body: { expectedTotal: added.body.subtotal } });
    expect(order.status).toBe(201);
    const replay = await fetchJson("/api/orders", { method: "POST", token: jo, headers: key });
    expect([replay.status, replay.headers.get("idempotent-replayed"), replay.body.id]).toEqual([201, "true", order.body.id]);
    expect((await fetchJson("/api/products/kettle")).body.available).toBe(1);

    const cancelled = await fetchJson(`/api/orders/${order.body.id}/cancel`, { method: "POST", token: jo });
    expect(cancelled.body.status).toBe("cancelled");
    expect((await fetchJson("/api/products/kettle")).body.available).toBe(3);

    await fetchJson("/api/cart/items", { method: "POST", token: jo, body: { productId: "sencha", quantity: 1 } });
    const second = await fetchJson("/api/orders", { method: "POST", token: jo, headers: { "idempotency-key": "journey-key-2" } });
    const mine = await fetchJson("/api/orders", { token: jo });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([second.body.id, order.body.id]);

    const admin = (await fetchJson("/auth/login", { method: "POST", body: { email: "admin@example.com", password: "admin-password" } })).body.token as string;
    const restocked = await fetchJson("/api/admin/products/kettle/stock", { method: "POST", token: admin, headers: { "idempotency-key": "journey-restock-1" }, body: { delta: 5 } });
    expect(restocked.body).toMatchObject({ stock: 8, reserved: 0, available: 8 });
    for (const status of ["paid", "packed", "shipped"]) {
      const moved = await fetchJson(`/api/admin/orders/${second.body.id}/status`, { method: "POST", token: admin, body: { status } });
      expect(moved.body.status).toBe(status);
    }
    const shipped = await fetchJson("/api/admin/orders?status=shipped", { token: admin });
    expect(shipped.body.items.map((o: { id: string }) => o.id)).toEqual([second.body.id]);
    expect((await fetchJson(`/api/orders/${second.body.id}`, { token: jo })).body.status).toBe("shipped");
  });
});
