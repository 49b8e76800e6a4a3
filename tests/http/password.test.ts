import { describe, expect, it } from "vitest";
import { defaultScryptParams, hashPassword, verifyPassword } from "../../adapters/http/auth/password.js";
import { makeTokens } from "../../adapters/http/auth/tokens.js";
import { fastScrypt, testAuth } from "./support.js";

describe("password.hashPassword", () => {
  it("stores scrypt parameters and a random salt with the hash, with the production parameters", async () => {
    const [a, b] = await Promise.all([hashPassword("hunter22"), hashPassword("hunter22")]);
    expect(a).toMatch(new RegExp(`^scrypt\\$${defaultScryptParams.N}\\$8\\$1\\$[\\w-]{22}\\$[\\w-]{43}$`));
    expect(a).not.toBe(b);
    expect(await verifyPassword("hunter22", a)).toBe(true);
  });

  it("verifies only the right password, and never a tampered or foreign hash", async () => {
    const stored = await hashPassword("correct horse", fastScrypt);
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horsf", stored)).toBe(false);
    const [scheme, n, r, p, salt, hash] = stored.split("$") as [string, string, string, string, string, string];
    expect(await verifyPassword("correct horse", [scheme, n, r, p, salt, `${hash.slice(0, -2)}AA`].join("$"))).toBe(false);
    expect(await verifyPassword("correct horse", [scheme, n, r, p, salt, hash.slice(0, 10)].join("$"))).toBe(false);
    expect(await verifyPassword("correct horse", "$2b$10$bcrypt-hash-from-elsewhere")).toBe(false);
  });
});

describe("tokens.makeTokens", () => {
  it("round-trips the user id and role, and refuses a token from another issuer", async () => {
    const ours = makeTokens(testAuth);
    const token = await ours.issue({ id: "u-1" as never, role: "admin" });
    expect(await ours.verify(token)).toEqual({ userId: "u-1", role: "admin" });
    expect(await makeTokens({ ...testAuth, issuer: "someone-else" }).verify(token)).toBeUndefined();
  });

  it("refuses a secret shorter than 32 characters", () => {
    expect(() => makeTokens({ ...testAuth, secret: "short" })).toThrow(/32/);
  });
});
