/** The built-in accounts as the identity provider: our own HS256 tokens (auth/tokens.ts) over passwords kept in the table. */
import { Effect, Layer } from "effect";
import { Identity, IdentityProviderUnavailable, type IdentityShape, type UserId } from "../../domain/index.js";
import { makeTokens, type SourcedTokenSettings, type TokenSettings, type Tokens } from "../http/auth/tokens.js";
import { SigningKeysUnavailable } from "../http/errors.js";

const keysUnavailable = (e: unknown) =>
  new IdentityProviderUnavailable({ provider: "built-in", reason: e instanceof SigningKeysUnavailable ? e.reason : e instanceof Error ? e.message : String(e) });

export const builtInIdentityOver = (tokens: Tokens): IdentityShape => ({
  provider: { kind: "built-in" },
  // A token outlives a demotion (up to its TTL): the table's role is the truth.
  roleFrom: "store",
  verify: (token) => Effect.tryPromise({ try: () => tokens.verify(token), catch: keysUnavailable }),
  issue: (principal) => Effect.tryPromise({ try: () => tokens.issue({ id: principal.userId as UserId, role: principal.role }), catch: keysUnavailable }),
  profile: () => Effect.succeed(undefined),
});

export const builtInIdentity = (settings: TokenSettings | SourcedTokenSettings): IdentityShape => builtInIdentityOver(makeTokens(settings));

export const builtInIdentityLayer = (settings: TokenSettings | SourcedTokenSettings) => Layer.succeed(Identity, builtInIdentity(settings));
