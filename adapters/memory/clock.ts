import { Effect, Layer } from "effect";
import { Clock, IdGenerator, type Timestamp } from "../../domain/index.js";

/** A clock that moves only when told to: for tests, demos and the model-based suite. */
export interface ManualClock {
  readonly layer: Layer.Layer<Clock>;
  now(): Timestamp;
  advance(ms: number): void;
  set(at: number): void;
}

export const makeManualClock = (start = Date.UTC(2026, 0, 1)): ManualClock => {
  let t = start;
  return {
    layer: Layer.succeed(Clock, { now: Effect.sync(() => t as Timestamp) }),
    now: () => t as Timestamp,
    advance: (ms) => {
      t += ms;
    },
    set: (at) => {
      t = at;
    },
  };
};

/** Readable, deterministic ids: `id-1`, `id-2`, ... */
export const SequentialIds = (prefix = "id") => {
  // The counter lives outside the layer so that every build of it keeps counting.
  let n = 0;
  return Layer.succeed(IdGenerator, { next: Effect.sync(() => `${prefix}-${++n}`) });
};
