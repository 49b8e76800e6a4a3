import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maxStock, type Currency, type Money, type Product } from "../../domain/index.js";
import { makeMemoryDb, memoryStores, type MemoryDb } from "../../adapters/memory/layer.js";
import { eur, holdTtlMs, makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let db: MemoryDb;
let shopper: Caller;
let admin: Caller;
let tea: Product;
beforeEach(async () => {
  db = makeMemoryDb();
  api = await makeTestApi({ stores: memoryStores(db) });
  shopper = await api.user();
  admin = await api.user("admin");
  tea = await api.product({ stock: 5, price: eur(450) });
});
afterEach(() => api.close());

const usd = (amount: number) => ({ amount, currency: "USD" as Currency }) as Money;
const add = (productId: string, quantity: number, key?: string) =>
  api.request({ method: "POST", url: "/api/cart/items", headers: { ...shopper.headers, ...(key ? { "idempotency-key": key } : {}) }, payload: { productId, quantity } });
const restock = (productId: string, delta: number, key?: string) =>
  api.request({ method: "POST", url: `/api/admin/products/${productId}/stock`, headers: { ...admin.headers, ...(key ? { "idempotency-key": key } : {}) }, payload: { delta } });
const available = async (id: string) => (await api.request({ url: `/api/products/${id}` })).json().available as number;

describe("POST /api/cart/items and POST /api/admin/products/:id/stock with an Idempotency-Key", () => {
  it("adds to the cart once: the retry of a lost reply answers 200 with the cart, Idempotent-Replayed, and holds nothing more", async () => {
    const first = await add(tea.id, 2, "add-key-0001");
    const retry = await add(tea.id, 2, "add-key-0001");
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.json()).toEqual(first.json());
    expect(await available(tea.id)).toBe(3);
    expect(problemOf(await add(tea.id, 1, "add-key-0001"))).toMatchObject({ status: 409, code: "idempotency_key_reused", field: "Idempotency-Key" });
  });

  it("changes stock once: the retry of a lost reply answers 200 with the product, Idempotent-Replayed, and no phantom units", async () => {
    const first = await restock(tea.id, 10, "stock-key-01");
    const retry = await restock(tea.id, 10, "stock-key-01");
    expect([first.json().stock, retry.json().stock]).toEqual([15, 15]);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(await available(tea.id)).toBe(15);
  });

  it("refuses a malformed key with 400 naming the header", async () => {
    expect(problemOf(await add(tea.id, 1, "short"))).toMatchObject({ status: 400, field: "idempotency-key", in: "header" });
    expect(problemOf(await restock(tea.id, 1, "has spaces in it"))).toMatchObject({ status: 400, field: "idempotency-key", in: "header" });
  });
});

describe("stock bounds, line cap and one currency per cart over HTTP", () => {
  it(`answers 422 naming delta for a change taking stock above ${maxStock}, and changes nothing`, async () => {
    await restock(tea.id, maxStock - 5, "stock-key-02");
    expect(problemOf(await restock(tea.id, 1, "stock-key-03"))).toMatchObject({ status: 422, code: "stock_out_of_range", field: "delta" });
    expect(await available(tea.id)).toBe(maxStock);
  });

  it("answers 409 for a 41st line", async () => {
    for (let i = 0; i < 40; i++) expect((await add((await api.product({ stock: 1 })).id, 1)).statusCode).toBe(200);
    expect(problemOf(await add(tea.id, 1))).toMatchObject({ status: 409, code: "cart_line_limit" });
  });

  it("answers 409 naming both currencies when a line would join, or be renewed into, a cart in another currency", async () => {
    const bourbon = await api.product({ stock: 5, price: usd(3000) });
    await add(tea.id, 1);
    const mixed = problemOf(await add(bourbon.id, 1));
    expect(mixed).toMatchObject({ status: 409, code: "cart_currency_mismatch", field: "productId" });
    expect(mixed.detail).toContain("EUR");
    expect(mixed.detail).toContain("USD");

    api.clock.advance(holdTtlMs + 1);
    await api.request({ method: "PATCH", url: `/api/admin/products/${tea.id}`, headers: admin.headers, payload: { price: usd(500) } });
    const renew = await api.request({ method: "POST", url: "/api/cart/renew", headers: shopper.headers });
    expect(problemOf(renew)).toMatchObject({ status: 409, code: "cart_currency_mismatch" });
    expect((await api.request({ url: "/api/cart", headers: shopper.headers })).json().lines).toMatchObject([{ unitPrice: eur(450) }]);
  });

  it("never adds amounts of two currencies in the cart view: a mixed cart from older data shows no subtotal", async () => {
    const bourbon = await api.product({ stock: 5, price: usd(3000) });
    await add(tea.id, 1);
    const lines = db.carts.get(shopper.userId)!;
    const [line] = [...lines.values()];
    lines.set(bourbon.id, { ...line!, productId: bourbon.id, unitPrice: usd(3000) });
    const cart = (await api.request({ url: "/api/cart", headers: shopper.headers })).json();
    expect(cart.lines.map((l: { lineTotal: Money }) => l.lineTotal)).toHaveLength(2);
    expect(cart.lines.map((l: { lineTotal: Money }) => l.lineTotal)).toEqual(expect.arrayContaining([eur(450), usd(3000)]));
    expect(cart.subtotal).toBeNull();
  });
});
