/**
 * Every request has a deadline: on Lambda the invocation's remaining time minus a margin, locally a
 * configurable request timeout. Store attempts and their backoff never run past it (adapters/dynamodb/
 * client.ts reads `currentDeadline`); when it is spent the request answers the 503 problem instead of
 * running into the function's timeout: `store_unavailable` if no write was sent, `store_outcome_unknown`
 * if one was sent and its answer had not come.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Effect, FiberRef, GlobalValue } from "effect";

/** The epoch ms by which the running use case must be done with the store; unset: no deadline. */
export const currentDeadline: FiberRef.FiberRef<number | undefined> = GlobalValue.globalValue("cartwright/currentDeadline", () =>
  FiberRef.unsafeMake<number | undefined>(undefined),
);

interface DeadlineContext {
  getStore(): number | undefined;
  run<R>(deadline: number, f: () => R): R;
}

let context: DeadlineContext = new AsyncLocalStorage<number>();

/**
 * The deadline of the request being handled, as plain async context: set around a Lambda invocation
 * and around each route handler, read synchronously when a handler starts a use case.
 */
export const requestDeadline: DeadlineContext = {
  getStore: () => context.getStore(),
  run: (deadline, f) => context.run(deadline, f),
};

/**
 * A Lambda instance runs one invocation at a time, so its deadline can be the instance's, set by each
 * invocation: an AsyncLocalStorage would run async hooks on every promise of every request (the SDK's
 * middleware makes dozens). Called once by the API's Lambda entry; a local server keeps the per-request context.
 */
export const oneRequestAtATime = (): void => {
  let current: number | undefined;
  context = {
    getStore: () => current,
    run: (deadline, f) => {
      current = deadline;
      return f();
    },
  };
};

/** Runs an effect under the current request's deadline, if there is one. */
export const underRequestDeadline = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  const deadline = requestDeadline.getStore();
  return deadline === undefined ? effect : Effect.locally(effect, currentDeadline, deadline);
};

/** Time kept back on Lambda: the 503 is written and logged well before the function would time out. */
export const lambdaMarginMs = 1_500;

/** A Lambda invocation's deadline: its remaining time minus the margin (at least a little to try with). */
export const lambdaDeadline = (context: { getRemainingTimeInMillis(): number }, now = Date.now()): number =>
  now + Math.max(100, context.getRemainingTimeInMillis() - lambdaMarginMs);

/** The local default (`REQUEST_TIMEOUT_MS`). */
export const defaultRequestTimeoutMs = 8_000;
