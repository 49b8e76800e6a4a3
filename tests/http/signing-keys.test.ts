import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTokens } from "../../adapters/http/auth/tokens.js";
import { keysFromParameter } from "../../adapters/signing-keys.js";
import type { UserId } from "../../domain/index.js";
import { type FakeSsm, startFakeSsm } from "../support/fake-ssm.js";
import { makeTestApi, problemOf } from "./support.js";

let ssm: FakeSsm;
const name = "/cartwright/test/jwt-signing-keys";
const [current, previous] = ["c".repeat(40), "p".repeat(40)];
const claims = { issuer: "cartwright-test", audience: "cartwright-test-api", ttlSeconds: 600 };
beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  ssm = await startFakeSsm();
  ssm.parameters.set(name, JSON.stringify({ current, previous }));
});
afterAll(() => ssm.close());

const fromSsm = () => keysFromParameter(name, { endpoint: ssm.endpoint, region: "us-east-1" });

describe("Signing keys from an SSM parameter", () => {
  it("are read once, decrypted, and sign and verify tokens (the previous key still verifies)", async () => {
    ssm.calls.length = 0;
    const tokens = makeTokens({ ...claims, keys: fromSsm() });
    const user = { id: "u1" as UserId, role: "customer" as const };
    const token = await tokens.issue(user);
    expect(await tokens.verify(token)).toEqual({ userId: "u1", role: "customer" });
    const signedBefore = await makeTokens({ ...claims, secret: previous }).issue(user);
    expect(await tokens.verify(signedBefore)).toEqual({ userId: "u1", role: "customer" });
    expect(ssm.calls).toEqual([{ name, withDecryption: true }]);
  });

  it("answer 503 while the parameter cannot be read, and work on the next request once it can (nothing cached from the failure)", async () => {
    ssm.calls.length = 0;
    ssm.failNext(10);
    const api = await makeTestApi({ auth: { ...claims, keys: fromSsm() } });
    const shopper = await makeTokens({ ...claims, secret: current }).issue({ id: "u2" as UserId, role: "customer" });
    const first = await api.request({ url: "/api/cart", headers: { authorization: `Bearer ${shopper}` } });
    expect(problemOf(first)).toMatchObject({ status: 503, code: "signing_keys_unavailable" });
    expect(first.headers["retry-after"]).toBe("2");
    ssm.failNext(0);
    const second = await api.request({ url: "/api/cart", headers: { authorization: `Bearer ${shopper}` } });
    expect(second.statusCode).toBe(200);
    await api.close();
  });
});
