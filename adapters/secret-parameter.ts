/**
 * A secret held in an SSM SecureString parameter (under the stack's own KMS key), read on first use and
 * re-read once it is older than `maxAgeMs`: a rotation of the parameter reaches every warm instance within
 * that bound. `refresh()` re-reads early (a token naming a key this instance does not know yet), at most once
 * per `refreshIntervalMs`, so a flood of unknown key ids costs SSM one call per interval, not one per request.
 * A failed read is never cached, and an expired value is never served: the caller answers 503 until SSM does.
 */
export interface ParameterOptions {
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** How long a read value is used before it is read again (the rotation bound). */
  readonly maxAgeMs?: number;
  /** The least time between two early re-reads. */
  readonly refreshIntervalMs?: number;
  readonly now?: () => number;
}

export interface SecretParameter<A> {
  /** The value, read now if never read or older than the bound. */
  (): Promise<A>;
  /** Reads again unless an early re-read happened within the interval; then the value as it is. */
  readonly refresh: () => Promise<A>;
}

/** Five minutes: the bound the README's rotation procedure states. */
export const defaultMaxAgeMs = 5 * 60_000;
export const defaultRefreshIntervalMs = 30_000;

export const secretParameter = <A>(name: string, parse: (raw: string) => A, options: ParameterOptions = {}): SecretParameter<A> => {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? defaultMaxAgeMs;
  const refreshIntervalMs = options.refreshIntervalMs ?? defaultRefreshIntervalMs;
  let cached: { readonly value: A; readonly readAt: number } | undefined;
  let pending: Promise<A> | undefined;
  let lastRefresh = Number.NEGATIVE_INFINITY;

  const read = async (): Promise<A> => {
    // The SDK's SSM client is loaded on first use (the runtime ships it): not part of the code every cold start loads.
    const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
    const client = new SSMClient({ ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.region ? { region: options.region } : {}), maxAttempts: 3 });
    try {
      const startedAt = now();
      const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = parse(Parameter?.Value ?? "");
      cached = { value, readAt: startedAt };
      return value;
    } finally {
      client.destroy();
    }
  };
  const readOnce = (): Promise<A> => {
    pending ??= read().finally(() => (pending = undefined));
    return pending;
  };
  const get = (() => (cached !== undefined && now() - cached.readAt < maxAgeMs ? Promise.resolve(cached.value) : readOnce())) as SecretParameter<A>;
  const refresh = (): Promise<A> => {
    if (now() - lastRefresh < refreshIntervalMs) return get();
    lastRefresh = now();
    return readOnce();
  };
  return Object.assign(get, { refresh });
};
