/**
 * Bearer tokens: HS256 JWTs signed and verified with jose (algorithm pinned, issuer, audience and expiry
 * checked). Each token names its key (`kid`, a hash of the secret, never the secret): the current key
 * signs, the current and the previous one verify, so rotating the secret signs nobody out.
 */
import { createHash } from "node:crypto";
import { Either, Schema } from "effect";
import { decodeProtectedHeader, type JWTHeaderParameters, jwtVerify, SignJWT } from "jose";
import { type Principal, Role, UserId, type User } from "../../../domain/index.js";
import type { KeySource, SigningKeys } from "../../signing-keys.js";
import { SigningKeysUnavailable } from "../errors.js";

export interface TokenClaims {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export interface TokenSettings extends TokenClaims {
  /** At least 32 characters (256 bits for HS256). */
  readonly secret: string;
  /** The secret before the last rotation: its tokens stay valid until they expire. */
  readonly previousSecret?: string | undefined;
}

/** The keys read from elsewhere (an SSM parameter on Lambda: adapters/signing-keys.ts), on first use. */
export interface SourcedTokenSettings extends TokenClaims {
  readonly keys: KeySource;
}

export type { Principal };

const Claims = Schema.Struct({ sub: UserId, role: Role });

export interface Tokens {
  readonly issue: (user: Pick<User, "id" | "role">) => Promise<string>;
  /** The principal a token names, or undefined for anything not signed by us, expired, or malformed. */
  readonly verify: (token: string) => Promise<Principal | undefined>;
}

const algorithm = "HS256";

/** A key's id: 16 hex characters of SHA-256 over the secret (identifies it, reveals nothing usable). */
export const keyIdOf = (secret: string): string => createHash("sha256").update(`cartwright-jwt-kid:${secret}`).digest("hex").slice(0, 16);

/** Whether a token names a key id that none of these keys has (a key rotated in since they were read). */
const namesUnknownKey = (token: string, keys: SigningKeys): boolean => {
  try {
    const { kid } = decodeProtectedHeader(token);
    return kid !== undefined && kid !== keyIdOf(keys.secret) && (keys.previousSecret === undefined || kid !== keyIdOf(keys.previousSecret));
  } catch {
    return false;
  }
};

/**
 * Tokens over keys given directly, or from a source asked on every use (it caches within the rotation bound):
 * a rotation of the source's keys changes what this instance signs with and accepts, without a restart.
 */
export const makeTokens = (settings: TokenSettings | SourcedTokenSettings): Tokens => {
  if (!("keys" in settings)) return tokensWithKeys(settings);
  const source = settings.keys;
  let built: { readonly keys: SigningKeys; readonly tokens: Tokens } | undefined;
  const over = (keys: SigningKeys): Tokens => {
    if (built?.keys !== keys) built = { keys, tokens: tokensWithKeys({ ...settings, secret: keys.secret, previousSecret: keys.previousSecret }) };
    return built.tokens;
  };
  const load = (read: () => Promise<SigningKeys>) =>
    read().catch((e: unknown) => {
      throw new SigningKeysUnavailable({ reason: e instanceof Error ? e.message : String(e) });
    });
  return {
    issue: async (user) => over(await load(source)).issue(user),
    verify: async (token) => {
      const keys = await load(source);
      const principal = await over(keys).verify(token);
      if (principal !== undefined || source.refresh === undefined || !namesUnknownKey(token, keys)) return principal;
      // A key rotated in after this instance read its keys: re-read once (throttled by the source), then verify again.
      return over(await load(source.refresh)).verify(token);
    },
  };
};

const tokensWithKeys = (settings: TokenSettings): Tokens => {
  if (settings.secret.length < 32) throw new Error("the JWT secret must be at least 32 characters");
  const key = new TextEncoder().encode(settings.secret);
  const kid = keyIdOf(settings.secret);
  const keys = new Map([[kid, key]]);
  if (settings.previousSecret) keys.set(keyIdOf(settings.previousSecret), new TextEncoder().encode(settings.previousSecret));
  // Tokens from before key ids name none: they were signed with the current secret.
  const keyFor = (header: JWTHeaderParameters) => {
    const found = header.kid === undefined ? key : keys.get(header.kid);
    if (!found) throw new Error("unknown key");
    return found;
  };
  return {
    issue: (user) =>
      new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: algorithm, typ: "JWT", kid })
        .setSubject(user.id)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${settings.ttlSeconds}s`)
        .sign(key),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, keyFor, {
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
