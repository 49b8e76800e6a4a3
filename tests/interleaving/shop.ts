/**
 * Several runtimes over one set of stores, one manual clock and one id sequence: each actor of an
 * interleaving gets its own runtime (its stores may be wrapped), while ids and time stay shared.
 */
import { Effect, Either, Layer, ManagedRuntime, Option } from "effect";
import {
  CartStore,
  createProduct,
  type Currency,
  type IdempotencyKey,
  type Money,
  type Product,
  type ProductId,
  ProductStore,
  type PaymentGateway,
  type PaymentPolicy,
  type UserId,
} from "../../domain/index.js";
import { makeManualClock, SequentialIds, type ManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy } from "../../adapters/system.js";
import { testPayments } from "../support/payments.js";
import type { Stores } from "../contract/store-contract.js";
import type { Services } from "../model/system.js";

export const ttlMs = 30 * 60_000;

export interface Runner {
  run<A, E>(effect: Effect.Effect<A, E, Services>): Promise<Either.Either<A, E>>;
  ok<A, E>(effect: Effect.Effect<A, E, Services>): Promise<A>;
}

export interface SharedShop extends Runner {
  readonly clock: ManualClock;
  readonly stores: Layer.Layer<Stores>;
  /** A runtime for one actor, over `stores` (wrapped or not) with the shop's clock and ids. */
  actor(stores?: Layer.Layer<Stores>): Runner;
  product(i: number, stock: number, currency?: string): Promise<Product>;
  stored(i: number): Promise<Product>;
  cartOf(c: number): ReturnType<typeof cartOf>;
  productId(i: number): ProductId;
  customerId(c: number): UserId;
  key(c: number, k: number): IdempotencyKey;
  dispose(): Promise<void>;
}

const cartOf = (run: Runner, id: UserId) => run.ok(Effect.flatMap(CartStore, (s) => s.get(id)));

let shops = 0;

/** `payments`: the provider and policy every actor shares (one ledger); the simulated provider, manual payments on, by default. */
export const openSharedShop = (stores: Layer.Layer<Stores>, start = Date.UTC(2026, 0, 1), payments: Layer.Layer<PaymentGateway | PaymentPolicy> = testPayments()): SharedShop => {
  const prefix = `i${++shops}${Date.now().toString(36)}`;
  const clock = makeManualClock(start);
  // One layer value: its counter is shared by every runtime built from it.
  const ids = SequentialIds(`${prefix}id`);
  const runtimes: Array<ManagedRuntime.ManagedRuntime<Services, never>> = [];
  const actor = (layer: Layer.Layer<Stores> = stores): Runner => {
    const runtime = ManagedRuntime.make(Layer.mergeAll(layer, clock.layer, ids, holdPolicy(ttlMs), payments));
    runtimes.push(runtime);
    const run = <A, E>(effect: Effect.Effect<A, E, Services>) => runtime.runPromise(Effect.either(effect));
    return { run, ok: async (effect) => Either.getOrThrow(await run(effect)) };
  };
  const plain = actor();
  const productId = (i: number) => `${prefix}p${i}` as ProductId;
  return {
    ...plain,
    clock,
    stores,
    actor,
    product: (i, stock, currency = "EUR") =>
      plain.ok(
        createProduct({ id: productId(i), name: `Product ${i}`, category: "race", price: { amount: 1000, currency: currency as Currency } as Money, stock }),
      ),
    stored: (i) => plain.ok(Effect.flatMap(ProductStore, (s) => s.get(productId(i))).pipe(Effect.map(Option.getOrThrow))),
    cartOf: (c) => cartOf(plain, `${prefix}c${c}` as UserId),
    productId,
    customerId: (c) => `${prefix}c${c}` as UserId,
    key: (c, k) => `${prefix}key-${c}-${k}` as IdempotencyKey,
    dispose: async () => {
      await Promise.all(runtimes.map((r) => r.dispose()));
    },
  };
};
