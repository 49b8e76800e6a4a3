/** API Gateway answers CORS itself (and drops the app's CORS headers): its configuration must be the app's. */
import { beforeAll, describe, expect, it } from "vitest";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { makeTestApi } from "../http/support.js";
import { env, named, types } from "./helpers.js";

const list = (header: unknown) =>
  String(header ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .sort();

describe.each(["dev", "staging", "prod"])("Stack %s: CORS in one place", (stack) => {
  let run: StackRun;
  beforeAll(async () => void (run = await runStack(stack)), 60_000);

  it("configures API Gateway with exactly the app's CORS: origins, methods, allowed and exposed headers, max age", async () => {
    const gateway = named(run, types.httpApi, "api-http").inputs.corsConfiguration as {
      allowOrigins: Array<string>;
      allowMethods: Array<string>;
      allowHeaders: Array<string>;
      exposeHeaders: Array<string>;
      maxAge: number;
    };
    const origins = String(env(named(run, types.fn, "api-function")).CORS_ORIGINS).split(",");
    expect(gateway.allowOrigins).toEqual(origins);
    const api = await makeTestApi({ corsOrigins: origins });
    try {
      const origin = origins[0]!;
      const preflight = await api.request({
        method: "OPTIONS",
        url: "/api/orders",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      });
      const plain = await api.request({ url: "/health", headers: { origin } });
      expect({
        methods: list(preflight.headers["access-control-allow-methods"]),
        allowHeaders: list(preflight.headers["access-control-allow-headers"]),
        exposeHeaders: list(plain.headers["access-control-expose-headers"]),
        maxAge: Number(preflight.headers["access-control-max-age"]),
      }).toEqual({
        methods: list(gateway.allowMethods.join(",")),
        allowHeaders: list(gateway.allowHeaders.join(",")),
        exposeHeaders: list(gateway.exposeHeaders.join(",")),
        maxAge: gateway.maxAge,
      });
      expect(gateway.exposeHeaders).toEqual(expect.arrayContaining(["idempotent-replayed", "retry-after", "x-request-id"]));
    } finally {
      await api.close();
    }
  });
});
