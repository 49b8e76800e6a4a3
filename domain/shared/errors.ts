import { Schema } from "effect";

/** The store could not be reached or kept failing past the retry budget; nothing was half-written. */
export class PersistenceUnavailable extends Schema.TaggedError<PersistenceUnavailable>()("PersistenceUnavailable", {
  operation: Schema.String,
  /** Why, for the log: retries exhausted, the request's deadline reached, the last failure. */
  reason: Schema.optional(Schema.String),
}) {}

/** A pagination cursor that this store did not issue, or issued for another query. */
export class PaginationCursorInvalid extends Schema.TaggedError<PaginationCursorInvalid>()("PaginationCursorInvalid", {}) {}
