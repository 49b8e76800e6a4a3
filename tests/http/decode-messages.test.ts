import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { domainEventTypes } from "../../domain/index.js";
import { makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let admin: Caller;
beforeEach(async () => {
  api = await makeTestApi();
  admin = await api.user("admin");
});
afterEach(() => api.close());

describe("a request's decode error", () => {
  it("names every allowed event type when ?type= is not one", async () => {
    const problem = problemOf(await api.request({ url: "/api/admin/events?type=Nope", headers: admin.headers }));
    expect(problem).toMatchObject({ status: 400, field: "type" });
    for (const type of domainEventTypes) expect(problem.detail).toContain(`"${type}"`);
    expect(problem.detail).toMatch(/^Expected one of .* or "\w+"\.$/);
  });

  it("names every order status when a status change asks for an unknown one, without echoing the value sent", async () => {
    const res = await api.request({ method: "POST", url: "/api/admin/orders/o-1/status", headers: admin.headers, payload: { status: "lost" } });
    const problem = problemOf(res);
    expect(problem).toMatchObject({ status: 400, field: "status" });
    expect(problem.detail).toBe('Expected one of "placed", "paid", "packed", "shipped", "delivered" or "cancelled".');
    expect(res.body).not.toContain("lost");
  });

  it("describes a malformed email in words, not as a regular expression", async () => {
    const res = await api.request({ method: "POST", url: "/auth/register", payload: { email: "not-an-email", password: "password-123", name: "N" } });
    const problem = problemOf(res);
    expect(problem).toMatchObject({ status: 400, field: "email", detail: "Expected an email address such as name@example.com" });
  });

  it("describes a malformed category and currency in words", async () => {
    const headers = { ...admin.headers, "idempotency-key": "decode-msg-0001" };
    const payload = { name: "Tea", category: "-Bad", price: { amount: 100, currency: "EUR" }, stock: 1 };
    const category = problemOf(await api.request({ method: "POST", url: "/api/admin/products", headers, payload }));
    expect(category).toMatchObject({ field: "category", detail: 'Expected 1 to 40 lowercase letters, digits or "-", not starting with "-"' });
    const currency = problemOf(await api.request({ method: "POST", url: "/api/admin/products", headers, payload: { ...payload, category: "tea", price: { amount: 100, currency: "eur" } } }));
    expect(currency.detail).toBe("Expected a three-letter currency code such as EUR");
  });
});
