/**
 * What a failed write reports: "not_applied" only when no attempt was sent or every answer proves it
 * was refused; "unknown" once an attempt was sent and no answer came. On DynamoDB Local, through a
 * transport that loses, delays or replaces answers (tests/support/faulty-transport.ts).
 */
import { Effect, Either, Layer } from "effect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeDynamo } from "../../adapters/dynamodb/client.js";
import { dynamoStores, type RetryPolicy } from "../../adapters/dynamodb/layer.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import { adjustStock, createProduct, getProduct, ProductStore, type ProductId } from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { type Fault, type FaultyClient, makeFaultyClient } from "../support/faulty-transport.js";
import { eur, uniqueId } from "../support/fixtures.js";
import { runWith } from "../support/run.js";

let table: FreshTable;
let faulty: FaultyClient;
beforeAll(async () => {
  table = await freshTable();
  faulty = makeFaultyClient(table.endpoint);
});
afterEach(() => faulty.plan(() => "pass"));
afterAll(async () => {
  faulty.client.destroy();
  await deleteTable(table);
});

const policy: Partial<RetryPolicy> = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, attemptTimeoutMs: 600 };
const system = () => runWith(Layer.mergeAll(dynamoStores({ client: faulty.client, tableName: table.tableName, retry: policy }), makeManualClock().layer, RandomIds, holdPolicy(60_000)));

// Set-up and checks go through a plain client with the default policy: a slow shared machine must not fail them.
const healthy = () => runWith(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName }), makeManualClock().layer, RandomIds, holdPolicy(60_000)));
const newProduct = async (stock: number) => {
  const p = await healthy()(createProduct({ id: uniqueId("p") as ProductId, name: "Thing", category: "outcome", price: eur(100), stock }));
  return Either.getOrThrow(p);
};
const stockOf = async (id: ProductId) => Either.getOrThrow(await healthy()(getProduct(id))).stock;
const onTransactions = (fault: Fault) => (operation: string) => (operation === "TransactWriteItems" ? fault : "pass");

describe("DynamoStores write outcome", () => {
  it.each([
    ["every answer is lost (connection reset after sending)", "lose"],
    ["every answer comes after the attempt timeout", "late"],
    ["every attempt gets a 500 InternalServerError after the store applied it", "error500"],
  ] as const)("reports outcome unknown when %s, and the retried transaction applied it once (same ClientRequestToken)", async (_, fault) => {
    const p = await newProduct(5);
    faulty.plan(onTransactions(fault));

    const result = await system()(adjustStock(p.id, 4));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", operation: "ProductStore.adjustStock", outcome: "unknown" } });
    expect(faulty.attempts("TransactWriteItems")).toBe(3);
    faulty.plan(() => "pass");
    expect(await stockOf(p.id)).toBe(9);
  });

  it("reports outcome unknown, not 'not applied', for a 200 whose body is cut short (the SDK tags that error with the 200: the write committed)", async () => {
    const p = await newProduct(5);
    faulty.plan(onTransactions("garbled"));

    const result = await system()(adjustStock(p.id, 4));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", outcome: "unknown" } });
    faulty.plan(() => "pass");
    expect(await stockOf(p.id)).toBe(9);
  });

  it.each([
    ["the connection is refused", "refuse"],
    ["every attempt is throttled", "throttle"],
  ] as const)("keeps outcome not_applied when %s, and nothing was written", async (_, fault) => {
    const p = await newProduct(5);
    faulty.plan(onTransactions(fault));

    const result = await system()(adjustStock(p.id, 4));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", outcome: "not_applied" } });
    faulty.plan(() => "pass");
    expect(await stockOf(p.id)).toBe(5);
  });

  it("stays unknown when a throttled retry follows an attempt that was sent and not answered", async () => {
    const p = await newProduct(5);
    faulty.plan((operation, n) => (operation !== "TransactWriteItems" ? "pass" : n === 1 ? "lose" : "throttle"));

    const result = await system()(adjustStock(p.id, 4));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", outcome: "unknown" } });
    faulty.plan(() => "pass");
    expect(await stockOf(p.id)).toBe(9);
  });

  it("succeeds, applied once, when a retry gets the answer the first attempt lost", async () => {
    const p = await newProduct(5);
    faulty.plan((operation, n) => (operation === "TransactWriteItems" && n === 1 ? "late" : "pass"));

    const adjusted = Either.getOrThrow(await system()(adjustStock(p.id, 4)));

    expect([adjusted.value.stock, faulty.attempts("TransactWriteItems"), await stockOf(p.id)]).toEqual([9, 2, 9]);
  });

  it("answers success, not a refusal, when a retried transaction meets the state its own lost attempt committed (same ClientRequestToken)", async () => {
    const p = await newProduct(5);
    // Evaluated again, the retry's condition (available >= 4) would fail on the stock of 1 left by the first attempt.
    faulty.plan((operation, n) => (operation === "TransactWriteItems" && n === 1 ? "lose" : "pass"));

    const adjusted = Either.getOrThrow(await system()(adjustStock(p.id, -4)));

    expect([adjusted.value.stock, faulty.attempts("TransactWriteItems"), await stockOf(p.id)]).toEqual([1, 2, 1]);
  });

  it("trusts a transaction's refusal after an unanswered attempt that never reached the store (under the token, a committed one would answer success)", async () => {
    const p = await newProduct(5);
    faulty.plan((operation, n) => (operation === "TransactWriteItems" && n === 1 ? "drop" : "pass"));

    const result = await system()(adjustStock(p.id, -6));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "InventoryStockBelowReserved" } });
    expect([faulty.attempts("TransactWriteItems"), await stockOf(p.id)]).toEqual([2, 5]);
  });

  it("answers a read that lost its answer with not_applied after retrying it (a read changes nothing)", async () => {
    const p = await newProduct(5);
    faulty.plan((operation) => (operation === "GetItem" ? "lose" : "pass"));

    const result = await system()(Effect.flatMap(ProductStore, (s) => s.get(p.id)));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", outcome: "not_applied" } });
    expect(faulty.attempts("GetItem")).toBe(3);
  });
});

describe("Dynamo.update after an attempt that may have committed", () => {
  const counter = (dynamo: ReturnType<typeof makeDynamo>, key: string) =>
    dynamo.update("Test.count", { Key: { PK: key, SK: "COUNT" }, UpdateExpression: "ADD hits :one", ExpressionAttributeValues: { ":one": 1 }, ReturnValues: "ALL_NEW" });
  const hitsOf = async (key: string) => {
    const dynamo = makeDynamo({ client: table.client, tableName: table.tableName });
    const item = await Effect.runPromise(dynamo.get("Test.read", { Key: { PK: key, SK: "COUNT" }, ConsistentRead: true }));
    return item?.["hits"];
  };

  it("is not retried, so an ADD is applied once, and reports outcome unknown", async () => {
    const dynamo = makeDynamo({ client: faulty.client, tableName: table.tableName, retry: policy });
    const key = uniqueId("count");
    faulty.plan((operation) => (operation === "UpdateItem" ? "lose" : "pass"));

    const result = await Effect.runPromise(Effect.either(counter(dynamo, key)));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", outcome: "unknown" } });
    expect(faulty.attempts("UpdateItem")).toBe(1);
    faulty.plan(() => "pass");
    expect(await hitsOf(key)).toBe(1);
  });

  it("is retried after answers that prove nothing was written (throttling), and applied once", async () => {
    const dynamo = makeDynamo({ client: faulty.client, tableName: table.tableName, retry: policy });
    const key = uniqueId("count");
    faulty.plan((operation, n) => (operation === "UpdateItem" && n <= 2 ? "throttle" : "pass"));

    const result = await Effect.runPromise(Effect.either(counter(dynamo, key)));

    expect(Either.isRight(result)).toBe(true);
    expect([faulty.attempts("UpdateItem"), await hitsOf(key)]).toEqual([3, 1]);
  });
});
