import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProduct, type Currency, type Money, type UserId } from "../../domain/index.js";
import { startLiveApi, type LiveApi } from "./dynamo-app.js";

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
  const price = { amount: 999, currency: "EUR" as Currency } as Money;
  await api.runtime.runPromise(createProduct({ id: "last-units" as never, name: "Last Units", category: "tea", price, stock: 20 }));
});
afterAll(() => api?.close());

describe("POST /api/cart/items under contention, over HTTP on DynamoDB Local", () => {
  it("lets exactly 20 of 100 concurrent customers hold the 20 units; the rest get 409 problems (invariant: no oversell)", async () => {
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => api.tokens.issue({ id: `racer-${i}` as UserId, role: "customer" })));
    const results = await Promise.all(
      tokens.map((token) => api.fetchJson("/api/cart/items", { method: "POST", token, body: { productId: "last-units", quantity: 1 } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.map((r) => r.status)).toEqual(Array(80).fill(409));
    for (const r of refused) expect(r.body).toMatchObject({ code: "insufficient_stock", status: 409 });
    expect((await api.fetchJson("/api/products/last-units")).body.available).toBe(0);
  });
});
