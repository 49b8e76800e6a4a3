import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "./support.js";

let api: TestApi;
afterEach(() => api.close());

const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { lines, raw, stream };
};

describe("request logs", () => {
  it("carry the id the Lambda entry gives (API Gateway's) as the request id, and a client's own id only beside it", async () => {
    const logs = capture();
    api = await makeTestApi({ logger: { level: "info", stream: logs.stream } });
    // What adapters/lambda/api.ts hands the app for a request whose client sent `x-request-id: client-picked`.
    const res = await api.request({ url: "/health", headers: { "x-request-id": "HhcmqjRzoAMEVUQ=", "x-client-request-id": "client-picked" } });
    expect(res.headers["x-request-id"]).toBe("HhcmqjRzoAMEVUQ=");
    expect(logs.lines.filter((l) => l.msg === "request completed")).toEqual([expect.objectContaining({ reqId: "HhcmqjRzoAMEVUQ=", clientRequestId: "client-picked" })]);
  });

  it("are JSON lines carrying the request id, and never a password, a token or a hash", async () => {
    const logs = capture();
    api = await makeTestApi({ logger: { level: "info", stream: logs.stream } });
    const password = "very-secret-password";
    const reg = await api.request({ method: "POST", url: "/auth/register", payload: { email: "log@example.com", password, name: "Log" } });
    const { token } = reg.json();
    await api.request({ method: "POST", url: "/auth/login", payload: { email: "log@example.com", password: "wrong-password" } });
    await api.request({ url: "/auth/me", headers: { authorization: `Bearer ${token}`, "x-request-id": "trace-42" } });
    await api.request({ method: "POST", url: "/auth/register", payload: { email: "bad", password: "short" } });

    const me = logs.lines.filter((l) => l.reqId === "trace-42");
    expect(me).toEqual([expect.objectContaining({ msg: "request completed", method: "GET", route: "/auth/me", statusCode: 200, ms: expect.any(Number) })]);
    const all = logs.raw.join("\n");
    expect(all).not.toContain(password);
    expect(all).not.toContain("wrong-password");
    expect(all).not.toContain(token);
    expect(all).not.toContain("scrypt$");
    expect(logs.lines.some((l) => l.code === "invalid_credentials")).toBe(true);
  });
});
