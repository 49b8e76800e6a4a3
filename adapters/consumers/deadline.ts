/** The consumers' view of the invocation's deadline: the one the store calls already respect (adapters/deadline.ts). */
import { Effect, FiberRef, Layer } from "effect";
import { ConsumerDeadline } from "../../domain/index.js";
import { currentDeadline } from "../deadline.js";

export const FiberDeadline = Layer.succeed(ConsumerDeadline, {
  remainingMs: Effect.map(FiberRef.get(currentDeadline), (deadline) => (deadline === undefined ? undefined : deadline - Date.now())),
});
