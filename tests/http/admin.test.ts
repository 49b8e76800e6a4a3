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
let keys = 0;
const stock = (id: string, delta: number, key: string | null = `stock-key-${++keys}`) =>
  api.request({ method: "POST", url: `/api/admin/products/${id}/stock`, headers: { ...admin.headers, ...(key === null ? {} : { "idempotency-key": key }) }, payload: { delta } });
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
    expect((await stock(tea.id, 4)).json()).toMatchObject({ stock: 9, reserved: 3, available: 6 });
    const below = await stock(tea.id, -7);
    expect(problemOf(below)).toMatchObject({ status: 409, code: "stock_below_reserved", field: "delta" });
    expect((await stock(tea.id, -6)).json().stock).toBe(3);
    expect(problemOf(await stock(tea.id, 0.5)).field).toBe("delta");
  });

  it("refuses a delta without an Idempotency-Key, naming the header, and changes nothing (a relative change must be retry-safe)", async () => {
    expect(problemOf(await stock(tea.id, 4, null))).toMatchObject({ status: 400, code: "missing_field", field: "idempotency-key", in: "header" });
    expect((await as(admin, "GET", `/api/products/${tea.id}`)).json().available).toBe(5);
  });

  it("applies a delta once per key: the same request again replays the product (invariant: a retry never applies a delta twice)", async () => {
    expect((await stock(tea.id, 4, "restock-0001")).json().stock).toBe(9);
    const again = await stock(tea.id, 4, "restock-0001");
    expect([again.statusCode, again.headers["idempotent-replayed"], again.json().stock]).toEqual([200, "true", 9]);
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

  it("answers a repeated move (a retry after outcome unknown that had committed) with 409 saying the order is already there, changing nothing", async () => {
    const order = await placeOrder();
    const step = () => as(admin, "POST", `/api/admin/orders/${order.id}/status`, { status: "paid" });
    expect((await step()).json().status).toBe("paid");
    expect(problemOf(await step())).toMatchObject({ status: 409, code: "order_transition_not_allowed", detail: `Order ${order.id} is already paid; nothing was changed.` });
    expect((await as(admin, "GET", `/api/admin/orders?status=paid`)).json().items[0].history).toHaveLength(2);
  });

  it("answers 404 for an unknown order and 400 for an unknown status", async () => {
    expect(problemOf(await as(admin, "POST", "/api/admin/orders/nope/status", { status: "paid" })).status).toBe(404);
    expect(problemOf(await as(admin, "POST", "/api/admin/orders/nope/status", { status: "lost" }))).toMatchObject({ status: 400, field: "status" });
    expect(problemOf(await as(admin, "GET", "/api/admin/orders?status=lost"))).toMatchObject({ status: 400, field: "status" });
  });
});
