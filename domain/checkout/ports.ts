import { Context, type Effect, type Option } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { IdempotencyKey, UserId } from "../shared/ids.js";
import type { IdempotencyRecord } from "./checkout.js";

/** Reads idempotency records; they are written only inside OrderStore.commitCheckout, atomically with the order. */
export interface IdempotencyStoreShape {
  readonly find: (customerId: UserId, key: IdempotencyKey) => Effect.Effect<Option.Option<IdempotencyRecord>, PersistenceUnavailable>;
}
export class IdempotencyStore extends Context.Tag("cartwright/IdempotencyStore")<IdempotencyStore, IdempotencyStoreShape>() {}
