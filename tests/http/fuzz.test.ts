import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let callers: ReadonlyArray<Caller | undefined>;
let productIds: ReadonlyArray<string>;
beforeAll(async () => {
  api = await makeTestApi({ authLimits: { perIp: { max: 1_000_000, windowMs: 60_000 }, perAccount: { max: 1_000_000, windowMs: 60_000 } } });
  callers = [undefined, await api.user("customer"), await api.user("customer"), await api.user("admin")];
  productIds = [(await api.product({ stock: 3 })).id, (await api.product({ stock: 0 })).id];
});
afterAll(() => api.close());

const routes = [
  ["GET", "/health"], ["GET", "/health/ready"], ["GET", "/openapi.json"],
  ["POST", "/auth/register"], ["POST", "/auth/login"], ["GET", "/auth/me"],
  ["GET", "/api/products"], ["GET", "/api/products/:id"],
  ["GET", "/api/cart"], ["POST", "/api/cart/items"], ["PUT", "/api/cart/items/:id"], ["DELETE", "/api/cart/items/:id"],
  ["DELETE", "/api/cart"], ["POST", "/api/cart/renew"],
  ["POST", "/api/orders"], ["GET", "/api/orders"], ["GET", "/api/orders/:id"], ["POST", "/api/orders/:id/cancel"],
  ["POST", "/api/admin/products"], ["PATCH", "/api/admin/products/:id"], ["POST", "/api/admin/products/:id/stock"],
  ["GET", "/api/admin/orders"], ["POST", "/api/admin/orders/:id/status"], ["GET", "/api/admin/inventory"],
] as const;

const fields = ["productId", "quantity", "email", "password", "name", "expectedTotal", "id", "category", "price", "stock", "delta", "status", "amount", "currency", "limit", "cursor", "belowAvailable", "__proto__", "constructor"];

// Values near the edges of what each field accepts, and plain junk.
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 99, 100, 2 ** 53, -0, Number.MAX_SAFE_INTEGER, "", "EUR", "eur", "placed", "delivered", "a@b.co", "p1", null, true, []),
  fc.integer({ min: -1000, max: 1000 }),
  fc.string({ maxLength: 40 }),
  fc.record({ amount: fc.oneof(fc.integer(), fc.double()), currency: fc.constantFrom("EUR", "USD", "x") }),
  fc.jsonValue({ maxDepth: 2 }),
);
const bodyObject = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 });
const body = fc.oneof(
  bodyObject.map((o) => ({ payload: JSON.stringify(o), type: "application/json" })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ payload: JSON.stringify(v), type: "application/json" })),
  fc.string({ maxLength: 60 }).map((s) => ({ payload: s, type: "application/json" })),
  fc.string({ maxLength: 60 }).map((s) => ({ payload: s, type: "text/plain" })),
  fc.constant(undefined),
);
const segment = fc.oneof(fc.constantFrom("p1", "t-1", "..", "%", "%E0%A4%A", "a%2Fb", " "), fc.string({ maxLength: 80 }));
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 140 });
const query = fc.dictionary(fc.constantFrom(...fields, "x"), fc.oneof(printable, fc.array(printable, { maxLength: 2 })), { maxKeys: 3 });

const request = fc.record({
  route: fc.constantFrom(...routes),
  param: segment,
  useKnownProduct: fc.boolean(),
  query,
  body,
  caller: fc.nat(3),
  idempotencyKey: fc.option(printable, { nil: undefined }),
  authorization: fc.option(printable, { nil: undefined }),
});

describe("every route under generated input", () => {
  it("answers 4xx or 2xx, never 5xx, and every error is a problem with a code", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, template] = r.route as (typeof routes)[number];
        const param = r.useKnownProduct ? (productIds[0] ?? "") : r.param;
        const path = template.replace(":id", /%/.test(param) ? param : encodeURIComponent(param));
        const qs = new URLSearchParams(Object.entries(r.query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]))).toString();
        const caller = callers[r.caller];
        const headers: Record<string, string> = {
          ...(caller ? caller.headers : {}),
          ...(r.authorization === undefined ? {} : { authorization: r.authorization }),
          ...(r.idempotencyKey === undefined ? {} : { "idempotency-key": r.idempotencyKey }),
          ...(r.body ? { "content-type": r.body.type } : {}),
        };
        const res = await api.request({ method, url: qs ? `${path}?${qs}` : path, headers, ...(r.body ? { payload: r.body.payload } : {}) });
        expect(res.statusCode, `${method} ${path}?${qs} ${r.body?.payload ?? ""} -> ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 1500 },
    );
  });
});
