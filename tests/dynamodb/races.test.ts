import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { Effect, Either, Layer, Option } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import {
  addToCart,
  CartStore,
  type Clock,
  createProduct,
  type HoldPolicy,
  type IdGenerator,
  type IdempotencyKey,
  listMyOrders,
  placeOrder,
  ProductStore,
  releaseExpiredHolds,
  releaseExpiredHoldsOf,
  type ProductId,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, patientRetry, type FreshTable } from "../support/dynamo.js";
import { eur, uniqueId } from "../support/fixtures.js";
import { runs } from "../support/depth.js";
import { outcome, runWith } from "../support/run.js";

const ttlMs = 60_000;
const clock = makeManualClock();
const tables: Array<FreshTable> = [];

/** Use cases over the DynamoDB stores of a fresh table (the sweeper reads every expired hold of its table). */
const system = async () => {
  const table = await freshTable();
  tables.push(table);
  const run = runWith(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName, retry: patientRetry }), clock.layer, RandomIds, holdPolicy(ttlMs)));
  const ok = async <A, E>(effect: Effect.Effect<A, E, Services>) => Either.getOrThrow(await run(effect));
  return {
    run,
    ok,
    newProduct: (stock: number) =>
      ok(createProduct({ id: uniqueId("p") as ProductId, name: "Hot item", category: "races", price: eur(500), stock })),
    stored: (id: ProductId) => ok(Effect.flatMap(ProductStore, (s) => s.get(id)).pipe(Effect.map(Option.getOrThrow))),
    cartOf: (c: UserId) => ok(Effect.flatMap(CartStore, (s) => s.get(c))),
    /** The stored `available` counter, which only the adapter sees. */
    availableAttribute: async (id: ProductId) =>
      (await DynamoDBDocumentClient.from(table.client).send(new GetCommand({ TableName: table.tableName, Key: { PK: `PRODUCT#${id}`, SK: "PRODUCT" } })))
        .Item?.available,
  };
};
type Services = Layer.Layer.Success<ReturnType<typeof dynamoStores>> | Clock | IdGenerator | HoldPolicy;

afterAll(() => Promise.all(tables.map(deleteTable)));

const customers = (n: number) => Array.from({ length: n }, () => uniqueId("c") as UserId);

describe("addToCart under contention", () => {
  // Four buyers per unit: 100 in npm test, 200 with TEST_DEPTH=deep (or RACE_BUYERS). The transactions on one item
  // queue in DynamoDB Local: slow while the other worker runs, which is not what this tests.
  const buyerCount = runs(100, { deep: 200, env: "RACE_BUYERS" });
  const stock = Math.floor(buyerCount / 4);
  it(`lets exactly ${stock} of ${buyerCount} concurrent one-unit reservations through on a stock of ${stock} (invariant: no oversell)`, { timeout: 120_000 }, async () => {
    const { run, newProduct, stored, cartOf, availableAttribute } = await system();
    const p = await newProduct(stock);
    const buyers = customers(buyerCount);

    const results = await Promise.all(buyers.map((c) => run(addToCart(c, p.id, 1))));

    const tags = results.map(outcome);
    expect(tags.filter((t) => t === "ok")).toHaveLength(stock);
    expect(tags.filter((t) => t !== "ok").every((t) => t === "InventoryInsufficientStock")).toBe(true);
    expect(await stored(p.id)).toMatchObject({ stock, reserved: stock });
    expect(await availableAttribute(p.id)).toBe(0);
    const lines = await Promise.all(buyers.map(cartOf));
    expect(lines.filter((cart) => cart.lines.length === 1)).toHaveLength(stock);
  });
});

describe("placeOrder under contention", () => {
  it("turns 10 concurrent checkouts with one idempotency key into exactly one order that every caller gets", async () => {
    const { ok, newProduct, stored, cartOf } = await system();
    const [a, b] = [await newProduct(10), await newProduct(10)];
    const [buyer] = customers(1) as [UserId];
    await ok(addToCart(buyer, a.id, 2));
    await ok(addToCart(buyer, b.id, 3));
    const key = uniqueId("key") as IdempotencyKey;

    const results = await Promise.all(Array.from({ length: 10 }, () => ok(placeOrder(buyer, key))));

    const ids = new Set(results.map((r) => r.order.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await ok(listMyOrders(buyer, { limit: 50 }))).items.map((o) => o.id)).toEqual([...ids]);
    expect(await stored(a.id)).toMatchObject({ stock: 8, reserved: 0 });
    expect(await stored(b.id)).toMatchObject({ stock: 7, reserved: 0 });
    expect((await cartOf(buyer)).lines).toEqual([]);
  });
});

describe("releaseExpiredHolds racing lazy release", () => {
  it("reports exactly one release per expired hold across two sweepers and two lazy releases (invariant: released once)", async () => {
    const { ok, newProduct, stored } = await system();
    const p = await newProduct(30);
    await Promise.all(customers(30).map((c) => ok(addToCart(c, p.id, 1))));
    clock.advance(ttlMs + 1);

    const reports = await Promise.all([
      ok(releaseExpiredHolds(1000)),
      ok(releaseExpiredHoldsOf(p.id, clock.now())),
      ok(releaseExpiredHolds(1000)),
      ok(releaseExpiredHoldsOf(p.id, clock.now())),
    ]);

    expect(reports.reduce((n, r) => n + r.released, 0)).toBe(30);
    expect(await stored(p.id)).toMatchObject({ stock: 30, reserved: 0 });
  });

  it("releases every expired hold exactly once, whoever gets there first (invariant: reserved = units of unreleased holds)", async () => {
    const { run, ok, newProduct, stored, cartOf, availableAttribute } = await system();
    const p = await newProduct(60);
    const holders = customers(40);
    await Promise.all(holders.map((c, i) => ok(addToCart(c, p.id, 1 + (i % 2)))));
    expect(await stored(p.id)).toMatchObject({ reserved: 60 });
    clock.advance(ttlMs + 1);
    const latecomers = customers(5);

    const [sweeps, lazy, adds] = await Promise.all([
      Promise.all([ok(releaseExpiredHolds(1000)), ok(releaseExpiredHolds(1000))]),
      Promise.all([ok(releaseExpiredHoldsOf(p.id, clock.now())), ok(releaseExpiredHoldsOf(p.id, clock.now()))]),
      Promise.all(latecomers.map((c) => run(addToCart(c, p.id, 1)))),
    ]);

    const releasedByCallers = [...sweeps, ...lazy].reduce((n, r) => n + r.released, 0);
    expect(releasedByCallers).toBeLessThanOrEqual(40);
    expect(adds.map(outcome).every((t) => t === "ok" || t === "InventoryInsufficientStock")).toBe(true);
    const old = (await Promise.all(holders.map(cartOf))).flatMap((cart) => cart.lines);
    expect(old.every((l) => l.released && l.version === 2)).toBe(true);
    const fresh = (await Promise.all(latecomers.map(cartOf))).flatMap((cart) => cart.lines);
    const held = fresh.filter((l) => !l.released).reduce((n, l) => n + l.quantity, 0);
    expect(await stored(p.id)).toMatchObject({ stock: 60, reserved: held });
    expect(await availableAttribute(p.id)).toBe(60 - held);
  });
});
