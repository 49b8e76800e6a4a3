import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { Effect, Either, Layer, Option } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { createTable } from "../../adapters/dynamodb/create-table.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { type DynamoLocal, makeLocalClient, startDynamoLocal } from "../../adapters/dynamodb/local.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import {
  addToCart,
  CartStore,
  type Clock,
  createProduct,
  type HoldPolicy,
  IdempotencyStore,
  type IdempotencyKey,
  type IdGenerator,
  listMyOrders,
  placeOrder,
  ProductStore,
  type ProductId,
  type UserId,
} from "../../domain/index.js";
import { eur, uniqueId } from "../support/fixtures.js";
import { outcome, runWith } from "../support/run.js";

const tableName = "cartwright-fault";
const clock = makeManualClock();
type Services = Layer.Layer.Success<ReturnType<typeof dynamoStores>> | Clock | IdGenerator | HoldPolicy;

const connect = (endpoint: string) => {
  const client = makeLocalClient(endpoint);
  // A small budget so callers learn quickly that the store is gone.
  const stores = dynamoStores({ client, tableName, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
  const run = runWith(Layer.mergeAll(stores, clock.layer, RandomIds, holdPolicy(3_600_000)));
  const ok = async <A, E>(effect: Effect.Effect<A, E, Services>) => Either.getOrThrow(await run(effect));
  return { client, run, ok };
};

const products = Array.from({ length: 4 }, (_, i) => `${uniqueId("p")}-${i}` as ProductId);
const buyers = Array.from({ length: 24 }, () => uniqueId("c") as UserId);
const keyOf = (c: UserId) => `key-${c}` as IdempotencyKey;
const initialStock = 200;

/** Everything stored is whole: each customer has an order with its record and no cart, or a cart and neither. */
const checkConsistent = async (ok: ReturnType<typeof connect>["ok"], client: DynamoDBClient) => {
  const sold = new Map<string, number>(products.map((p) => [p, 0]));
  const held = new Map<string, number>(products.map((p) => [p, 0]));
  const states = await Promise.all(
    buyers.map(async (c) => ({
      c,
      orders: (await ok(listMyOrders(c, { limit: 10 }))).items,
      cart: await ok(Effect.flatMap(CartStore, (s) => s.get(c))),
      record: await ok(Effect.flatMap(IdempotencyStore, (s) => s.find(c, keyOf(c)))),
    })),
  );
  let placed = 0;
  for (const { c, orders, cart, record } of states) {
    expect(orders.length).toBeLessThanOrEqual(1);
    expect({ customer: c, record: Option.isSome(record), cartEmpty: cart.lines.length === 0 }).toEqual({
      customer: c,
      record: orders.length === 1,
      cartEmpty: orders.length === 1,
    });
    for (const o of orders) for (const l of o.lines) sold.set(l.productId, sold.get(l.productId)! + l.quantity);
    for (const l of cart.lines) if (!l.released) held.set(l.productId, held.get(l.productId)! + l.quantity);
    placed += orders.length;
  }
  const doc = DynamoDBDocumentClient.from(client);
  for (const id of products) {
    const p = Option.getOrThrow(await ok(Effect.flatMap(ProductStore, (s) => s.get(id))));
    const raw = await doc.send(new GetCommand({ TableName: tableName, Key: { PK: `PRODUCT#${id}`, SK: "PRODUCT" } }));
    // invariants: stock + sold = initial; reserved = units of unreleased holds; available = stock - reserved
    expect({ id, stockPlusSold: p.stock + sold.get(id)!, reserved: p.reserved, available: raw.Item?.available }).toEqual({
      id,
      stockPlusSold: initialStock,
      reserved: held.get(id),
      available: p.stock - p.reserved,
    });
  }
  return placed;
};

describe("DynamoStores when DynamoDB stops mid-burst", () => {
  let engine: DynamoLocal | undefined;
  let dataDir = "";
  afterAll(async () => {
    await engine?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("fails callers with PersistenceUnavailable and leaves every checkout whole or absent after a restart (invariant: atomic checkout)", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cartwright-fault-"));
    engine = await startDynamoLocal({ dataDir });
    const first = connect(engine.endpoint);
    await createTable(first.client, tableName);
    for (const id of products) await first.ok(createProduct({ id, name: `Product ${id}`, category: "fault", price: eur(250), stock: initialStock }));
    await Promise.all(
      buyers.map(async (c, i) => {
        for (const id of products.slice(0, 1 + (i % products.length))) await first.ok(addToCart(c, id, 1 + (i % 3)));
      }),
    );

    let settled = 0;
    const burst = Promise.all(buyers.map((c) => first.run(placeOrder(c, keyOf(c))).finally(() => settled++)));
    while (settled < 5) await new Promise((r) => setTimeout(r, 5));
    const { port } = engine;
    await engine.stop();
    engine = undefined;
    const results = await burst;
    const outcomes = results.map(outcome);
    // The store is gone: a write now is refused before anything is sent, so "nothing was changed" is certain.
    const refused = await first.run(addToCart(buyers[0]!, products[0]!, 1));
    expect(refused).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", outcome: "not_applied" } });
    first.client.destroy();

    expect(outcomes.every((o) => o === "ok" || o === "PersistenceUnavailable")).toBe(true);
    // Stopped mid-burst: some checkouts got through before, the rest were told the store is unavailable.
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThanOrEqual(5);
    expect(outcomes).toContain("PersistenceUnavailable");

    engine = await startDynamoLocal({ dataDir, port });
    const second = connect(engine.endpoint);
    const placedBeforeRetry = await checkConsistent(second.ok, second.client);
    expect(placedBeforeRetry).toBeGreaterThanOrEqual(outcomes.filter((o) => o === "ok").length);
    // invariant: a checkout told "not applied" placed no order (only "unknown" ones may have)
    const notApplied = buyers.filter((_, i) => Either.isLeft(results[i]!) && Either.getLeft(results[i]!).pipe(Option.exists((e) => e._tag === "PersistenceUnavailable" && e.outcome === "not_applied")));
    for (const c of notApplied) expect({ c, orders: (await second.ok(listMyOrders(c, { limit: 10 }))).items.length }).toEqual({ c, orders: 0 });

    // The same keys again: each checkout completes or replays, none twice.
    const retried = await Promise.all(buyers.map((c) => second.ok(placeOrder(c, keyOf(c)))));
    expect(new Set(retried.map((r) => r.order.id)).size).toBe(buyers.length);
    expect(await checkConsistent(second.ok, second.client)).toBe(buyers.length);
    second.client.destroy();
  }, 90_000);
});
