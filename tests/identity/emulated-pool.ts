/** An app whose users sign in with a pool of Cognito Local, and tokens made with the emulator's own key (or a stranger's). */
import { createRequire } from "node:module";
import { generateKeyPair, importJWK, SignJWT } from "jose";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { CognitoLocal } from "../support/cognito-local.js";
import { poolIds } from "../support/cognito-local.js";
import type { CognitoSettings } from "../../adapters/identity/cognito.js";

/** A JWKS cache that reads the emulator and counts its fetches. */
export const countingJwks = (local: CognitoLocal) => {
  const fetched: string[] = [];
  const cache = new SimpleJwksCache({
    fetcher: {
      fetch: async (uri: string) => {
        fetched.push(uri);
        return (await fetch(local.jwksUrl(uri))).arrayBuffer();
      },
    },
  });
  return { cache, fetched };
};

export const cognitoAuth = (local: CognitoLocal, clientId: string, jwksCache: SimpleJwksCache): { cognito: CognitoSettings } => ({
  cognito: { userPoolId: poolIds.shop, clientId, endpoint: local.endpoint, jwksCache, signInUrl: "https://shop-auth.example.com/login" },
});

const emulatorKey = createRequire(import.meta.url)("cognito-local/lib/keys/cognitoLocal.private.json") as { jwk: Record<string, string> };

/** An access token as the emulator would sign it, with these claims changed (an expiry in the past, say). */
export const signedLikeTheEmulator = async (claims: Record<string, unknown>, options: { kid?: string; foreignKey?: boolean; poolId?: string } = {}) => {
  const key = options.foreignKey ? (await generateKeyPair("RS256")).privateKey : await importJWK(emulatorKey.jwk, "RS256");
  return new SignJWT({ token_use: "access", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "CognitoLocal" })
    .setIssuer(`https://cognito-idp.eu-west-1.amazonaws.com/${options.poolId ?? poolIds.shop}`)
    .sign(key);
};

/** The token's claims, read without verifying (to make a variant of it). */
export const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

/** The token with one character of its signature changed. */
export const tampered = (token: string): string => {
  const [h, p, s] = token.split(".") as [string, string, string];
  const flipped = (s[10] === "A" ? "B" : "A");
  return `${h}.${p}.${s.slice(0, 10)}${flipped}${s.slice(11)}`;
};
