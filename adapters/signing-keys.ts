/**
 * The token signing keys: from the environment (`JWT_SECRET`, `JWT_PREVIOUS_SECRET`; local runs and tests),
 * or on Lambda from an SSM SecureString parameter (`JWT_SECRET_PARAMETER`) that the stack creates, holding
 * `{"current": "…", "previous": "…"}`: the key is never in the function's configuration. It is read by the
 * first request that signs or verifies a token, read again once older than the rotation bound (5 minutes), and
 * early (throttled) when a token names a key this instance does not know; a failed read is retried by the next request.
 */
import { type ParameterOptions, secretParameter } from "./secret-parameter.js";

export interface SigningKeys {
  readonly secret: string;
  readonly previousSecret?: string | undefined;
}

/** Where the keys come from; `refresh` (when the source can re-read) is asked once a token names an unknown key. */
export interface KeySource {
  (): Promise<SigningKeys>;
  readonly refresh?: () => Promise<SigningKeys>;
}

export const keysFromEnvironment = (keys: SigningKeys): KeySource => {
  const ready = Promise.resolve(keys);
  return () => ready;
};

const parseKeys = (name: string) => (raw: string): SigningKeys => {
  const parsed = JSON.parse(raw) as { current?: unknown; previous?: unknown };
  if (typeof parsed.current !== "string" || parsed.current.length < 32) throw new Error(`parameter ${name} holds no current key of at least 32 characters`);
  return { secret: parsed.current, ...(typeof parsed.previous === "string" && parsed.previous.length >= 32 ? { previousSecret: parsed.previous } : {}) };
};

/** The keys in their SSM parameter, re-read after the rotation bound (adapters/secret-parameter.ts). */
export const keysFromParameter = (name: string, options: ParameterOptions = {}): KeySource => secretParameter(name, parseKeys(name), options);

/** The token settings of a loaded configuration: keys given, or read from their parameter on first use. */
export const tokenSettingsOf = (jwt: {
  readonly keys: SigningKeys | { readonly parameter: string };
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}) => {
  const claims = { issuer: jwt.issuer, audience: jwt.audience, ttlSeconds: jwt.ttlSeconds };
  if (!("parameter" in jwt.keys)) return { ...claims, ...jwt.keys };
  // Read by the first request that signs or verifies a token: requests that need no key never pay for it
  // (prefetching at cold start was measured to cost every cold start ~50 ms: the SSM client's load).
  return { ...claims, keys: keysFromParameter(jwt.keys.parameter) };
};
