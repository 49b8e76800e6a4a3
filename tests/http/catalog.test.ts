import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eur, makeTestApi, problemOf, type TestApi } from "./support.js";

let api: TestApi;
beforeEach(async () => {
  api = await makeTestApi();
});
afterEach(() => api.close());

describe("GET /api/products", () => {
  it("pages through the catalog by name with an opaque cursor, and filters by category", async () => {
    for (const [name, category] of [["Cedar", "home"], ["Apple", "garden"], ["Birch", "home"]] as const) {
      await api.product({ name, category });
    }
    const first = await api.request({ url: "/api/products?limit=2" });
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((p: { name: string }) => p.name)).toEqual(["Apple", "Birch"]);
    const second = await api.request({ url: `/api/products?limit=2&cursor=${first.json().nextCursor}` });
    expect(second.json()).toMatchObject({ items: [{ name: "Cedar" }], nextCursor: null });
    const home = await api.request({ url: "/api/products?category=home" });
    expect(home.json().items.map((p: { name: string }) => p.name)).toEqual(["Birch", "Cedar"]);
  });

  it("shows a buyer what is available, not the internal counters", async () => {
    const p = await api.product({ stock: 5, price: eur(1234) });
    const res = await api.request({ url: `/api/products/${p.id}` });
    expect(res.json()).toEqual({ id: p.id, name: p.name, category: "tea", description: "", price: { amount: 1234, currency: "EUR" }, available: 5, images: [] });
  });

  it.each([
    ["limit=0", "limit", "invalid_field"],
    ["limit=101", "limit", "invalid_field"],
    ["limit=2.5", "limit", "invalid_field"],
    ["limit=-1", "limit", "invalid_field"],
    ["limit=1&limit=2", "limit", "invalid_field"],
    ["category=Not%20A%20Slug", "category", "invalid_field"],
    ["sort=price", "sort", "unknown_field"],
  ])("refuses the query %s with 400 naming %s", async (qs, field, code) => {
    const res = await api.request({ url: `/api/products?${qs}` });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res)).toMatchObject({ code, field, in: "query" });
  });

  it("refuses a cursor it did not issue", async () => {
    const res = await api.request({ url: "/api/products?cursor=bm90LWEtY3Vyc29y" });
    expect(problemOf(res)).toMatchObject({ status: 400, code: "cursor_invalid", field: "cursor" });
  });
});

describe("GET /api/products/:id", () => {
  it("answers 404 for an unknown product and 400 for an id that cannot exist", async () => {
    expect(problemOf(await api.request({ url: "/api/products/nope" }))).toMatchObject({ status: 404, code: "product_not_found" });
    expect(problemOf(await api.request({ url: "/api/products/a.b" }))).toMatchObject({ status: 400, field: "id", in: "params" });
  });
});
