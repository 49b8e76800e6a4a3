/** Which DynamoDB failures are worth another attempt, and how long to wait before it. */

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly attempts: number;
  /** Ceiling of the first backoff; it doubles on each retry (default 25 ms). */
  readonly baseDelayMs: number;
  /** No backoff is longer than this (default 500 ms). */
  readonly maxDelayMs: number;
  /** An attempt with no answer by then is aborted and counts as a transient failure (default 3 s). */
  readonly attemptTimeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 25, maxDelayMs: 500, attemptTimeoutMs: 3_000 };

/** "Full jitter": uniform in [0, min(max, base * 2^(retry-1))], so colliding writers spread out. */
export const backoffMs = (policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, retry: number, random: () => number = Math.random): number =>
  random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));

const transientNames = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionInProgressException",
  // A single-item write that met an item locked by an in-flight transaction.
  "TransactionConflictException",
  "ReplicatedWriteConflictException",
  "TimeoutError",
]);

const transientReasons = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);

const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly CancellationReasons?: ReadonlyArray<{ readonly Code?: string }>;
}

const shape = (error: unknown): SdkErrorShape => (typeof error === "object" && error !== null ? (error as SdkErrorShape) : {});

const networkCodeOf = (error: unknown): string | undefined => {
  const e = shape(error);
  if (typeof e.code === "string" && networkCodes.has(e.code)) return e.code;
  return e.cause === undefined ? undefined : networkCodeOf(e.cause);
};

/** The request never got an answer: refused, reset, timed out (the store may be down or restarting). */
export const isNetworkError = (error: unknown): boolean => networkCodeOf(error) !== undefined;

/** Only ever raised before a connection exists (EHOSTUNREACH can also end an established one). */
const unsentCodes = new Set(["ECONNREFUSED", "EAI_AGAIN"]);

/**
 * What a failed write attempt may have done. `sent`: the request was handed to the HTTP handler.
 * A 4xx answer is a refusal, and a connection never made sent nothing; a reset, an abort or a timeout
 * after sending, a 5xx, and a 2xx whose body was cut or unreadable (the SDK tags it with the 200) leave
 * the write's fate unknown.
 */
export const attemptOutcome = (error: unknown, sent: boolean): "not_applied" | "unknown" => {
  if (!sent) return "not_applied";
  const status = shape(error).$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 400 && status < 500 ? "not_applied" : "unknown";
  const code = networkCodeOf(error);
  return code !== undefined && unsentCodes.has(code) ? "not_applied" : "unknown";
};

/** Throttling, server errors, transaction conflicts and network failures: nothing was written, try again. */
export const isTransient = (error: unknown): boolean => {
  const e = shape(error);
  if (typeof e.name === "string" && transientNames.has(e.name)) return true;
  if (e.name === "TransactionCanceledException")
    return (e.CancellationReasons ?? []).some((r) => r.Code !== undefined && transientReasons.has(r.Code));
  return (e.$metadata?.httpStatusCode ?? 0) >= 500 || isNetworkError(error);
};
