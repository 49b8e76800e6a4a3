import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Product } from "../../domain/index.js";
import { eur, holdTtlMs as ttl, makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let admin: Caller;
let shopper: Caller;
let tea: Product;
beforeEach(async () => {
  api = await makeTestApi();
  admin = await api.user("admin");
  shopper = await api.user();
  tea = await api.product({ name: "Tea", stock: 6, price: eur(450), lowStockThreshold: 5 });
});
afterEach(() => api.close());

const as = (caller: Caller | undefined, method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
  api.request({ method, url, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) });

describe("admin catalog routes", () => {
  it.each([
    ["GET", "/api/admin/products"],
    ["POST", "/api/admin/products/x/archive"],
    ["POST", "/api/admin/products/x/unarchive"],
  ] as const)("%s %s is 401 without a token and 403 with a customer's", async (method, url) => {
    expect(problemOf(await as(undefined, method, url)).status).toBe(401);
    expect(problemOf(await as(shopper, method, url))).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("GET /api/admin/products lists stock, reserved, available and the low-stock flag per product, paged, by category and archived state", async () => {
    await api.product({ name: "Cup", category: "ware", stock: 50 });
    await as(shopper, "POST", "/api/cart/items", { productId: tea.id, quantity: 2 });

    const first = await as(admin, "GET", "/api/admin/products?limit=1");
    const teaOnly = await as(admin, "GET", "/api/admin/products?category=tea&archived=false");

    expect(first.json().items).toEqual([expect.objectContaining({ name: "Cup", stock: 50, reserved: 0, available: 50, lowStock: false, archived: false })]);
    expect((await as(admin, "GET", `/api/admin/products?limit=1&cursor=${first.json().nextCursor}`)).json().items[0]).toMatchObject({
      id: tea.id, stock: 6, reserved: 2, available: 4, lowStockThreshold: 5, lowStock: true,
    });
    expect(teaOnly.json().items.map((p: Product) => p.id)).toEqual([tea.id]);
    expect(problemOf(await as(admin, "GET", "/api/admin/products?archived=yes"))).toMatchObject({ status: 400, field: "archived", in: "query" });
    expect(problemOf(await as(admin, "GET", "/api/admin/products?cursor=bm9wZQ"))).toMatchObject({ status: 400, code: "cursor_invalid", field: "cursor" });
  });

  it("archiving takes a product out of the catalog, its category count and new carts (409 product_archived) while a live hold can still be checked out; unarchive restores it", async () => {
    await as(shopper, "POST", "/api/cart/items", { productId: tea.id, quantity: 1 });
    const archived = await as(admin, "POST", `/api/admin/products/${tea.id}/archive`);
    const other = await api.user();

    expect(archived.json()).toMatchObject({ id: tea.id, archived: true, archivedAt: expect.any(String) });
    expect((await as(admin, "POST", `/api/admin/products/${tea.id}/archive`)).json()).toEqual(archived.json());
    expect(problemOf(await as(undefined, "GET", `/api/products/${tea.id}`))).toMatchObject({ status: 404, code: "product_not_found" });
    expect((await as(undefined, "GET", "/api/products")).json().items).toEqual([]);
    expect((await as(undefined, "GET", "/api/categories")).json()).toEqual({ items: [] });
    expect(problemOf(await as(other, "POST", "/api/cart/items", { productId: tea.id, quantity: 1 }))).toMatchObject({ status: 409, code: "product_archived", field: "productId" });
    const order = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "archived-hold-1" } });
    expect(order.statusCode).toBe(201);

    await as(admin, "POST", `/api/admin/products/${tea.id}/unarchive`);
    expect((await as(undefined, "GET", "/api/categories")).json()).toEqual({ items: [{ category: "tea", products: 1 }] });
    expect((await as(other, "POST", "/api/cart/items", { productId: tea.id, quantity: 1 })).statusCode).toBe(200);
    expect(problemOf(await as(admin, "POST", "/api/admin/products/no-such/archive"))).toMatchObject({ status: 404, code: "product_not_found" });
  });
});

describe("POST /api/cart/renew on live lines", () => {
  it("extends a live line by the hold TTL from now at its price, up to the maximum age, then reports at_limit", async () => {
    await as(shopper, "POST", "/api/cart/items", { productId: tea.id, quantity: 1 });
    const takenAt = api.clock.now();
    await as(admin, "PATCH", `/api/admin/products/${tea.id}`, { price: eur(999) });
    api.clock.advance(ttl / 2);

    const renew = await as(shopper, "POST", "/api/cart/renew");

    expect(renew.json().report).toEqual([{ productId: tea.id, outcome: "extended", expiresAt: new Date(api.clock.now() + ttl).toISOString() }]);
    expect(renew.json().cart.lines[0]).toMatchObject({ unitPrice: eur(450), status: "live" });
    for (let i = 0; i < 5; i++) {
      api.clock.advance(ttl / 2);
      await as(shopper, "POST", "/api/cart/renew");
    }
    api.clock.advance(ttl / 2);
    const last = await as(shopper, "POST", "/api/cart/renew");
    expect(last.json().report).toEqual([{ productId: tea.id, outcome: "at_limit", expiresAt: new Date(takenAt + 4 * ttl).toISOString() }]);
  });
});
