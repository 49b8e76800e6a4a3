/** Bearer tokens: HS256 JWTs signed and verified with jose (algorithm pinned, issuer, audience and expiry checked). */
import { Either, Schema } from "effect";
import { jwtVerify, SignJWT } from "jose";
import { Role, UserId, type User } from "../../../domain/index.js";

export interface TokenSettings {
  /** At least 32 characters (256 bits for HS256). */
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export const Principal = Schema.Struct({ userId: UserId, role: Role });
export type Principal = typeof Principal.Type;

const Claims = Schema.Struct({ sub: UserId, role: Role });

export interface Tokens {
  readonly issue: (user: Pick<User, "id" | "role">) => Promise<string>;
  /** The principal a token names, or undefined for anything not signed by us, expired, or malformed. */
  readonly verify: (token: string) => Promise<Principal | undefined>;
}

const algorithm = "HS256";

export const makeTokens = (settings: TokenSettings): Tokens => {
  if (settings.secret.length < 32) throw new Error("the JWT secret must be at least 32 characters");
  const key = new TextEncoder().encode(settings.secret);
  return {
    issue: (user) =>
      new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: algorithm, typ: "JWT" })
        .setSubject(user.id)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${settings.ttlSeconds}s`)
        .sign(key),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [algorithm],
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ["exp", "sub"],
        });
        const claims = Schema.decodeUnknownEither(Claims)(payload);
        return Either.isRight(claims) ? { userId: claims.right.sub, role: claims.right.role } : undefined;
      } catch {
        return undefined;
      }
    },
  };
};
