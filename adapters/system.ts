import { randomUUID } from "node:crypto";
import { Effect, Layer } from "effect";
import { Clock, IdGenerator, HoldPolicy, type Timestamp } from "../domain/index.js";

export const SystemClock = Layer.succeed(Clock, { now: Effect.sync(() => Date.now() as Timestamp) });

export const RandomIds = Layer.succeed(IdGenerator, { next: Effect.sync(() => randomUUID()) });

export const holdPolicy = (holdTtlMs: number) => Layer.succeed(HoldPolicy, { holdTtlMs });
