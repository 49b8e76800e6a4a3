/** Store wrappers that stop use cases between their store calls: at one fixed point, or at every call. */
import { type Context, Effect, Layer } from "effect";
import { CartStore, IdempotencyStore, OrderStore, PaymentEventLog, ProductStore, UserStore } from "../../domain/index.js";
import type { Stores } from "../contract/store-contract.js";

type AnyCall = (...args: Array<unknown>) => Effect.Effect<unknown, unknown>;
type Methods<S> = { [K in keyof S]: S[K] extends (...args: never) => Effect.Effect<unknown, unknown> ? K : never }[keyof S];

/** `base` with one store replaced by `f` of it. */
const mapStore = <I, S extends object>(base: Layer.Layer<Stores>, tag: Context.Tag<I, S>, f: (store: S) => S): Layer.Layer<Stores> =>
  Layer.merge(base, Layer.effect(tag, Effect.map(tag, f)).pipe(Layer.provide(base))) as Layer.Layer<Stores>;

export interface Hook {
  readonly layer: Layer.Layer<Stores>;
  /** Whether the other actor's requests ran (a test asserts it, so it cannot pass vacuously). */
  readonly fired: () => boolean;
}

/** After the first call of `method` returns, `between` runs (another actor's requests) before the use case goes on. */
export const afterFirstCall = <I, S extends object>(
  base: Layer.Layer<Stores>,
  tag: Context.Tag<I, S>,
  method: Methods<S>,
  between: () => Promise<unknown>,
): Hook => {
  let fired = false;
  const once = Effect.suspend(() => {
    if (fired) return Effect.void;
    fired = true;
    return Effect.promise(between);
  });
  const layer = mapStore(base, tag, (store) => ({ ...store, [method]: (...args: Array<unknown>) => Effect.tap((store[method] as AnyCall)(...args), () => once) }));
  return { layer, fired: () => fired };
};

/** Every method of every store runs `gate(label, call)` instead of `call`. */
export const gateEveryCall = (base: Layer.Layer<Stores>, gate: <A, E>(label: string, call: Effect.Effect<A, E>) => Effect.Effect<A, E>) => {
  const wrap =
    (name: string) =>
    <S extends object>(store: S): S =>
      Object.fromEntries(
        Object.entries(store).map(([method, fn]) => [method, (...args: Array<unknown>) => gate(`${name}.${method}`, (fn as AnyCall)(...args))]),
      ) as S;
  const tags = [
    ["products", ProductStore],
    ["carts", CartStore],
    ["orders", OrderStore],
    ["keys", IdempotencyStore],
    ["users", UserStore],
    ["payevents", PaymentEventLog],
  ] as const;
  return tags.reduce<Layer.Layer<Stores>>((layer, [name, tag]) => mapStore(layer, tag as Context.Tag<unknown, object>, wrap(name)), base);
};
