/** Category counters on DynamoDB Local: the audit finds a wrong or missing one, the repair recounts it, safely beside product writes. */
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Effect, ManagedRuntime } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { recountCategories } from "../../adapters/dynamodb/category-recount.js";
import { Keys } from "../../adapters/dynamodb/keys.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeLocalClient } from "../../adapters/dynamodb/local.js";
import { dynamoSnapshot } from "../../adapters/dynamodb/snapshot.js";
import { audit, type Product, ProductStore, type Timestamp } from "../../domain/index.js";
import { deleteTable, type FreshTable, freshTable } from "../support/dynamo.js";
import { product, uniqueId } from "../support/fixtures.js";

const opened: Array<{ table: FreshTable; dispose: () => Promise<void> }> = [];
afterEach(async () => {
  for (const { table, dispose } of opened.splice(0)) {
    await dispose();
    await deleteTable(table);
  }
});

const openTable = async () => {
  const table = await freshTable();
  const runtime = ManagedRuntime.make(dynamoStores({ client: table.client, tableName: table.tableName }));
  opened.push({ table, dispose: () => runtime.dispose() });
  const store = <A, E>(f: (s: typeof ProductStore.Service) => Effect.Effect<A, E>) => runtime.runPromise(Effect.flatMap(ProductStore, f) as Effect.Effect<A>);
  const doc = DynamoDBDocumentClient.from(table.client);
  const create = (category: string, archived = false) => {
    const p: Product = { ...product(uniqueId("p"), { category }), ...(archived ? { archivedAt: 1 as Timestamp } : {}) };
    return store((s) => s.create(p)).then(() => p);
  };
  return {
    table,
    store,
    create,
    /** As a table written before the counters existed: the category has no counter item. */
    dropCounter: (category: string) => doc.send(new DeleteCommand({ TableName: table.tableName, Key: Keys.categoryCount(category) })),
    setCounter: (category: string, products: number) => doc.send(new PutCommand({ TableName: table.tableName, Item: { ...Keys.categoryCount(category), products } })),
    counter: async (category: string) => (await doc.send(new GetCommand({ TableName: table.tableName, Key: Keys.categoryCount(category), ConsistentRead: true }))).Item,
    findings: async () => {
      const report = audit(await dynamoSnapshot(table.client, table.tableName), { now: Date.now(), sweepIntervalMs: 60_000, recordRetentionMs: 60_000 });
      return report.violations.filter((v) => v.rule === "category-count-exact").map((v) => `${v.subject}: ${v.detail}`);
    },
  };
};

const isCounterWrite = (input: string) => input.includes('"CATEGORIES"') && input.includes("SET products");
const isProductScan = (input: string) => input.includes("begins_with(PK, :product)");

/** A client for the recount that runs `meanwhile` once, just before the first request `at` matches is sent; counts the counter writes. */
const clientWithWindow = (endpoint: string, at: (input: string) => boolean, meanwhile: () => Promise<unknown>) => {
  const client = makeLocalClient(endpoint);
  let writes = 0;
  let opened = false;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = JSON.stringify((args as { input?: unknown }).input);
      if (isCounterWrite(input)) writes++;
      if (!opened && at(input)) {
        opened = true;
        await meanwhile();
      }
      return next(args);
    },
    { step: "initialize", name: "recountWindow" },
  );
  return { client, writes: () => writes };
};

describe("recountCategories on DynamoDB Local", () => {
  it("sets every missing or wrong counter to its category's listed products, which the audit reported and then finds exact (invariant: count = listed products)", async () => {
    const t = await openTable();
    await Promise.all([t.create("tea"), t.create("tea"), t.create("tea", true), t.create("coffee"), t.create("coffee"), t.create("books", true)]);
    expect(await t.findings()).toEqual([]);
    await t.dropCounter("tea");
    await t.dropCounter("coffee");
    await t.setCounter("books", 5);
    expect((await t.findings()).sort()).toEqual(["category books: count 5, listed products 0", "category coffee: count absent, listed products 2", "category tea: count absent, listed products 2"]);

    const { repaired, unsettled } = await recountCategories(t.table.client, t.table.tableName);
    expect([...repaired].sort((a, b) => a.category.localeCompare(b.category))).toEqual([
      { category: "books", was: 5, now: 0 },
      { category: "coffee", was: undefined, now: 2 },
      { category: "tea", was: undefined, now: 2 },
    ]);
    expect(unsettled).toEqual([]);
    expect(await t.findings()).toEqual([]);
    expect(await t.store((s) => s.categories())).toEqual([{ category: "coffee", products: 2 }, { category: "tea", products: 2 }]);
    expect((await recountCategories(t.table.client, t.table.tableName)).repaired).toEqual([]);
  });

  it("keeps counting after a repair: a create and an archive move the repaired counter from its new value", async () => {
    const t = await openTable();
    const [a] = await Promise.all([t.create("tea"), t.create("tea")]);
    await t.dropCounter("tea");
    await recountCategories(t.table.client, t.table.tableName);
    await t.create("tea");
    await t.store((s) => s.setArchived(a!.id, 2 as Timestamp));
    expect(await t.counter("tea")).toMatchObject({ products: 2 });
    expect(await t.findings()).toEqual([]);
  });

  const windows: ReadonlyArray<readonly [string, (t: Awaited<ReturnType<typeof openTable>>, tea: ReadonlyArray<Product>) => Promise<unknown>]> = [
    ["a create", (t) => t.create("tea")],
    ["an archive", (t, tea) => t.store((s) => s.setArchived(tea[0]!.id, 2 as Timestamp))],
    ["a move to another category", (t, tea) => t.store((s) => s.update(tea[0]!.id, { category: "coffee" }))],
  ];

  it.each(windows)("refuses its write when %s commits between its read and its write, and counts again (invariant: count = listed products)", async (_, write) => {
    const t = await openTable();
    const tea = await Promise.all([t.create("tea"), t.create("tea")]);
    await t.create("coffee");
    await t.dropCounter("tea");
    const { client, writes } = clientWithWindow(t.table.endpoint, isCounterWrite, () => write(t, tea));
    try {
      const { unsettled } = await recountCategories(client, t.table.tableName);
      expect(unsettled).toEqual([]);
    } finally {
      client.destroy();
    }
    expect(writes()).toBe(2); // the first, computed before the product write, was refused
    expect(await t.findings()).toEqual([]);
  });

  it("counts again when a product write lands between its counter read and its scan, even when the new count equals the stale counter", async () => {
    const t = await openTable();
    await Promise.all([t.create("tea"), t.create("tea")]);
    await t.setCounter("tea", 3); // one too many: a create now makes the count 3 and the counter 4
    const { client, writes } = clientWithWindow(t.table.endpoint, isProductScan, () => t.create("tea"));
    try {
      expect((await recountCategories(client, t.table.tableName)).repaired).toEqual([{ category: "tea", was: 4, now: 3 }]);
    } finally {
      client.destroy();
    }
    expect(writes()).toBe(1);
    expect(await t.findings()).toEqual([]);
  });

  it("leaves every count exact when recounts run beside concurrent creates, archives and moves (invariant: count = listed products)", async () => {
    const t = await openTable();
    const seeded = await Promise.all(Array.from({ length: 8 }, (_, i) => t.create(i % 2 === 0 ? "tea" : "coffee")));
    await t.dropCounter("tea");
    await t.setCounter("coffee", 40);
    const writes = [
      ...Array.from({ length: 6 }, (_, i) => t.create(i % 2 === 0 ? "tea" : "coffee")),
      ...seeded.slice(0, 3).map((p) => t.store((s) => s.setArchived(p.id, 2 as Timestamp))),
      ...seeded.slice(3, 6).map((p) => t.store((s) => s.update(p.id, { category: p.category === "tea" ? "coffee" : "tea" }))),
    ];
    const recounts = Array.from({ length: 3 }, () => recountCategories(t.table.client, t.table.tableName));
    await Promise.all(writes);
    for (const { unsettled } of await Promise.all(recounts)) expect(unsettled).toEqual([]);
    expect(await t.findings()).toEqual([]);
  });
});
