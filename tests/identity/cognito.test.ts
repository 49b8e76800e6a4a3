import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, problemOf, type TestApi } from "../http/support.js";
import { type CognitoLocal, poolIds, startCognitoLocal } from "../support/cognito-local.js";
import { claimsOf, cognitoAuth, countingJwks, signedLikeTheEmulator, tampered } from "./emulated-pool.js";

let local: CognitoLocal;
let api: TestApi;
let clientId: string;
let jwks: ReturnType<typeof countingJwks>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  local = await startCognitoLocal();
  clientId = await local.appClient(poolIds.shop);
  jwks = countingJwks(local);
  api = await makeTestApi({ auth: cognitoAuth(local, clientId, jwks.cache) });
  await local.user("ada@example.com", [], "Ada Lovelace");
  await local.user("boss@example.com", ["admin"]);
}, 30_000);
afterAll(async () => {
  await api?.close();
  await local?.stop();
});

const status = async (token: string, url = "/api/cart") => (await api.request({ method: "GET", url, headers: bearer(token) })).statusCode;

describe("CognitoIdentity.verify", () => {
  it("lets a customer's access token reach customer routes, not admin ones, and keeps their profile from the pool", async () => {
    const { access } = await local.signIn(clientId, "ada@example.com");
    expect(await status(access)).toBe(200);
    const admin = await api.request({ method: "GET", url: "/api/admin/orders?status=placed", headers: bearer(access) });
    expect(problemOf(admin)).toMatchObject({ status: 403, code: "forbidden" });
    const me = await api.request({ method: "GET", url: "/auth/me", headers: bearer(access) });
    expect(me.json()).toMatchObject({ id: claimsOf(access).sub, email: "ada@example.com", name: "Ada Lovelace", role: "customer" });
  });

  it("lets an admin group member's token reach admin routes", async () => {
    const { access } = await local.signIn(clientId, "boss@example.com");
    expect(await status(access, "/api/admin/orders?status=placed")).toBe(200);
  });

  it("refuses with 401 an expired token, another client's, another pool's, an ID token, a tampered signature and an unknown key", async () => {
    const otherClient = await local.appClient(poolIds.shop);
    const otherPoolClient = await local.appClient(poolIds.other);
    await local.user("eve@example.com", [], undefined, poolIds.other);
    const real = (await local.signIn(clientId, "ada@example.com")).access;
    const sub = claimsOf(real).sub;
    const refused = {
      expired: await signedLikeTheEmulator({ sub, client_id: clientId, exp: Math.floor(Date.now() / 1000) - 60 }),
      otherClient: (await local.signIn(otherClient, "ada@example.com")).access,
      otherPool: (await local.signIn(otherPoolClient, "eve@example.com")).access,
      otherPoolIssuerOurClient: await signedLikeTheEmulator({ sub, client_id: clientId, exp: Math.floor(Date.now() / 1000) + 600 }, { poolId: poolIds.other }),
      idToken: (await local.signIn(clientId, "ada@example.com")).id,
      tamperedSignature: tampered(real),
      unknownKid: await signedLikeTheEmulator({ sub, client_id: clientId, exp: Math.floor(Date.now() / 1000) + 600 }, { kid: "rotated-in", foreignKey: true }),
      foreignKeyUnderKnownKid: await signedLikeTheEmulator({ sub, client_id: clientId, exp: Math.floor(Date.now() / 1000) + 600 }, { foreignKey: true }),
    };
    for (const [name, token] of Object.entries(refused)) {
      const res = await api.request({ method: "GET", url: "/api/cart", headers: bearer(token) });
      expect([name, res.statusCode]).toEqual([name, 401]);
      expect(problemOf(res).code).toBe("unauthenticated");
    }
    expect(await status(real)).toBe(200);
  });

  it("sees a group change on the next token", async () => {
    await local.user("promoted@example.com");
    expect(await status((await local.signIn(clientId, "promoted@example.com")).access, "/api/admin/orders?status=placed")).toBe(403);
    await local.setGroup("promoted@example.com", "admin", true);
    expect(await status((await local.signIn(clientId, "promoted@example.com")).access, "/api/admin/orders?status=placed")).toBe(200);
    await local.setGroup("promoted@example.com", "admin", false);
    expect(await status((await local.signIn(clientId, "promoted@example.com")).access, "/api/admin/orders?status=placed")).toBe(403);
  });

  it("fetches the pool's keys once, and again only for a token naming an unknown key, at most once per 10 s", async () => {
    const fresh = countingJwks(local);
    const app = await makeTestApi({ auth: cognitoAuth(local, clientId, fresh.cache) });
    const { access } = await local.signIn(clientId, "ada@example.com");
    for (let i = 0; i < 5; i++) expect((await app.request({ method: "GET", url: "/api/cart", headers: bearer(access) })).statusCode).toBe(200);
    expect(fresh.fetched).toHaveLength(1);
    for (const kid of ["new-1", "new-2", "new-3"]) {
      const unknown = await signedLikeTheEmulator({ sub: claimsOf(access).sub, client_id: clientId, exp: Math.floor(Date.now() / 1000) + 600 }, { kid, foreignKey: true });
      expect((await app.request({ method: "GET", url: "/api/cart", headers: bearer(unknown) })).statusCode).toBe(401);
    }
    expect(fresh.fetched).toHaveLength(2);
    await app.close();
  });
});

describe("CognitoIdentity.issue", () => {
  it("answers register and login with a 403 problem naming the user pool and its sign-in page, creating nothing", async () => {
    for (const [url, body] of [
      ["/auth/register", { email: "new@example.com", password: "password-123", name: "New" }],
      ["/auth/login", { email: "ada@example.com", password: "Corr3ct-horse!" }],
    ] as const) {
      const problem = problemOf(await api.request({ method: "POST", url, payload: body }));
      expect(problem).toMatchObject({ status: 403, code: "accounts_managed_by_cognito" });
      expect(problem.detail).toContain(poolIds.shop);
      expect(problem.detail).toContain("https://shop-auth.example.com/login");
    }
  });
});
