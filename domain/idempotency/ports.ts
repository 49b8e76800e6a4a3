import { Context, type Effect, type Option } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { IdempotencyKey, UserId } from "../shared/ids.js";
import type { IdempotencyRecord } from "./record.js";

/**
 * Reads idempotency records. A record is written atomically with the change it guards (a cart change,
 * a stock adjustment, a checkout); `bind` alone writes one, for a checkout that was refused.
 */
export interface IdempotencyStoreShape {
  readonly find: (callerId: UserId, key: IdempotencyKey) => Effect.Effect<Option.Option<IdempotencyRecord>, PersistenceUnavailable>;
  /** Stores the record unless the key already has one (then nothing changes). */
  readonly bind: (record: IdempotencyRecord) => Effect.Effect<void, PersistenceUnavailable>;
}
export class IdempotencyStore extends Context.Tag("cartwright/IdempotencyStore")<IdempotencyStore, IdempotencyStoreShape>() {}
