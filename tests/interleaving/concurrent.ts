/**
 * A concurrent model test. Customers' sessions (each a few cart, checkout and cancel requests in a row),
 * the sweeper and clock ticks run at once; every store call is a step, and a fast-check-chosen schedule
 * decides which task makes the next one. The sweeper's and lazy release's read/commit windows, and
 * checkout's, are thereby interleaved with other customers' and the same customer's other requests.
 * After every single store call the stored state must keep the invariants.
 */
import { Effect, type Layer } from "effect";
import fc from "fast-check";
import { expect, it } from "vitest";
import {
  addToCart,
  cancelOrder,
  changeQuantity,
  listMyOrders,
  placeOrder,
  releaseExpiredHolds,
  removeFromCart,
  renewCart,
} from "../../domain/index.js";
import type { Stores } from "../contract/store-contract.js";
import type { Services } from "../model/system.js";
import { gateEveryCall } from "./hooks.js";
import { openSharedShop, type SharedShop, ttlMs } from "./shop.js";
import { pct, Turns } from "./turns.js";

const products = 2;
const customers = 2;
const minutes = 60_000;

type Request =
  | { readonly kind: "add" | "change" | "readd"; readonly p: number; readonly q: number }
  | { readonly kind: "remove"; readonly p: number }
  | { readonly kind: "checkout"; readonly k: number }
  | { readonly kind: "cancel" | "renew" };

type Task =
  | { readonly kind: "session"; readonly c: number; readonly requests: ReadonlyArray<Request> }
  | { readonly kind: "sweep" }
  | { readonly kind: "advance"; readonly ms: number };

// Skewed towards customer 0 and product 0, so the tasks of one run often meet on the same line.
const skewed = (n: number) => fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(n - 1) });
const p = skewed(products);
const q = fc.integer({ min: 1, max: 4 });
const request: fc.Arbitrary<Request> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("add" as const), p, q }) },
  // A client that updates a line by deleting it and adding it again: the new hold reuses nothing of the old.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("readd" as const), p, q }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("change" as const), p, q: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), p }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("checkout" as const), k: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("cancel" as const, "renew" as const) }) },
);
const session = (requests: fc.Arbitrary<Request>, maxLength: number) =>
  fc.record({ kind: fc.constant("session" as const), c: skewed(customers), requests: fc.array(requests, { minLength: 1, maxLength }) });
const advance = fc.record({ kind: fc.constant("advance" as const), ms: fc.constantFrom(5 * minutes, ttlMs) });
const task: fc.Arbitrary<Task> = fc.oneof(
  { weight: 4, arbitrary: session(request, 3) },
  { weight: 2, arbitrary: fc.constant({ kind: "sweep" as const }) },
  { weight: 1, arbitrary: advance },
);
/** What exists before the race: holds taken some minutes before it (45: expired by then, unreleased), maybe an order. */
const setup = fc.record({
  holds: fc.array(fc.record({ c: skewed(customers), p, q, age: fc.constantFrom(0, 20, 45) }), { maxLength: 4 }),
  order: fc.option(fc.record({ c: skewed(customers), p, q }), { freq: 3 }),
});

type Setup = typeof setup extends fc.Arbitrary<infer S> ? S : never;

const prepare = async (shop: SharedShop, { holds, order }: Setup) => {
  if (order) {
    await shop.run(addToCart(shop.customerId(order.c), shop.productId(order.p), order.q));
    await shop.run(placeOrder(shop.customerId(order.c), shop.key(order.c, 9)));
  }
  let age = 60;
  for (const h of [...holds].sort((a, b) => b.age - a.age)) {
    shop.clock.advance((age - h.age) * minutes);
    age = h.age;
    await shop.run(addToCart(shop.customerId(h.c), shop.productId(h.p), h.q));
  }
  shop.clock.advance(age * minutes);
};

const useCase = (shop: SharedShop, c: number, r: Request) => {
  const id = shop.customerId(c);
  switch (r.kind) {
    case "add": return addToCart(id, shop.productId(r.p), r.q);
    case "change": return changeQuantity(id, shop.productId(r.p), r.q);
    case "remove": return removeFromCart(id, shop.productId(r.p));
    case "readd": return Effect.zipRight(Effect.either(removeFromCart(id, shop.productId(r.p))), addToCart(id, shop.productId(r.p), r.q));
    case "checkout": return placeOrder(id, shop.key(c, r.k));
    case "renew": return renewCart(id);
    case "cancel":
      return Effect.flatMap(listMyOrders(id, { limit: 10 }), (page): Effect.Effect<unknown, unknown, Services> => {
        const placed = page.items.find((o) => o.status === "placed");
        return placed ? cancelOrder({ userId: id, role: "customer" }, placed.id) : Effect.void;
      });
  }
};

/** Runs a task; typed refusals are outcomes, a defect (what the domain can only die on) rejects. */
const perform = async (shop: SharedShop, t: Task, stores: Layer.Layer<Stores>, tick: (act: () => void) => Promise<void>) => {
  if (t.kind === "advance") return tick(() => shop.clock.advance(t.ms));
  const actor = shop.actor(stores);
  if (t.kind === "sweep") return void (await actor.run(releaseExpiredHolds(100)));
  for (const r of t.requests) await actor.run(useCase(shop, t.c, r) as Effect.Effect<unknown, unknown>);
};

/** Every invariant, read through the plain (ungated) stores while every task waits at a gate. */
const checkInvariants = async (shop: SharedShop, initialStock: ReadonlyArray<number>) => {
  const now = shop.clock.now();
  const everyone = Array.from({ length: customers }, (_, i) => i);
  const lines = (await Promise.all(everyone.map((i) => shop.cartOf(i)))).flatMap((cart) => cart.lines);
  const orders = (await Promise.all(everyone.map((i) => shop.ok(listMyOrders(shop.customerId(i), { limit: 100 }))))).flatMap((page) => page.items);
  for (let i = 0; i < products; i++) {
    const product = await shop.stored(i);
    const holds = lines.filter((l) => l.productId === product.id && !l.released);
    const held = holds.reduce((n, l) => n + l.quantity, 0);
    const live = holds.filter((l) => l.expiresAt > now).reduce((n, l) => n + l.quantity, 0);
    const sold = orders
      .filter((o) => o.status !== "cancelled")
      .flatMap((o) => o.lines)
      .filter((l) => l.productId === product.id)
      .reduce((n, l) => n + l.quantity, 0);
    // invariant: reserved = units of unreleased holds, 0 <= reserved <= stock, live held units <= stock
    expect({ product: i, reserved: product.reserved }).toEqual({ product: i, reserved: held });
    expect(product.reserved <= product.stock && live <= product.stock).toBe(true);
    // invariant: every order's units left stock exactly once (and came back once if it was cancelled)
    expect({ product: i, stockPlusSold: product.stock + sold }).toEqual({ product: i, stockPlusSold: initialStock[i] });
  }
};

/**
 * Regression (found by this test, in the scheduler): renewal reads its products concurrently, so one
 * task waits at two gates at once; a scheduler keeping one slot per task lost a call and never settled.
 */
const renewReadsConcurrently: [Array<number>, Setup, Array<Task>, Array<number>, Array<number>] = [
  [4, 3],
  { holds: [{ c: 0, p: 1, q: 3, age: 45 }, { c: 0, p: 0, q: 1, age: 45 }, { c: 0, p: 0, q: 2, age: 20 }], order: { c: 0, p: 0, q: 3 } },
  [
    { kind: "session", c: 0, requests: [{ kind: "add", p: 0, q: 4 }] },
    { kind: "session", c: 0, requests: [{ kind: "add", p: 0, q: 4 }, { kind: "cancel" }, { kind: "renew" }] },
  ],
  [41, 66, 45, 4],
  [8, 0],
];

export interface ConcurrentRunStats {
  runs: number;
  steps: number;
}

/** `numRuns` schedules (one interleaving each) of 2-4 concurrent tasks after a random setup. */
export const runConcurrentModelTest = (
  name: string,
  makeStores: () => Promise<{ layer: Layer.Layer<Stores>; teardown?: () => Promise<void> }>,
  options: { readonly numRuns: number; readonly timeout: number; readonly stats?: ConcurrentRunStats },
) =>
  it(
    name,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: products, maxLength: products }),
          setup,
          fc.array(task, { minLength: 2, maxLength: 4 }),
          fc.array(fc.nat(99), { minLength: 4, maxLength: 4 }),
          fc.array(fc.nat(8), { minLength: 1, maxLength: 2 }),
          async (stocks, before, tasks, priorities, changePoints) => {
            const system = await makeStores();
            const shop = openSharedShop(system.layer);
            try {
              for (const [i, stock] of stocks.entries()) await shop.product(i, stock);
              await prepare(shop, before);
              const turns = new Turns();
              const outcomes = tasks.map((t, id) =>
                turns.start(id, () => perform(shop, t, gateEveryCall(system.layer, turns.gate(id)), (act) => turns.step(id, "clock", act))),
              );
              const steps = await turns.interleave(pct(priorities, changePoints), () => checkInvariants(shop, stocks));
              await Promise.all(outcomes);
              if (options.stats) {
                options.stats.runs++;
                options.stats.steps += steps;
              }
            } finally {
              await shop.dispose();
              await system.teardown?.();
            }
          },
        ),
        {
          numRuns: options.numRuns,
          // Shrinking async runs can be slow: stop it in time to report the smallest counterexample found so far.
          interruptAfterTimeLimit: options.timeout - 15_000,
          examples: [renewReadsConcurrently],
        },
      );
    },
    options.timeout,
  );
