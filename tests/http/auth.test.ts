import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTokens } from "../../adapters/http/auth/tokens.js";
import { makeTestApi, problemOf, testAuth, type TestApi } from "./support.js";

let api: TestApi;
beforeEach(async () => {
  api = await makeTestApi({ authLimits: { perIp: { max: 50, windowMs: 60_000 }, perAccount: { max: 50, windowMs: 60_000 } } });
});
afterEach(() => api.close());

const register = (payload: object) => api.request({ method: "POST", url: "/auth/register", payload });
const login = (payload: object) => api.request({ method: "POST", url: "/auth/login", payload });
const me = (authorization?: string) => api.request({ url: "/auth/me", headers: authorization ? { authorization } : {} });

describe("POST /auth/register", () => {
  it("creates a customer and returns a token that authenticates it, never the password hash", async () => {
    const res = await register({ email: "Ann@Example.com", password: "correct horse", name: "Ann" });
    expect(res.statusCode).toBe(201);
    const { user, token } = res.json();
    expect(user).toMatchObject({ email: "ann@example.com", name: "Ann", role: "customer" });
    expect(Date.parse(user.createdAt)).not.toBeNaN();
    expect(res.body).not.toMatch(/passwordHash|scrypt\$/);
    const self = await me(`Bearer ${token}`);
    expect(self.statusCode).toBe(200);
    expect(self.json().id).toBe(user.id);
  });

  it("refuses a role in the body: registration only ever creates customers", async () => {
    const res = await register({ email: "eve@example.com", password: "correct horse", name: "Eve", role: "admin" });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res)).toMatchObject({ code: "unknown_field", field: "role", in: "body" });
  });

  it("refuses an email that is already registered, in any letter case", async () => {
    await register({ email: "bob@example.com", password: "correct horse", name: "Bob" });
    const res = await register({ email: "BOB@example.com", password: "another one", name: "Bob 2" });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res)).toMatchObject({ code: "email_taken", field: "email" });
  });

  it("refuses a multi-line name with 422 invalid_name naming the field, so no mail can carry the registrant's paragraph (regression: accepted)", async () => {
    const names = ["Eve\nBcc: victim@example.com\n\nYour card was declined. Pay at https://evil.example", "Eve\r\nX", "Eve\u2028Pay here", "Eve\u202Eevil", "Eve\u0000", "x".repeat(101)];
    for (const name of names) {
      const res = await register({ email: "eve@example.com", password: "correct horse", name });
      expect(problemOf(res), JSON.stringify(name)).toMatchObject({ status: 422, code: "invalid_name", field: "name" });
    }
    expect((await register({ email: "eve@example.com", password: "correct horse", name: "  Ève O'Brien-Łukasz 李 " })).json().user.name).toBe("Ève O'Brien-Łukasz 李");
  });

  it("refuses an email that is not a bare address (regression: x<shopper@example.com> reached SES as the recipient)", async () => {
    for (const email of ["x<shopper@example.com>", "Shopper <shopper@example.com>", "a@b.co\nBcc: c@d.co", "\"a b\"@example.com", "a@-x.example"]) {
      const res = await register({ email, password: "correct horse", name: "X" });
      expect(problemOf(res), email).toMatchObject({ status: 400, code: "invalid_field", field: "email" });
    }
    expect((await register({ email: "first.last+tag@mail.example.co.uk", password: "correct horse", name: "X" })).statusCode).toBe(201);
  });

  it("refuses a short password and a malformed email, naming the field", async () => {
    const short = await register({ email: "c@example.com", password: "short", name: "C" });
    expect(problemOf(short)).toMatchObject({ status: 400, code: "invalid_field", field: "password" });
    expect(short.body).not.toContain("short\"");
    const bad = await register({ email: "not-an-email", password: "long enough", name: "C" });
    expect(problemOf(bad)).toMatchObject({ status: 400, field: "email" });
  });
});

describe("POST /auth/login", () => {
  beforeEach(async () => {
    await register({ email: "dan@example.com", password: "dan-password", name: "Dan" });
  });

  it("returns a token for the right password", async () => {
    const res = await login({ email: "DAN@example.com", password: "dan-password" });
    expect(res.statusCode).toBe(200);
    expect((await me(`Bearer ${res.json().token}`)).json().email).toBe("dan@example.com");
  });

  it("answers a wrong password and an unknown email the same way (no account enumeration)", async () => {
    const wrong = await login({ email: "dan@example.com", password: "not-dans" });
    const unknown = await login({ email: "nobody@example.com", password: "dan-password" });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(problemOf(res).code).toBe("invalid_credentials");
    }
    expect(problemOf(wrong).detail).toBe(problemOf(unknown).detail);
  });
});

describe("login and register rate limits", () => {
  it("refuses the attempt past the per-IP limit with 429 and Retry-After", async () => {
    const limited = await makeTestApi({ authLimits: { perIp: { max: 3, windowMs: 60_000 } } });
    try {
      const attempt = () => limited.request({ method: "POST", url: "/auth/login", payload: { email: "x@example.com", password: "whatever" } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      const res = await attempt();
      expect(res.statusCode).toBe(429);
      expect(problemOf(res).code).toBe("rate_limited");
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      const other = await limited.request({ method: "POST", url: "/auth/login", remoteAddress: "10.0.0.9", payload: { email: "x@example.com", password: "whatever" } });
      expect(other.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe("bearer tokens", () => {
  const key = new TextEncoder().encode(testAuth.secret);
  const forged = (alg: string, claims: object, secret = key) =>
    new SignJWT({ role: "admin", ...claims })
      .setProtectedHeader({ alg })
      .setSubject("u-1")
      .setIssuer(testAuth.issuer)
      .setAudience(testAuth.audience)
      .setExpirationTime("1h")
      .sign(secret);

  it("rejects a missing token with 401 and WWW-Authenticate: Bearer", async () => {
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe("Bearer");
    expect(problemOf(res).code).toBe("unauthenticated");
  });

  it("rejects tokens signed with another secret, another algorithm, for another audience, or expired", async () => {
    const tokens = [
      await forged("HS256", {}, new TextEncoder().encode("another-secret-that-is-32-chars-long")),
      await forged("HS512", {}),
      await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256" }).setSubject("u-1").setIssuer(testAuth.issuer).setAudience("other").setExpirationTime("1h").sign(key),
      await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256" }).setSubject("u-1").setIssuer(testAuth.issuer).setAudience(testAuth.audience).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key),
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LTEiLCJyb2xlIjoiYWRtaW4ifQ.",
      "garbage",
    ];
    for (const token of tokens) {
      const res = await api.request({ url: "/api/admin/orders", headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, token).toBe(401);
    }
  });

  it("treats a valid token for a user that no longer exists as unauthenticated", async () => {
    const token = await makeTokens(testAuth).issue({ id: "ghost" as never, role: "customer" });
    expect((await me(`Bearer ${token}`)).statusCode).toBe(401);
  });
});
