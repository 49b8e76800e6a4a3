import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { keyIdOf, makeTokens } from "../../adapters/http/auth/tokens.js";
import type { Role, UserId } from "../../domain/index.js";

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
