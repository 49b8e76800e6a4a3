import { Context, Effect, Schema } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { Timestamp } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";

/** One limit: at most `max` attempts per fixed window of `windowMs` for `key` (an IP, a hashed account). */
export interface AttemptLimit {
  readonly key: string;
  readonly max: number;
  readonly windowMs: number;
}

/** Too many attempts for one of the keys: retry after the window ends. */
export class TooManyAttempts extends Schema.TaggedError<TooManyAttempts>()("TooManyAttempts", {
  retryAfterSeconds: Schema.Int,
}) {}

export interface AttemptCounterShape {
  /**
   * Counts one attempt for `key` in the window containing `now`, unless the window already holds `max`:
   * one conditional write, shared by every instance that uses the same store.
   */
  readonly hit: (
    key: string,
    max: number,
    windowMs: number,
    now: Timestamp,
  ) => Effect.Effect<{ readonly allowed: boolean; readonly windowEndsAt: number }, PersistenceUnavailable>;
  /** Takes back one attempt counted for `key` in the window containing `now` (a login that turned out right); never below 0. */
  readonly forgive: (key: string, windowMs: number, now: Timestamp) => Effect.Effect<void, PersistenceUnavailable>;
}
/** Fixed-window attempt counters (login and register limits): in the table, or in memory. */
export class AttemptCounter extends Context.Tag("cartwright/AttemptCounter")<AttemptCounter, AttemptCounterShape>() {}

/** The window containing `now`: [start, start + windowMs). */
export const windowOf = (now: number, windowMs: number) => {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, end: start + windowMs };
};

/** Counts an attempt against each limit in turn; the first that is full refuses it (later ones are not counted). */
export const admitAttempt = (limits: ReadonlyArray<AttemptLimit>) =>
  Effect.gen(function* () {
    const counter = yield* AttemptCounter;
    const now = yield* (yield* Clock).now;
    for (const limit of limits) {
      const { allowed, windowEndsAt } = yield* counter.hit(limit.key, limit.max, limit.windowMs, now);
      if (!allowed) return yield* new TooManyAttempts({ retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt - now) / 1000)) });
    }
  });
