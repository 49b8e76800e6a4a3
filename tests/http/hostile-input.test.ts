/** Issue 19: no body, query or header can make a 5xx (the API 5xx alarm pages on one). */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

/** Generated requests on top of the fixed cases: quick by default, HOSTILE_INPUT_RUNS=5000 for a deeper run. */
const generatedRuns = Number(process.env.HOSTILE_INPUT_RUNS ?? 300);

let api: TestApi;
let customer: Caller;
let admin: Caller;
let routes: ReadonlyArray<{ readonly method: string; readonly path: string; readonly admin: boolean }>;
beforeAll(async () => {
  const unlimited = { max: 1_000_000, windowMs: 60_000 };
  api = await makeTestApi({ authLimits: { perIp: unlimited, perAccount: unlimited } });
  customer = await api.user("customer");
  admin = await api.user("admin");
  const product = await api.product({ stock: 3 });
  // Every route the app documents, so a new route is fuzzed without editing this file.
  const paths = (await api.request({ url: "/openapi.json" })).json().paths as Record<string, Record<string, unknown>>;
  routes = [
    ...Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, product.id), admin: path.startsWith("/api/admin") })),
    ),
    { method: "GET", path: "/openapi.json", admin: false },
    { method: "GET", path: "/docs", admin: false },
  ];
});
afterAll(() => api.close());

const nested = (depth: number, open: string, close: string, inner = "1") => open.repeat(depth) + inner + close.repeat(depth);
const json = "application/json";

/** Bodies a schema never expects: deep, huge, odd-typed, not UTF-8, not JSON. */
const hostileBodies: ReadonlyArray<{ readonly name: string; readonly payload: string | Buffer; readonly type?: string }> = [
  { name: "5,000 nested arrays", payload: nested(5000, "[", "]") },
  { name: "5,000 nested objects", payload: nested(5000, '{"a":', "}") },
  { name: "deep arrays in a field", payload: `{"email":${nested(3000, "[", "]")},"password":"x","name":"y"}` },
  { name: "nesting just under the bound in a field", payload: `{"email":${nested(31, "[", "]")},"password":"xxxxxxxx","name":"y","productId":${nested(30, "[", "]")}}` },
  { name: "brackets inside strings only", payload: JSON.stringify({ name: "[".repeat(5000), email: "{".repeat(5000) }) },
  { name: "a 60 KB string in a field", payload: JSON.stringify({ email: "a".repeat(60_000) + "@x.io", password: "p".repeat(1000), name: "n" }) },
  { name: "10,000 numbers in a field", payload: JSON.stringify({ quantity: Array.from({ length: 10_000 }, (_, i) => i) }) },
  { name: "5,000 unknown keys", payload: JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))) },
  { name: "over the size limit", payload: JSON.stringify({ name: "x".repeat(70_000) }) },
  { name: "odd types", payload: JSON.stringify({ email: 1, password: {}, name: [], productId: true, quantity: "2", delta: 1e308, status: null, expectedTotal: { amount: "1", currency: 5 } }) },
  { name: "huge and negative numbers", payload: '{"quantity":1e999,"delta":-1e999,"stock":123456789012345678901234567890,"price":{"amount":-0,"currency":"EUR"}}' },
  { name: "lone surrogates and controls", payload: '{"name":"\\ud800\\u0000\\u202e","email":"a\\u0000@b.co","password":"\\udfff\\udfff\\udfff\\udfff"}' },
  { name: "prototype keys", payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
  { name: "scalars", payload: "null" },
  { name: "a bare string", payload: '"x"' },
  { name: "invalid UTF-8 bytes", payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  { name: "UTF-16 declared", payload: Buffer.from('{"name":"x"}', "utf16le"), type: "application/json; charset=utf-16" },
  { name: "truncated JSON", payload: '{"email":"a@b.co","password":' },
  { name: "plain text", payload: "hello", type: "text/plain" },
  { name: "a form", payload: "email=a%40b.co&password=x", type: "application/x-www-form-urlencoded" },
  { name: "multipart", payload: "--b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--b--", type: "multipart/form-data; boundary=b" },
  { name: "a made-up media type", payload: "{}", type: "application/x-anything" },
];

const hostileQueries: ReadonlyArray<string> = [
  "limit=1e3&cursor=%00",
  "limit=99999999999999999999&belowAvailable=-1",
  `cursor=${"A".repeat(6000)}`,
  Array.from({ length: 1000 }, (_, i) => `limit=${i}`).join("&"),
  "a[b][c][d][e][f][g][h]=1&__proto__[x]=1&constructor[prototype]=1",
  "status=%FF%FE&type=%C0%AF&orderId=%E0%A4%A",
  "category=%0d%0aSet-Cookie:x&limit=%20",
];

const hostileHeaders: ReadonlyArray<Record<string, string>> = [
  { authorization: `Bearer ${"a".repeat(8000)}` },
  { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." },
  { authorization: "Basic Zm9vOmJhcg==" },
  { "idempotency-key": "\u00ff\u00fe\u00e9".repeat(20) },
  { "idempotency-key": "k".repeat(4000) },
  { "x-request-id": "../../etc/passwd\u00ff", accept: "*/*;q=NaN" },
  { "stripe-signature": "t=,v1=" + "z".repeat(3000) },
];

const send = async (route: (typeof routes)[number], extra: { payload?: string | Buffer; type?: string; query?: string; headers?: Record<string, string> }) => {
  const caller = route.admin ? admin : customer;
  const headers = { ...caller.headers, ...(extra.payload === undefined ? {} : { "content-type": extra.type ?? json }), ...extra.headers };
  const url = extra.query ? `${route.path}?${extra.query}` : route.path;
  const res = await api.request({ method: route.method as "GET", url, headers, ...(extra.payload === undefined ? {} : { payload: extra.payload }) });
  expect(res.statusCode, `${route.method} ${url} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) expect(problemOf(res).code).toMatch(/^[a-z_]+$/);
  return res;
};

describe("every route under hostile input", () => {
  it("answers 400 body_too_deep to 5,000 nested arrays sent to /auth/login and /auth/register (regression: a 500 from formatting the decode error)", async () => {
    for (const url of ["/auth/login", "/auth/register"]) {
      const res = await api.request({ method: "POST", url, headers: { "content-type": json }, payload: nested(5000, "[", "]") });
      expect(problemOf(res)).toMatchObject({ status: 400, code: "body_too_deep" });
    }
  });

  it("answers 415 to a text/plain body, as documented (regression: was a 400)", async () => {
    const res = await api.request({ method: "POST", url: "/auth/login", headers: { "content-type": "text/plain" }, payload: "x" });
    expect(problemOf(res)).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });

  it("answers every fixed hostile body, query and header on every route below 500, with a problem", async () => {
    expect(routes.length).toBeGreaterThanOrEqual(27);
    let sent = 0;
    for (const route of routes) {
      for (const body of hostileBodies) {
        await send(route, { payload: body.payload, ...(body.type ? { type: body.type } : {}) });
        sent++;
      }
      for (const query of hostileQueries) {
        await send(route, { query });
        sent++;
      }
      for (const headers of hostileHeaders) {
        await send(route, { headers, payload: "{}" });
        sent++;
      }
    }
    expect(sent).toBe(routes.length * (hostileBodies.length + hostileQueries.length + hostileHeaders.length));
  });

  it("answers generated nestings, sizes and byte strings on every route below 500", async () => {
    const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
    const deepValue = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie("v"), { maxKeys: 3 })),
    })).v;
    const payload = fc.oneof(
      bytes,
      deepValue.map((v) => JSON.stringify(v) ?? "null"),
      fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom("[", '{"a":', '{"name":[')).map(([n, open]) => nested(n, open, open === "[" ? "]" : open === '{"name":[' ? "]}" : "}")),
      fc.string({ unit: "binary", maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(routes.length - 1), payload, fc.constantFrom(json, "application/json; charset=latin1", "text/plain", "application/octet-stream"), async (i, p, type) => {
        await send(routes[i]!, { payload: p, type });
      }),
      { numRuns: generatedRuns },
    );
  });
});
