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

const add = (productId: string, quantity: unknown, caller = shopper) =>
  api.request({ method: "POST", url: "/api/cart/items", headers: caller.headers, payload: { productId, quantity } });
const available = async (id: string) => (await api.request({ url: `/api/products/${id}` })).json().available as number;

describe("POST /api/cart/items", () => {
  it("holds the units at today's price and shows the line, its hold expiry and the subtotal", async () => {
    const res = await add(tea.id, 2);
    expect(res.statusCode).toBe(200);
    const expiresAt = new Date(api.clock.now() + holdTtlMs).toISOString();
    expect(res.json()).toEqual({
      lines: [{ productId: tea.id, name: tea.name, quantity: 2, unitPrice: eur(450), lineTotal: eur(900), expiresAt, status: "live" }],
      subtotal: eur(900),
      earliestExpiry: expiresAt,
    });
    expect(await available(tea.id)).toBe(3);
  });

  it("refuses more units than are available with 409 and a problem body (invariant: no oversell)", async () => {
    await add(tea.id, 4);
    const res = await add(tea.id, 2, await api.user());
    expect(problemOf(res)).toMatchObject({ status: 409, code: "insufficient_stock", field: "quantity" });
    expect(await available(tea.id)).toBe(1);
  });

  it("answers 404 for an unknown product", async () => {
    expect(problemOf(await add("no-such-product", 1))).toMatchObject({ status: 404, code: "product_not_found", field: "productId" });
  });

  it.each([[0], [-1], [1.5], [100], ["2"], [null]])("refuses the quantity %j with 400 naming the field", async (quantity) => {
    const res = await add(tea.id, quantity);
    expect(problemOf(res)).toMatchObject({ status: 400, field: "quantity", in: "body" });
  });

  it("refuses a customer id in the body: the customer is the token's", async () => {
    const res = await api.request({ method: "POST", url: "/api/cart/items", headers: shopper.headers, payload: { productId: tea.id, quantity: 1, customerId: "someone" } });
    expect(problemOf(res)).toMatchObject({ status: 400, code: "unknown_field", field: "customerId" });
  });

  it("needs a customer token: none is 401, an admin's is 403", async () => {
    expect((await api.request({ method: "POST", url: "/api/cart/items", payload: { productId: tea.id, quantity: 1 } })).statusCode).toBe(401);
    expect(problemOf(await add(tea.id, 1, await api.user("admin")))).toMatchObject({ status: 403, code: "forbidden" });
  });
});

describe("PUT and DELETE /api/cart/items/:productId", () => {
  it("sets a line's quantity, reserving or releasing the difference; 0 removes the line", async () => {
    await add(tea.id, 1);
    const put = (quantity: number) => api.request({ method: "PUT", url: `/api/cart/items/${tea.id}`, headers: shopper.headers, payload: { quantity } });
    expect((await put(3)).json().lines[0].quantity).toBe(3);
    expect(await available(tea.id)).toBe(2);
    expect((await put(0)).json().lines).toEqual([]);
    expect(await available(tea.id)).toBe(5);
  });

  it("answers 404 for a product that is not in the cart", async () => {
    const res = await api.request({ method: "PUT", url: `/api/cart/items/${tea.id}`, headers: shopper.headers, payload: { quantity: 1 } });
    expect(problemOf(res)).toMatchObject({ status: 404, code: "cart_line_not_found" });
    const del = await api.request({ method: "DELETE", url: `/api/cart/items/${tea.id}`, headers: shopper.headers });
    expect(problemOf(del).code).toBe("cart_line_not_found");
  });

  it("removes one line, or the whole cart, and gives the units back", async () => {
    const cake = await api.product({ stock: 2 });
    await add(tea.id, 2);
    await add(cake.id, 1);
    const one = await api.request({ method: "DELETE", url: `/api/cart/items/${tea.id}`, headers: shopper.headers });
    expect(one.json().lines.map((l: { productId: string }) => l.productId)).toEqual([cake.id]);
    const all = await api.request({ method: "DELETE", url: "/api/cart", headers: shopper.headers });
    expect(all.json()).toMatchObject({ lines: [], subtotal: eur(0), earliestExpiry: null });
    expect([await available(tea.id), await available(cake.id)]).toEqual([5, 2]);
  });
});

describe("expired holds and POST /api/cart/renew", () => {
  it("marks a lapsed line expired, refuses to change it, and renews it at the current price", async () => {
    await add(tea.id, 2);
    api.clock.advance(holdTtlMs + 1);
    const cart = await api.request({ url: "/api/cart", headers: shopper.headers });
    expect(cart.json().lines[0].status).toBe("expired");
    const change = await api.request({ method: "PUT", url: `/api/cart/items/${tea.id}`, headers: shopper.headers, payload: { quantity: 1 } });
    expect(problemOf(change)).toMatchObject({ status: 409, code: "cart_line_expired" });

    const admin = await api.user("admin");
    await api.request({ method: "PATCH", url: `/api/admin/products/${tea.id}`, headers: admin.headers, payload: { price: eur(500) } });
    const renew = await api.request({ method: "POST", url: "/api/cart/renew", headers: shopper.headers });
    expect(renew.statusCode).toBe(200);
    expect(renew.json().report).toEqual([
      { productId: tea.id, outcome: "renewed", previousPrice: eur(450), currentPrice: eur(500), priceChanged: true },
    ]);
    expect(renew.json().cart).toMatchObject({ lines: [{ status: "live", unitPrice: eur(500) }], subtotal: eur(1000) });
  });
});
