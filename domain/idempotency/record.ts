import { Either, Schema } from "effect";
import { IdempotencyKey, OrderId, Timestamp, UserId } from "../shared/ids.js";
import { IdempotencyKeyReused } from "./errors.js";

/**
 * Remembers what a caller's Idempotency-Key was first used for. Keys are scoped to their caller (a
 * customer, or an admin) and shared by every operation: a key names one request, whichever route took it.
 */
export const IdempotencyRecord = Schema.Struct({
  callerId: UserId,
  key: IdempotencyKey,
  /** The request: its operation and arguments (a checkout's are the cart's content). */
  fingerprint: Schema.String,
  /** The order a checkout placed; absent for other requests, and while a refused checkout only binds the key. */
  orderId: Schema.optional(OrderId),
  createdAt: Timestamp,
  /** After this the key may be forgotten (stores use it as a TTL). */
  expiresAt: Timestamp,
});
export type IdempotencyRecord = typeof IdempotencyRecord.Type;

export const idempotencyWindowMs = 24 * 60 * 60 * 1000;

/** Who sent a key: a request's key is looked up under its caller only. */
export interface IdempotencyScope {
  readonly callerId: UserId;
  readonly key: IdempotencyKey;
}

export const IdempotencyOps = {
  record: (scope: IdempotencyScope, fingerprint: string, now: Timestamp, orderId?: OrderId): IdempotencyRecord => ({
    callerId: scope.callerId,
    key: scope.key,
    fingerprint,
    ...(orderId === undefined ? {} : { orderId }),
    createdAt: now,
    expiresAt: (now + idempotencyWindowMs) as Timestamp,
  }),

  /** A key seen before: the same request is a replay; any other request with it is refused. */
  replayOf: (record: IdempotencyRecord, fingerprint: string): Either.Either<IdempotencyRecord, IdempotencyKeyReused> =>
    record.fingerprint === fingerprint ? Either.right(record) : Either.left(new IdempotencyKeyReused({ key: record.key })),
};
