/** Issue 19: tokens and personal data are never cached; docs only where a stack turns them on. */
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../adapters/config.js";
import { makeTestApi, type TestApi } from "./support.js";

let api: TestApi | undefined;
afterEach(() => api?.close());

describe("Cache-Control on answers", () => {
  it("is no-store on every answer that carries a token or personal data, and absent on the public catalog", async () => {
    api = await makeTestApi();
    const shopper = await api.user("customer");
    const admin = await api.user("admin");
    const product = await api.product();
    const register = await api.request({ method: "POST", url: "/auth/register", payload: { email: "cc@example.com", password: "correct horse", name: "Cc" } });
    const login = await api.request({ method: "POST", url: "/auth/login", payload: { email: "cc@example.com", password: "correct horse" } });
    const privateAnswers = [
      register,
      login,
      await api.request({ url: "/auth/me", headers: shopper.headers }),
      await api.request({ url: "/api/cart", headers: shopper.headers }),
      await api.request({ url: "/api/orders", headers: shopper.headers }),
      await api.request({ url: "/api/admin/orders", headers: admin.headers }),
    ];
    for (const res of privateAnswers) {
      expect(res.statusCode, res.body).toBeLessThan(300);
      expect(res.headers["cache-control"], res.raw.req.url).toBe("no-store");
    }
    expect((await api.request({ url: `/api/products/${product.id}` })).headers["cache-control"]).toBeUndefined();
  });
});

describe("Docs routes", () => {
  it("are served when enabled (locally by default) and are an unknown route when a stack leaves them off", async () => {
    api = await makeTestApi();
    expect((await api.request({ url: "/openapi.json" })).statusCode).toBe(200);
    await api.close();
    api = await makeTestApi({ docs: { enabled: false } });
    for (const url of ["/openapi.json", "/docs", "/docs/static/index.html"]) expect((await api.request({ url })).statusCode, url).toBe(404);
  });

  it("are off on Lambda unless API_DOCS=true, and on locally unless API_DOCS=false", () => {
    const lambda = { TABLE_NAME: "t", JWT_SECRET: "s".repeat(32) };
    expect(loadConfig(lambda, "lambda").docs).toBe(false);
    expect(loadConfig({ ...lambda, API_DOCS: "true" }, "lambda").docs).toBe(true);
    expect(loadConfig({}, "local").docs).toBe(true);
    expect(loadConfig({ API_DOCS: "false" }, "local").docs).toBe(false);
    expect(() => loadConfig({ ...lambda, API_DOCS: "yes" }, "lambda")).toThrow('Invalid configuration: API_DOCS must be "true" or "false"');
  });
});
