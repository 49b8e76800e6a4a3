import { Effect, Either, Layer } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import {
  addToCart,
  adjustStock,
  CartStore,
  type Clock,
  createProduct,
  type Currency,
  type HoldPolicy,
  type IdempotencyKey,
  type IdGenerator,
  maxCartLines,
  type Money,
  type ProductId,
  ProductStore,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { uniqueId } from "../support/fixtures.js";
import { outcome, runWith } from "../support/run.js";

type Services = Layer.Layer.Success<ReturnType<typeof dynamoStores>> | Clock | IdGenerator | HoldPolicy;
let table: FreshTable | undefined;
afterAll(() => (table ? deleteTable(table) : undefined));

const system = async () => {
  table ??= await freshTable();
  const run = runWith(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName }), makeManualClock().layer, RandomIds, holdPolicy(60_000)));
  const ok = async <A, E>(effect: Effect.Effect<A, E, Services>) => Either.getOrThrow(await run(effect));
  const newProduct = (currency = "EUR") =>
    ok(createProduct({ id: uniqueId("p") as ProductId, name: "Racer", category: "races", price: { amount: 300, currency: currency as Currency } as Money, stock: 10 }));
  return { run, ok, newProduct, cartOf: (c: UserId) => ok(Effect.flatMap(CartStore, (s) => s.get(c))) };
};

describe("A cart under concurrent adds (DynamoDB Local, real concurrency)", () => {
  it(`holds exactly ${maxCartLines} lines when 50 different products are added at once (invariant: no transaction over 100 items)`, async () => {
    const { run, newProduct, cartOf } = await system();
    const products = [];
    for (let i = 0; i < 50; i++) products.push(await newProduct());
    const c = uniqueId("c") as UserId;

    const results = (await Promise.all(products.map((p) => run(addToCart(c, p.id, 1))))).map(outcome);

    expect(results.filter((r) => r === "ok")).toHaveLength(maxCartLines);
    expect(results.filter((r) => r !== "ok").every((r) => r === "CartLineLimitExceeded" || r === "CartConcurrentModification")).toBe(true);
    expect((await cartOf(c)).lines).toHaveLength(maxCartLines);
  });

  it("keeps one currency when products in two currencies are added to an empty cart at once (invariant: one currency per cart)", async () => {
    const { run, newProduct, cartOf } = await system();
    const products = [await newProduct("EUR"), await newProduct("USD"), await newProduct("EUR"), await newProduct("USD")];
    const c = uniqueId("c") as UserId;

    const results = (await Promise.all(products.map((p) => run(addToCart(c, p.id, 1))))).map(outcome);

    const lines = (await cartOf(c)).lines;
    expect(new Set(lines.map((l) => l.unitPrice.currency)).size).toBe(1);
    expect(results.filter((r) => r === "ok")).toHaveLength(lines.length);
    expect(results.filter((r) => r !== "ok")).toEqual(["CartCurrencyMismatch", "CartCurrencyMismatch"]);
  });

  it("applies twin requests with one Idempotency-Key once: one hold, one stock change (retries after a lost reply)", async () => {
    const { ok, newProduct, cartOf } = await system();
    const p = await newProduct();
    const c = uniqueId("c") as UserId;
    const key = uniqueId("key") as IdempotencyKey;

    const adds = await Promise.all(Array.from({ length: 6 }, () => ok(addToCart(c, p.id, 2, key))));
    const restocks = await Promise.all(Array.from({ length: 6 }, () => ok(adjustStock(p.id, 5, { callerId: "admin" as UserId, key }))));

    expect(adds.filter((a) => !a.replayed)).toHaveLength(1);
    expect(restocks.filter((a) => !a.replayed)).toHaveLength(1);
    expect((await cartOf(c)).lines).toMatchObject([{ productId: p.id, quantity: 2 }]);
    expect(await ok(Effect.flatMap(ProductStore, (s) => s.get(p.id)))).toMatchObject({ value: { stock: 15, reserved: 2 } });
  });
});
