import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf, makeTokens } from "../../adapters/http/auth/tokens.js";
import { defaultMaxAgeMs } from "../../adapters/secret-parameter.js";
import { keysFromParameter } from "../../adapters/signing-keys.js";
import type { Role, UserId } from "../../domain/index.js";
import { type FakeSsm, startFakeSsm } from "../support/fake-ssm.js";
import { makeTestApi } from "./support.js";

const settings = { issuer: "cartwright", audience: "cartwright-api", ttlSeconds: 600 };
const [oldest, previous, current] = ["a", "b", "c"].map((c) => c.repeat(40));
const user = { id: "u1" as UserId, role: "customer" as Role };

describe("Token signing keys", () => {
  it("name their key in every token by an id that does not reveal the secret", async () => {
    const token = await makeTokens({ ...settings, secret: current! }).issue(user);
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString());
    expect(header).toMatchObject({ alg: "HS256", kid: keyIdOf(current!) });
    expect(header.kid).not.toContain(current!.slice(0, 8));
  });

  it("still accept tokens signed with the previous secret after a rotation, and refuse those of the one before", async () => {
    const fromOldest = await makeTokens({ ...settings, secret: oldest! }).issue(user);
    const fromPrevious = await makeTokens({ ...settings, secret: previous!, previousSecret: oldest }).issue(user);
    const rotated = makeTokens({ ...settings, secret: current!, previousSecret: previous });
    expect(await rotated.verify(fromPrevious)).toEqual({ userId: "u1", role: "customer" });
    expect(await rotated.verify(await rotated.issue(user))).toEqual({ userId: "u1", role: "customer" });
    expect(await rotated.verify(fromOldest)).toBeUndefined();
  });

  it("accept a token without a key id only if the current secret signed it (tokens from before key ids)", async () => {
    const legacy = (secret: string) =>
      new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setSubject("u2").setIssuer(settings.issuer).setAudience(settings.audience).setIssuedAt().setExpirationTime("60s").sign(new TextEncoder().encode(secret));
    const rotated = makeTokens({ ...settings, secret: current!, previousSecret: previous });
    expect(await rotated.verify(await legacy(current!))).toEqual({ userId: "u2", role: "admin" });
    expect(await rotated.verify(await legacy(previous!))).toBeUndefined();
  });

  it("refuse a token that names the current key but was signed with another secret", async () => {
    const forged = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: keyIdOf(current!) })
      .setSubject("u3").setIssuer(settings.issuer).setAudience(settings.audience).setIssuedAt().setExpirationTime("60s")
      .sign(new TextEncoder().encode("x".repeat(40)));
    expect(await makeTokens({ ...settings, secret: current! }).verify(forged)).toBeUndefined();
  });
});

describe("Token signing keys on a warm instance, after a rotation of their SSM parameter", () => {
  const name = "/cartwright/test/jwt-signing-keys";
  const [leaked, rotated] = ["l".repeat(40), "r".repeat(40)];
  const bound = defaultMaxAgeMs;
  let ssm: FakeSsm;
  beforeAll(async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    ssm = await startFakeSsm();
  });
  afterAll(() => ssm.close());

  /** A warm API whose keys were read from the parameter holding only the key that later leaks. */
  const warmApi = async () => {
    ssm.parameters.set(name, JSON.stringify({ current: leaked }));
    const clock = { now: 1_000_000 };
    const api = await makeTestApi({ auth: { ...settings, keys: keysFromParameter(name, { endpoint: ssm.endpoint, region: "us-east-1", now: () => clock.now }) } });
    const cart = (token: string) => api.request({ url: "/api/cart", headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode);
    const byLeaked = await makeTokens({ ...settings, secret: leaked }).issue(user);
    expect(await cart(byLeaked)).toBe(200);
    return { api, clock, cart };
  };

  it(`refuses a token forged with the leaked key once the bound (${bound / 60_000} min) has passed (invariant: an emergency rotation revokes the old key everywhere within the bound)`, async () => {
    const { api, clock, cart } = await warmApi();
    ssm.parameters.set(name, JSON.stringify({ current: rotated }));
    clock.now += bound;
    const forged = await makeTokens({ ...settings, secret: leaked }).issue({ id: "attacker" as UserId, role: "admin" });
    expect(await cart(forged)).toBe(401);
    expect(await cart(await makeTokens({ ...settings, secret: rotated }).issue(user))).toBe(200);
    await api.close();
  });

  it("accepts a token signed with the new key before the bound: an unknown key id re-reads the parameter once, throttled", async () => {
    const { api, clock, cart } = await warmApi();
    ssm.parameters.set(name, JSON.stringify({ current: rotated, previous: leaked }));
    ssm.calls.length = 0;
    clock.now += 1_000;
    const byRotated = await makeTokens({ ...settings, secret: rotated }).issue(user);
    expect(await cart(byRotated)).toBe(200);
    expect(ssm.calls).toHaveLength(1);
    // Tokens naming keys nobody has cost no more reads within the throttle interval.
    for (const secret of ["x", "y", "z"].map((c) => c.repeat(40))) expect(await cart(await makeTokens({ ...settings, secret }).issue(user))).toBe(401);
    expect(ssm.calls).toHaveLength(1);
    await api.close();
  });

  it("keeps using the keys it read within the bound without calling SSM again", async () => {
    const { api, clock, cart } = await warmApi();
    ssm.calls.length = 0;
    clock.now += bound - 1;
    expect(await cart(await makeTokens({ ...settings, secret: leaked }).issue(user))).toBe(200);
    expect(ssm.calls).toEqual([]);
    await api.close();
  });
});
