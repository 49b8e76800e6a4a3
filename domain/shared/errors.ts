import { Schema } from "effect";

/** Whether a failed write may have committed all the same. */
export const PersistenceOutcome = Schema.Literal("not_applied", "unknown");
export type PersistenceOutcome = typeof PersistenceOutcome.Type;

/**
 * The store could not be reached or kept failing past the retry budget; nothing was half-written.
 * `outcome` says whether the change certainly did not happen (`not_applied`: nothing was sent, or
 * every answer proves it was refused) or may have committed (`unknown`: a write was sent and no answer
 * came). A read's failure is always `not_applied`; so is the default, which is only for failures raised
 * before anything was sent: whoever sent a write and lost its answer must say `unknown`.
 */
export class PersistenceUnavailable extends Schema.TaggedError<PersistenceUnavailable>()("PersistenceUnavailable", {
  operation: Schema.String,
  /** Why, for the log: retries exhausted, the request's deadline reached, the last failure. */
  reason: Schema.optional(Schema.String),
  outcome: Schema.optionalWith(PersistenceOutcome, { default: () => "not_applied" }),
}) {}

/** A pagination cursor that this store did not issue, or issued for another query. */
export class PaginationCursorInvalid extends Schema.TaggedError<PaginationCursorInvalid>()("PaginationCursorInvalid", {}) {}
