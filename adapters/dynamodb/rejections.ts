/** Reading a refused write back into domain terms, and the builders shared by the transactions. */
import { Effect } from "effect";
import type { PersistenceUnavailable } from "../../domain/index.js";
import type { Failure, Rejected } from "./client.js";

/** Reads and unconditional writes: a refusal or an invalid request can only be a bug. */
export const unavailableOnly = <A>(effect: Effect.Effect<A, Failure>): Effect.Effect<A, PersistenceUnavailable> =>
  effect.pipe(Effect.catchTags({ DynamoRejected: Effect.die, DynamoInvalid: Effect.die }));

/** Maps a refused transaction to a domain error; a request DynamoDB found invalid is a bug. */
export const onRejected =
  <R extends Effect.Effect<never, unknown>>(map: (rejected: Rejected) => R) =>
  <A>(effect: Effect.Effect<A, Failure>): Effect.Effect<A, Effect.Effect.Error<R> | PersistenceUnavailable> =>
    effect.pipe(
      Effect.catchAll((e): Effect.Effect<never, Effect.Effect.Error<R> | PersistenceUnavailable> => {
        if (e._tag === "DynamoRejected") return map(e) as Effect.Effect<never, Effect.Effect.Error<R>>;
        return e._tag === "DynamoInvalid" ? Effect.die(e) : Effect.fail(e);
      }),
    );

export const failedAt = (rejected: Rejected, index: number): boolean => rejected.reasons[index]?.code === "ConditionalCheckFailed";

/** The item as it was when its condition failed (ReturnValuesOnConditionCheckFailure: ALL_OLD); undefined if absent. */
export const oldItemAt = (rejected: Rejected, index: number) => rejected.reasons[index]?.item;

export const numberOf = (item: Record<string, { N?: string }> | undefined, name: string): number => Number(item?.[name]?.N ?? 0);

/** One entry per product: DynamoDB refuses a transaction that touches an item twice. */
export const perProduct = <T extends { readonly productId: string }>(entries: ReadonlyArray<T>, amount: (t: T) => number) => {
  const sums = new Map<string, number>();
  for (const e of entries) sums.set(e.productId, (sums.get(e.productId) ?? 0) + amount(e));
  return [...sums].map(([productId, total]) => ({ productId, total }));
};
