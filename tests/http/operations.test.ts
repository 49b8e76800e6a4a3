import { Effect, Layer } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { PersistenceUnavailable, ProductImageStore, ProductStore } from "../../domain/index.js";
import { memoryStores } from "../../adapters/memory/layer.js";
import { bodyLimit } from "../../adapters/http/app.js";
import { makeTestApi, problemOf, type TestApi } from "./support.js";

let api: TestApi;
afterEach(() => api?.close());

/** Every read of one product fails: the readiness probe's and the product page's. */
const storesWithBrokenGet = (failure: Effect.Effect<never, PersistenceUnavailable>) =>
  Layer.provideMerge(
    Layer.merge(
      Layer.effect(ProductStore, Effect.map(ProductStore, (store) => ({ ...store, get: () => failure }))),
      Layer.effect(ProductImageStore, Effect.map(ProductImageStore, (store) => ({ ...store, withImages: () => failure }))),
    ),
    memoryStores(),
  );

describe("GET /health and /health/ready", () => {
  it("answers liveness and readiness when the store answers", async () => {
    api = await makeTestApi();
    expect((await api.request({ url: "/health" })).json()).toEqual({ status: "ok" });
    expect((await api.request({ url: "/health/ready" })).json()).toEqual({ status: "ready" });
  });

  it("answers 503 with Retry-After when the store is unreachable", async () => {
    api = await makeTestApi({ stores: storesWithBrokenGet(Effect.fail(new PersistenceUnavailable({ operation: "get" }))) });
    const res = await api.request({ url: "/health/ready" });
    expect(problemOf(res)).toMatchObject({ status: 503, code: "store_unavailable" });
    expect(res.headers["retry-after"]).toBe("2");
    expect((await api.request({ url: "/health" })).statusCode).toBe(200);
  });

  it("answers a defect with a bare 500 problem that reveals nothing of it", async () => {
    api = await makeTestApi({ stores: storesWithBrokenGet(Effect.die(new Error("secret connection string xyz"))) });
    const res = await api.request({ url: "/api/products/anything" });
    expect(problemOf(res)).toMatchObject({ status: 500, code: "internal_error" });
    expect(res.body).not.toContain("xyz");
  });
});

describe("request handling", () => {
  it("answers unknown routes, malformed JSON, wrong content types and oversize bodies with 4xx problems", async () => {
    api = await makeTestApi();
    const { headers } = await api.user();
    expect(problemOf(await api.request({ url: "/nope" }))).toMatchObject({ status: 404, code: "route_not_found" });
    const post = (payload: string, contentType = "application/json") =>
      api.request({ method: "POST", url: "/api/cart/items", headers: { ...headers, "content-type": contentType }, payload });
    expect(problemOf(await post('{"productId": "a",'))).toMatchObject({ status: 400, code: "malformed_json" });
    expect(problemOf(await post('{"__proto__": {"x": 1}}'))).toMatchObject({ status: 400, code: "malformed_json" });
    expect(problemOf(await post("[1, 2]"))).toMatchObject({ status: 400, code: "invalid_body", in: "body" });
    expect(problemOf(await post(""))).toMatchObject({ status: 400, code: "invalid_body" });
    expect(problemOf(await post("productId=a", "application/x-www-form-urlencoded"))).toMatchObject({ status: 415, code: "unsupported_media_type" });
    const huge = JSON.stringify({ productId: "a", quantity: 1, pad: "x".repeat(bodyLimit) });
    expect(problemOf(await post(huge))).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("answers a malformed percent-encoding in a path with a 400 problem (fuzz regression)", async () => {
    api = await makeTestApi();
    expect(problemOf(await api.request({ method: "DELETE", url: "/api/cart/items/%" }))).toMatchObject({ status: 400, code: "bad_request" });
  });

  it("echoes a caller's X-Request-Id, or makes one up", async () => {
    api = await makeTestApi();
    expect((await api.request({ url: "/health", headers: { "x-request-id": "abc-123" } })).headers["x-request-id"]).toBe("abc-123");
    const made = (await api.request({ url: "/health", headers: { "x-request-id": "bad id\n" } })).headers["x-request-id"];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("security headers and CORS", () => {
  it("sends helmet's headers and lets only allowlisted origins read responses", async () => {
    api = await makeTestApi({ corsOrigins: ["https://shop.example"] });
    const allowed = await api.request({ url: "/health", headers: { origin: "https://shop.example" } });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://shop.example");
    expect(allowed.headers["x-content-type-options"]).toBe("nosniff");
    expect(allowed.headers["content-security-policy"]).toContain("default-src 'self'");
    const other = await api.request({ url: "/health", headers: { origin: "https://evil.example" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await api.request({
      method: "OPTIONS",
      url: "/api/orders",
      headers: { origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "idempotency-key" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-headers"]).toContain("idempotency-key");
  });
});

describe("GET /openapi.json and /docs", () => {
  it("describes every route with schemas generated from the domain's", async () => {
    api = await makeTestApi();
    const spec = (await api.request({ url: "/openapi.json" })).json();
    expect(spec.openapi).toBe("3.1.0");
    const routes = Object.entries(spec.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(routes).toHaveLength(34);
    const add = spec.paths["/api/cart/items"].post;
    const body = add.requestBody.content["application/json"].schema;
    expect(body.properties.quantity).toMatchObject({ type: "integer", minimum: 1, maximum: 99 });
    expect(body.additionalProperties).toBe(false);
    expect(add.security).toEqual([{ bearerAuth: [] }]);
    expect(add.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "idempotency-key", required: false }));
    expect(add.responses["4XX"].content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
    expect(spec.components.schemas.Problem.required).toContain("code");
  });

  it("documents a stock delta's Idempotency-Key as required and, on writes, the 503 that means the outcome is unknown", async () => {
    api = await makeTestApi();
    const spec = (await api.request({ url: "/openapi.json" })).json();
    const stock = spec.paths["/api/admin/products/{id}/stock"].post;
    expect(stock.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "idempotency-key", required: true }));
    expect(stock.responses["5XX"].description).toMatch(/store_outcome_unknown.*same Idempotency-Key/);
    expect(spec.paths["/api/products"].get.responses["5XX"].description).not.toContain("store_outcome_unknown");
  });

  it("serves Swagger UI whose scripts the Content-Security-Policy allows", async () => {
    api = await makeTestApi();
    const page = await api.request({ url: "/docs" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger-ui-bundle.js");
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect(page.headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
    const script = await api.request({ url: "/docs/static/swagger-initializer.js" });
    expect(script.body).toContain("resolveUrl('./json')");
    expect((await api.request({ url: "/docs/json" })).json().openapi).toBe("3.1.0");
    expect((await api.request({ url: "/docs/static/swagger-ui-bundle.js" })).statusCode).toBe(200);
  });
});
