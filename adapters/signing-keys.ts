/**
 * The token signing keys: from the environment (`JWT_SECRET`, `JWT_PREVIOUS_SECRET`; local runs and tests),
 * or on Lambda from an SSM SecureString parameter (`JWT_SECRET_PARAMETER`) that the stack creates, holding
 * `{"current": "…", "previous": "…"}`: the key is never in the function's configuration. It is read by the
 * first request that signs or verifies a token; a failed read is retried by the next such request.
 */
export interface SigningKeys {
  readonly secret: string;
  readonly previousSecret?: string | undefined;
}

export type KeySource = () => Promise<SigningKeys>;

export const keysFromEnvironment = (keys: SigningKeys): KeySource => {
  const ready = Promise.resolve(keys);
  return () => ready;
};

export const keysFromParameter = (name: string, options: { readonly endpoint?: string | undefined; readonly region?: string | undefined } = {}): KeySource => {
  const read = async (): Promise<SigningKeys> => {
    // The SDK's SSM client is loaded on first use (the runtime ships it): not part of the code every cold start loads.
    const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
    const client = new SSMClient({ ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.region ? { region: options.region } : {}), maxAttempts: 3 });
    try {
      const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const parsed = JSON.parse(Parameter?.Value ?? "") as { current?: unknown; previous?: unknown };
      if (typeof parsed.current !== "string" || parsed.current.length < 32) throw new Error(`parameter ${name} holds no current key of at least 32 characters`);
      return { secret: parsed.current, ...(typeof parsed.previous === "string" && parsed.previous.length >= 32 ? { previousSecret: parsed.previous } : {}) };
    } finally {
      client.destroy();
    }
  };
  let pending: Promise<SigningKeys> | undefined;
  const get = () => {
    pending ??= read();
    // A failed read is forgotten, so the next request tries again.
    pending.catch(() => (pending = undefined));
    return pending;
  };
  return get;
};

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
