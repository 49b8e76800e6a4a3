import { Effect, Either, Option, type Layer } from "effect";
import { afterAll, beforeAll } from "vitest";
import {
  CartStore,
  type EventLog,
  type EventReceipts,
  type PaymentEventLog,
  type AttemptCounter,
  IdempotencyStore,
  OrderStore,
  ProductStore,
  UserStore,
} from "../../domain/index.js";
import { runWith } from "../support/run.js";
import { describeProductContract } from "./product-contract.js";
import { describeCatalogContract } from "./catalog-contract.js";
import { describeCartContract } from "./cart-contract.js";
import { describeOrderContract } from "./order-contract.js";
import { describeUserContract } from "./user-contract.js";
import { describeCartRulesContract } from "./cart-rules-contract.js";
import { describeBoundsContract } from "./bounds-contract.js";
import { describeOutboxContract } from "./outbox-contract.js";
import { describeReceiptsContract } from "./receipts-contract.js";

export type Stores = ProductStore | CartStore | OrderStore | IdempotencyStore | UserStore | EventLog | EventReceipts | PaymentEventLog | AttemptCounter;

export interface StoreSystem {
  readonly layer: Layer.Layer<Stores>;
  readonly teardown?: () => Promise<void>;
}

/** What each contract section gets: a runner over the system under test, ready after beforeAll. */
export interface ContractContext {
  run<A, E>(effect: Effect.Effect<A, E, Stores>): Promise<Either.Either<A, E>>;
  /** Runs and expects success. */
  ok<A, E>(effect: Effect.Effect<A, E, Stores>): Promise<A>;
}

/**
 * The one contract every store adapter passes: the in-memory stores and the
 * DynamoDB stores run these same tests unchanged.
 */
export const describeStoreContract = (name: string, setup: () => Promise<StoreSystem>) => {
  let system: StoreSystem | undefined;
  const ctx: ContractContext = {
    run: (effect) => {
      if (!system) throw new Error("store contract used before setup");
      return runWith(system.layer)(effect);
    },
    ok: async (effect) => {
      const result = await ctx.run(effect);
      if (Either.isLeft(result)) throw new Error(`expected success, got ${JSON.stringify(result.left)}`);
      return result.right;
    },
  };
  beforeAll(async () => {
    system = await setup();
  });
  afterAll(async () => {
    await system?.teardown?.();
  });
  describeProductContract(name, ctx);
  describeCatalogContract(name, ctx);
  describeCartContract(name, ctx);
  describeOrderContract(name, ctx);
  describeUserContract(name, ctx);
  describeCartRulesContract(name, ctx);
  describeBoundsContract(name, ctx);
  describeOutboxContract(name, ctx);
  describeReceiptsContract(name, ctx);
};

export const getProduct = (id: string) =>
  Effect.flatMap(ProductStore, (s) => s.get(id as never)).pipe(Effect.map(Option.getOrThrow));

/** Follows cursors to the end and returns every item. */
export const allPages = async <A>(page: (cursor?: string) => Promise<{ items: ReadonlyArray<A>; nextCursor: string | null }>) => {
  const items: Array<A> = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return items;
};
