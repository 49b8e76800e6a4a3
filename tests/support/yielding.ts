import { Effect } from "effect";
import type fc from "fast-check";

/** Wraps every method of a service so that each call first waits for the scheduler: fast-check picks the interleaving. */
export const yielding = <S extends object>(s: fc.Scheduler, label: string, service: S): S =>
  Object.fromEntries(
    Object.entries(service).map(([name, value]) => [
      name,
      typeof value !== "function"
        ? value
        : (...args: Array<unknown>) =>
            Effect.zipRight(Effect.promise(() => s.schedule(Promise.resolve(), `${label}.${name}`)), (value as (...a: Array<unknown>) => Effect.Effect<unknown>)(...args)),
    ]),
  ) as S;
