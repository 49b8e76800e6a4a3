import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Product } from "../../domain/index.js";
import { eur, holdTtlMs, makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let shopper: Caller;
let tea: Product;
beforeEach(async () => {
  api = await makeTestApi();
  shopper = await api.user();
  tea = await api.product({ stock: 5, price: eur(450) });
});
afterEach(() => api.close());

const add = (productId: string, quantity: number, caller = shopper) =>
  api.request({ method: "POST", url: "/api/cart/items", headers: caller.headers, payload: { productId, quantity } });
const checkout = (key: string | undefined, payload?: object, caller = shopper) =>
  api.request({
    method: "POST",
    url: "/api/orders",
    headers: { ...caller.headers, ...(key === undefined ? {} : { "idempotency-key": key }) },
    ...(payload ? { payload } : {}),
  });
const stockOf = async (id: string) => (await api.request({ url: `/api/products/${id}` })).json().available as number;

describe("POST /api/orders", () => {
  it("turns the cart into an order at the snapshot prices and empties the cart", async () => {
    await add(tea.id, 2);
    const res = await checkout("key-0000001");
    expect(res.statusCode).toBe(201);
    expect(res.headers["idempotent-replayed"]).toBeUndefined();
    expect(res.json()).toMatchObject({
      status: "placed",
      customerId: shopper.userId,
      lines: [{ productId: tea.id, quantity: 2, unitPrice: eur(450), lineTotal: eur(900) }],
      total: eur(900),
      createdAt: new Date(api.clock.now()).toISOString(),
      history: [{ status: "placed", by: "customer" }],
    });
    expect((await api.request({ url: "/api/cart", headers: shopper.headers })).json().lines).toEqual([]);
  });

  it("replays the same order for the same key, marked Idempotent-Replayed, and places nothing twice", async () => {
    await add(tea.id, 1);
    const first = await checkout("key-0000002");
    const again = await checkout("key-0000002");
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().id).toBe(first.json().id);
    expect((await api.request({ url: "/api/orders", headers: shopper.headers })).json().items).toHaveLength(1);
  });

  it("replays the order of a key that placed one even after the buyer filled the cart again: a lost reply never invites a second purchase", async () => {
    await add(tea.id, 1);
    const first = await checkout("key-0000003");
    await add(tea.id, 2);
    const again = await checkout("key-0000003");
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().id).toBe(first.json().id);
    expect((await api.request({ url: "/api/cart", headers: shopper.headers })).json().lines).toMatchObject([{ quantity: 2 }]);
  });

  it("refuses with 409 a key whose checkout was refused when it comes back with a different cart", async () => {
    expect(problemOf(await checkout("key-0000005"))).toMatchObject({ status: 409, code: "cart_empty" });
    await add(tea.id, 2);
    expect(problemOf(await checkout("key-0000005"))).toMatchObject({ status: 409, code: "idempotency_key_reused", field: "Idempotency-Key" });
    expect((await checkout("key-0000006")).statusCode).toBe(201);
  });

  it("needs an Idempotency-Key header of 8 to 128 printable characters", async () => {
    await add(tea.id, 1);
    expect(problemOf(await checkout(undefined))).toMatchObject({ status: 400, code: "missing_field", field: "idempotency-key", in: "header" });
    expect(problemOf(await checkout("short"))).toMatchObject({ status: 400, code: "invalid_field", field: "idempotency-key" });
  });

  it("checks the total the buyer saw, and never takes a total as the price", async () => {
    await add(tea.id, 2);
    const wrong = await checkout("key-0000004", { expectedTotal: eur(1) });
    expect(problemOf(wrong)).toMatchObject({ status: 409, code: "checkout_price_mismatch", field: "expectedTotal" });
    const right = await checkout("key-0000005", { expectedTotal: eur(900) });
    expect(right.json().total).toEqual(eur(900));
    const bogus = await checkout("key-0000006", { total: eur(1) });
    expect(problemOf(bogus)).toMatchObject({ status: 400, code: "unknown_field", field: "total" });
  });

  it("refuses an empty cart and a cart whose holds expired (409)", async () => {
    expect(problemOf(await checkout("key-0000007"))).toMatchObject({ status: 409, code: "cart_empty" });
    await add(tea.id, 1);
    api.clock.advance(holdTtlMs);
    expect(problemOf(await checkout("key-0000008"))).toMatchObject({ status: 409, code: "checkout_hold_expired" });
  });
});

describe("GET /api/orders and /api/orders/:id", () => {
  it("lists my orders newest first, a page at a time", async () => {
    for (const key of ["key-1000001", "key-1000002", "key-1000003"]) {
      await add(tea.id, 1);
      await checkout(key);
      api.clock.advance(1000);
    }
    const first = await api.request({ url: "/api/orders?limit=2", headers: shopper.headers });
    const keys = first.json().items.map((o: { createdAt: string }) => o.createdAt);
    expect(keys).toEqual([...keys].sort().reverse());
    const rest = await api.request({ url: `/api/orders?limit=2&cursor=${first.json().nextCursor}`, headers: shopper.headers });
    expect(rest.json()).toMatchObject({ items: [{}], nextCursor: null });
  });

  it("answers 404 for another customer's order, exactly as for one that does not exist (no IDOR)", async () => {
    await add(tea.id, 1);
    const order = (await checkout("key-0000009")).json();
    const other = await api.user();
    const theirs = await api.request({ url: `/api/orders/${order.id}`, headers: other.headers });
    expect(problemOf(theirs)).toMatchObject({ status: 404, code: "order_not_found" });
    const cancel = await api.request({ method: "POST", url: `/api/orders/${order.id}/cancel`, headers: other.headers });
    expect(cancel.statusCode).toBe(404);
    expect((await api.request({ url: `/api/orders/${order.id}`, headers: shopper.headers })).json().id).toBe(order.id);
  });
});

describe("POST /api/orders/:id/cancel", () => {
  it("cancels a placed order once and returns its units to stock", async () => {
    await add(tea.id, 3);
    const order = (await checkout("key-0000010")).json();
    expect(await stockOf(tea.id)).toBe(2);
    const res = await api.request({ method: "POST", url: `/api/orders/${order.id}/cancel`, headers: shopper.headers });
    expect(res.json().status).toBe("cancelled");
    expect(await stockOf(tea.id)).toBe(5);
    const twice = await api.request({ method: "POST", url: `/api/orders/${order.id}/cancel`, headers: shopper.headers });
    expect(problemOf(twice)).toMatchObject({ status: 409, code: "order_transition_not_allowed" });
    expect(await stockOf(tea.id)).toBe(5);
  });

  it("refuses a customer cancelling once the order is paid (403), and offers no way to mark it delivered", async () => {
    await add(tea.id, 1);
    const order = (await checkout("key-0000011")).json();
    const admin = await api.user("admin");
    await api.request({ method: "POST", url: `/api/admin/orders/${order.id}/status`, headers: admin.headers, payload: { status: "paid" } });
    const cancel = await api.request({ method: "POST", url: `/api/orders/${order.id}/cancel`, headers: shopper.headers });
    expect(problemOf(cancel)).toMatchObject({ status: 403, code: "order_transition_forbidden" });
    const deliver = await api.request({ method: "POST", url: `/api/admin/orders/${order.id}/status`, headers: shopper.headers, payload: { status: "delivered" } });
    expect(deliver.statusCode).toBe(403);
  });
});
