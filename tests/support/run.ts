import { Effect, type Either, type Layer } from "effect";

/** Runs an effect against a layer and returns its outcome as an Either (defects still throw). */
export const runWith =
  <ROut>(layer: Layer.Layer<ROut, unknown>) =>
  <A, E>(effect: Effect.Effect<A, E, ROut>): Promise<Either.Either<A, E>> =>
    Effect.runPromise(Effect.either(effect).pipe(Effect.provide(layer)) as Effect.Effect<Either.Either<A, E>>);

/** The tag of a failed outcome, or "ok". */
export const outcome = (e: Either.Either<unknown, { readonly _tag: string }>): string =>
  e._tag === "Right" ? "ok" : e.left._tag;
