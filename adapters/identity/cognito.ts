/**
 * Amazon Cognito as the identity provider: access tokens are verified in the function with aws-jwt-verify
 * (signature against the pool's JWKS, issuer, client id, token_use, expiry). The verifier lives as long as the
 * instance: the JWKS is fetched once per cold start, and a token naming an unknown key refetches it, at most
 * once per 10 s (the library's penalty box).
 */
import { Effect, Layer } from "effect";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { FetchError } from "aws-jwt-verify/error";
import type { JwksCache } from "aws-jwt-verify/jwk";
import { Identity, IdentityManagedExternally, IdentityProviderUnavailable, type IdentityShape, type Principal, UserId } from "../../domain/index.js";
import { Schema } from "effect";
import { cognitoProfile } from "./cognito-profile.js";

export interface CognitoSettings {
  readonly userPoolId: string;
  /** The browser app client: the only audience accepted. */
  readonly clientId: string;
  /** The managed login page, where the stack has one. */
  readonly signInUrl?: string | undefined;
  /** Where GetUser is asked for the profile; Cognito's regional endpoint unless given (tests: the emulator). */
  readonly endpoint?: string | undefined;
  /** The JWKS cache (tests: one whose fetcher reads the emulator); aws-jwt-verify's own unless given. */
  readonly jwksCache?: JwksCache | undefined;
}

/** The group whose members are admins; everyone else is a customer. */
export const adminGroup = "admin";

export const regionOf = (userPoolId: string): string => userPoolId.split("_")[0] ?? "";

const isUserId = Schema.is(UserId);

const principalOf = (payload: { sub: string; "cognito:groups"?: unknown }): Principal | undefined => {
  const groups = payload["cognito:groups"];
  if (!isUserId(payload.sub)) return undefined;
  return { userId: payload.sub, role: Array.isArray(groups) && groups.includes(adminGroup) ? "admin" : "customer" };
};

export const cognitoIdentity = (settings: CognitoSettings): IdentityShape => {
  const verifier = CognitoJwtVerifier.create(
    { userPoolId: settings.userPoolId, clientId: settings.clientId, tokenUse: "access" },
    settings.jwksCache ? { jwksCache: settings.jwksCache } : undefined,
  );
  const region = regionOf(settings.userPoolId);
  const provider = { kind: "cognito", region, userPoolId: settings.userPoolId, clientId: settings.clientId, signInUrl: settings.signInUrl } as const;
  const profile = cognitoProfile(settings.endpoint ?? `https://cognito-idp.${region}.amazonaws.com`, region);
  return {
    provider,
    roleFrom: "token",
    verify: (token) =>
      Effect.tryPromise({
        try: () => verifier.verify(token),
        catch: (e) => e,
      }).pipe(
        Effect.map(principalOf),
        Effect.catchAll((e) =>
          // The keys could not be fetched: not the token's fault, so not a 401.
          e instanceof FetchError ? Effect.fail(new IdentityProviderUnavailable({ provider: "cognito", reason: e.message })) : Effect.succeed(undefined),
        ),
      ),
    issue: () => Effect.fail(new IdentityManagedExternally({ provider: "cognito", region, userPoolId: settings.userPoolId, clientId: settings.clientId, signInUrl: settings.signInUrl })),
    profile,
  };
};

export const cognitoIdentityLayer = (settings: CognitoSettings) => Layer.succeed(Identity, cognitoIdentity(settings));
