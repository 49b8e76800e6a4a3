import helmet from "helmet";
import { afterEach, describe, expect, it } from "vitest";
import { securityHeaders } from "../../adapters/http/security-headers.js";
import { makeTestApi, type TestApi } from "./support.js";

let api: TestApi | undefined;
afterEach(() => api?.close());

/** What helmet itself sets on a response, for the options the app used when it ran helmet per request. */
const helmetHeaders = () => {
  const sent: Record<string, string> = {};
  const res = { setHeader: (name: string, value: unknown) => void (sent[name.toLowerCase()] = String(value)), removeHeader: () => {} };
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })({} as never, res as never, () => {});
  return sent;
};

describe("securityHeaders", () => {
  it("are exactly the headers helmet's defaults send, without upgrade-insecure-requests", () => {
    expect(securityHeaders).toEqual(helmetHeaders());
  });

  it("are on every response: a route, an unknown route and a refusal", async () => {
    api = await makeTestApi();
    const responses = await Promise.all(["/health", "/no/such/route", "/api/cart"].map((url) => api!.request({ url })));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 404, 401]);
    for (const res of responses) expect(res.headers).toMatchObject(securityHeaders);
  });
});
