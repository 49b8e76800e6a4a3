import { Schema } from "effect";

/** The idempotency key was already used for a different request (another cart, product or amount). */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String,
}) {}

/** A store refused a write because the key's record already exists (a concurrent twin won). */
export class IdempotencyKeyTaken extends Schema.TaggedError<IdempotencyKeyTaken>()("IdempotencyKeyTaken", {
  key: Schema.String,
}) {}
