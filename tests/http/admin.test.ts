import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Product } from "../../domain/index.js";
import { eur, makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let admin: Caller;
let shopper: Caller;
let tea: Product;
beforeEach(async () => {
  api = await makeTestApi();
  admin = await api.user("admin");
  shopper = await api.user();
  tea = await api.product({ stock: 5, price: eur(450) });
});
afterEach(() => api.close());

const as = (caller: Caller | undefined, method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
  api.request({ method, url, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) });
const newProduct = { name: "Oolong", category: "tea", price: eur(1299), stock: 7 };
const placeOrder = async (quantity = 1) => {
  await as(shopper, "POST", "/api/cart/items", { productId: tea.id, quantity });
  const res = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": `key-${Math.random()}` } });
  return res.json() as { id: string };
};

describe("admin routes", () => {
  it.each([
    ["POST", "/api/admin/products", newProduct],
    ["PATCH", "/api/admin/products/x", { name: "X" }],
    ["POST", "/api/admin/products/x/stock", { delta: 1 }],
    ["GET", "/api/admin/orders", undefined],
    ["POST", "/api/admin/orders/x/status", { status: "paid" }],
    ["GET", "/api/admin/inventory", undefined],
  ] as const)("%s %s is 401 without a token and 403 with a customer's", async (method, url, payload) => {
    expect(problemOf(await as(undefined, method, url, payload)).status).toBe(401);
    expect(problemOf(await as(shopper, method, url, payload))).toMatchObject({ status: 403, code: "forbidden" });
  });
});

describe("POST /api/admin/products", () => {
  it("creates a product with a generated id, or the id given, and refuses a duplicate id", async () => {
    const res = await as(admin, "POST", "/api/admin/products", newProduct);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ...newProduct, description: "", reserved: 0, available: 7 });
    const named = await as(admin, "POST", "/api/admin/products", { ...newProduct, id: "oolong" });
    expect(named.json().id).toBe("oolong");
    const again = await as(admin, "POST", "/api/admin/products", { ...newProduct, id: "oolong" });
    expect(problemOf(again)).toMatchObject({ status: 409, code: "product_exists" });
  });

  it.each([
    [{ ...newProduct, price: { amount: 12.99, currency: "EUR" } }, "price.amount"],
    [{ ...newProduct, price: { amount: 1299, currency: "eur" } }, "price.currency"],
    [{ ...newProduct, stock: -1 }, "stock"],
    [{ ...newProduct, category: "Tea & Herbs" }, "category"],
    [{ ...newProduct, reserved: 3 }, "reserved"],
  ])("refuses %j naming %s", async (payload, field) => {
    expect(problemOf(await as(admin, "POST", "/api/admin/products", payload))).toMatchObject({ status: 400, field });
  });
});

describe("PATCH /api/admin/products/:id", () => {
  it("changes the price for new holds only: carts and orders keep the price the buyer saw", async () => {
    await as(shopper, "POST", "/api/cart/items", { productId: tea.id, quantity: 1 });
    const res = await as(admin, "PATCH", `/api/admin/products/${tea.id}`, { price: eur(999) });
    expect(res.json().price).toEqual(eur(999));
    const cart = await as(shopper, "GET", "/api/cart");
    expect(cart.json().lines[0].unitPrice).toEqual(eur(450));
    const order = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "key-patch-1" } });
    expect(order.json().total).toEqual(eur(450));
  });

  it("refuses an empty patch (400), counters in a patch (400), and an unknown product (404)", async () => {
    expect(problemOf(await as(admin, "PATCH", `/api/admin/products/${tea.id}`, {})).status).toBe(400);
    expect(problemOf(await as(admin, "PATCH", `/api/admin/products/${tea.id}`, { stock: 99 }))).toMatchObject({ status: 400, field: "stock" });
    expect(problemOf(await as(admin, "PATCH", "/api/admin/products/nope", { name: "X" })).status).toBe(404);
  });
});

describe("POST /api/admin/products/:id/stock", () => {
  it("adds and removes units but never below what carts hold (invariant: reserved <= stock)", async () => {
    await as(shopper, "POST", "/api/cart/items", { productId: tea.id, quantity: 3 });
    expect((await as(admin, "POST", `/api/admin/products/${tea.id}/stock`, { delta: 4 })).json()).toMatchObject({ stock: 9, reserved: 3, available: 6 });
    const below = await as(admin, "POST", `/api/admin/products/${tea.id}/stock`, { delta: -7 });
    expect(problemOf(below)).toMatchObject({ status: 409, code: "stock_below_reserved", field: "delta" });
    expect((await as(admin, "POST", `/api/admin/products/${tea.id}/stock`, { delta: -6 })).json().stock).toBe(3);
    expect(problemOf(await as(admin, "POST", `/api/admin/products/${tea.id}/stock`, { delta: 0.5 })).field).toBe("delta");
  });
});

describe("GET /api/admin/inventory", () => {
  it("reports products with fewer than belowAvailable units available, lowest first", async () => {
    const scarce = await api.product({ stock: 1 });
    await api.product({ stock: 50 });
    const res = await as(admin, "GET", "/api/admin/inventory?belowAvailable=6");
    expect(res.json().items.map((p: { id: string; available: number }) => [p.id, p.available])).toEqual([[scarce.id, 1], [tea.id, 5]]);
  });
});

describe("admin order handling", () => {
  it("lists orders by status and moves them along the lifecycle, refusing skipped steps", async () => {
    const order = await placeOrder();
    const placed = await as(admin, "GET", "/api/admin/orders?status=placed");
    expect(placed.json().items.map((o: { id: string }) => o.id)).toEqual([order.id]);
    const step = (status: string) => as(admin, "POST", `/api/admin/orders/${order.id}/status`, { status });
    expect((await step("paid")).json().status).toBe("paid");
    expect(problemOf(await step("delivered"))).toMatchObject({ status: 409, code: "order_transition_not_allowed" });
    expect((await step("packed")).json().history.map((h: { status: string; by: string }) => `${h.status}:${h.by}`)).toEqual([
      "placed:customer",
      "paid:admin",
      "packed:admin",
    ]);
    expect((await as(admin, "GET", "/api/admin/orders?status=packed")).json().items).toHaveLength(1);
  });

  it("answers 404 for an unknown order and 400 for an unknown status", async () => {
    expect(problemOf(await as(admin, "POST", "/api/admin/orders/nope/status", { status: "paid" })).status).toBe(404);
    expect(problemOf(await as(admin, "POST", "/api/admin/orders/nope/status", { status: "lost" }))).toMatchObject({ status: 400, field: "status" });
    expect(problemOf(await as(admin, "GET", "/api/admin/orders?status=lost"))).toMatchObject({ status: 400, field: "status" });
  });
});
