import { Effect, Option } from "effect";
import { IdempotencyOps, type IdempotencyRecord, type IdempotencyScope } from "./record.js";
import { IdempotencyStore } from "./ports.js";
import { Clock } from "../shared/ports.js";
import type { IdempotencyKeyTaken } from "./errors.js";

export interface Once<A> {
  readonly value: A;
  /** True when the key had already done this request: nothing was applied again. */
  readonly replayed: boolean;
}

/**
 * Applies a request at most once per key. `perform` must store the record it is given atomically
 * with its change (failing with IdempotencyKeyTaken when the key already has one); a replay of the
 * same request gets `current()` instead, another request with the key IdempotencyKeyReused.
 * Without a key, `perform` simply runs.
 */
export const once = <A, E, R, E2, R2>(
  scope: IdempotencyScope | undefined,
  fingerprint: string,
  perform: (record: IdempotencyRecord | undefined) => Effect.Effect<A, E | IdempotencyKeyTaken, R>,
  current: () => Effect.Effect<A, E2, R2>,
) =>
  Effect.gen(function* () {
    if (scope === undefined) return { value: yield* perform(undefined), replayed: false } as Once<A>;
    const keys = yield* IdempotencyStore;
    const replay = (record: IdempotencyRecord) =>
      Effect.flatMap(IdempotencyOps.replayOf(record, fingerprint), () => Effect.map(current(), (value): Once<A> => ({ value, replayed: true })));
    const seen = yield* keys.find(scope.callerId, scope.key);
    if (Option.isSome(seen)) return yield* replay(seen.value);
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const done = yield* Effect.either(perform(IdempotencyOps.record(scope, fingerprint, now)));
    if (done._tag === "Right") return { value: done.right, replayed: false } as Once<A>;
    if (!isTaken(done.left)) return yield* Effect.fail(done.left as Exclude<E, IdempotencyKeyTaken>);
    // A twin with the same key committed first: its record is there now.
    const winner = yield* keys.find(scope.callerId, scope.key);
    return yield* replay(Option.getOrThrowWith(winner, () => new Error(`idempotency record ${scope.key} vanished`)));
  });

const isTaken = (e: unknown): e is IdempotencyKeyTaken =>
  typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "IdempotencyKeyTaken";
