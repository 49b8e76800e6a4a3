import { Effect, Either, type Layer, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCursor, sealCursor } from "../../adapters/page-token.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import {
  CartStore,
  CheckoutOps,
  type IdempotencyKey,
  type OrderId,
  OrderStore,
  type PageRequest,
  ProductStore,
  type Timestamp,
  type UserId,
} from "../../domain/index.js";
import { allPages, type Stores } from "../contract/store-contract.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome, runWith } from "../support/run.js";

let table: FreshTable;
let run: <A, E>(effect: Effect.Effect<A, E, Stores>) => Promise<Either.Either<A, E>>;
const ok = async <A, E>(effect: Effect.Effect<A, E, Stores>) => Either.getOrThrow(await run(effect));

beforeAll(async () => {
  table = await freshTable();
  run = runWith(dynamoStores({ client: table.client, tableName: table.tableName }) as Layer.Layer<Stores>);
});
afterAll(() => deleteTable(table));

type Packed = 0 | 1 | [string, string, string | number];
const open = (identity: string, cursor: string) => Option.getOrThrow(openCursor(identity, cursor)) as Array<Packed>;
const list = (req: PageRequest & { category?: string }) => ok(Effect.flatMap(ProductStore, (s) => s.list(req)));

const placeOrder = async (c: UserId, at: number) => {
  const p = product(uniqueId("p"), { stock: 5 });
  await ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
  const l = line(p.id, { expiresAt: 10_000 as never });
  await ok(Effect.flatMap(CartStore, (s) => s.apply({ customerId: c, lines: [{ productId: p.id, expected: null, next: l }], reservations: [{ productId: p.id, delta: 1 }] })));
  const cart = await ok(Effect.flatMap(CartStore, (s) => s.get(c)));
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: uniqueId("key") as IdempotencyKey, orderId: uniqueId("o") as OrderId, now: at as Timestamp }));
  return ok(Effect.flatMap(OrderStore, (s) => s.commitCheckout(plan)));
};

describe("DynamoStores pagination over sharded indexes", () => {
  it("pages through all products, merged from 4 shards, in name then id order, each exactly once, the last page without a cursor", async () => {
    const names = ["kiwi", "apple", "fig", "banana", "cherry", "apple", "date", "elder", "grape", "honeydew", "ice"];
    for (const name of names) await ok(Effect.flatMap(ProductStore, (s) => s.create(product(uniqueId("p"), { name, category: uniqueId("k").toLowerCase() }))));

    const pages: Array<number> = [];
    const seen = await allPages(async (cursor) => {
      const page = await list({ limit: 3, cursor });
      pages.push(page.items.length);
      return page;
    });

    expect(seen.map((p) => p.name)).toEqual([...names].sort());
    expect(new Set(seen.map((p) => p.id)).size).toBe(names.length);
    const apples = seen.filter((p) => p.name === "apple").map((p) => p.id);
    expect(apples).toEqual([...apples].sort());
    expect(pages).toEqual([3, 3, 3, 2]);
  });

  it("pages the low-stock report scarcest first across shards, one product per page", async () => {
    const availables = [3, 0, 2, 1, 4];
    for (const a of availables) await ok(Effect.flatMap(ProductStore, (s) => s.create(product(uniqueId("p"), { stock: 10, reserved: 10 - a }))));

    const low = await allPages((cursor) => ok(Effect.flatMap(ProductStore, (s) => s.lowStock(4, { limit: 1, cursor }))));

    expect(low.map((p) => p.stock - p.reserved)).toEqual([0, 1, 2, 3]);
  });

  it("returns many equally scarce products each exactly once across pages and shards, scarcest first", async () => {
    const created = [];
    for (let i = 0; i < 12; i++) {
      const p = product(uniqueId("tie"), { stock: 7, reserved: 7 - (i % 2) });
      created.push(p);
      await ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
    }

    const low = await allPages((cursor) => ok(Effect.flatMap(ProductStore, (s) => s.lowStock(2, { limit: 5, cursor }))));

    // Ties come in index order: DynamoDB does not order equal sort keys (memory orders them by id).
    const ours = low.filter((p) => p.id.startsWith("tie-"));
    expect(ours.map((p) => p.stock - p.reserved)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(ours.map((p) => p.id).sort()).toEqual(created.map((p) => p.id).sort());
  });

  it("lists a customer's orders newest first with one order per page", async () => {
    const c = customer(uniqueId("c"));
    const ids = [];
    for (const at of [300, 100, 200]) ids.push((await placeOrder(c, at)).id);
    const listed = await allPages((cursor) => ok(Effect.flatMap(OrderStore, (s) => s.listByCustomer(c, { limit: 1, cursor }))));
    expect(listed.map((o) => o.createdAt)).toEqual([300, 200, 100]);
  });
});

describe("DynamoStores pagination cursors", () => {
  it("are short and name no key attribute, partition or query (opaque)", async () => {
    for (let i = 0; i < 3; i++) await ok(Effect.flatMap(ProductStore, (s) => s.create(product(uniqueId("p"), { name: "A rather long product name, 250 g" }))));
    const cursor = (await list({ limit: 1 })).nextCursor!;
    const text = Buffer.from(cursor, "base64url").toString("latin1");

    expect(cursor.length).toBeLessThan(200);
    for (const leak of ["GSI", "PK", "PRODUCTS#", "products:all"]) expect(text).not.toContain(leak);
  });

  it("reads another customer's orders with no cursor a client can build: the partition is the query's own", async () => {
    const [alice, bob] = [customer(uniqueId("c")), customer(uniqueId("c"))];
    for (const at of [1, 2]) await placeOrder(alice, at);
    const bobs = (await placeOrder(bob, 5)).id;
    const page = await ok(Effect.flatMap(OrderStore, (s) => s.listByCustomer(alice, { limit: 1 })));
    const [pk, sk, at] = (open(`orders:customer:${alice}`, page.nextCursor!) as Array<[string, string, string]>)[0]!;
    // Pointed at bob's order, keyed for alice's query: it still reads alice's partition only.
    const aimed = sealCursor(`orders:customer:${alice}`, [[`ORDER#${bobs}`, sk, `${at.slice(0, 16)}#${bobs}`]]);

    const rest = await ok(Effect.flatMap(OrderStore, (s) => s.listByCustomer(alice, { limit: 5, cursor: aimed })));

    expect(pk).toMatch(/^ORDER#/);
    expect(rest.items.every((o) => o.customerId === alice)).toBe(true);
    expect(outcome(await run(Effect.flatMap(OrderStore, (s) => s.listByCustomer(bob, { limit: 1, cursor: page.nextCursor! }))))).toBe(
      "PaginationCursorInvalid",
    );
  });

  it("rejects a cursor pointing outside the query's range, which DynamoDB itself refuses", async () => {
    const p = product(uniqueId("p"), { stock: 5 });
    await ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
    for (const expiresAt of [100, 200]) {
      const c = customer(uniqueId("c"));
      await ok(Effect.flatMap(CartStore, (s) => s.apply({ customerId: c, lines: [{ productId: p.id, expected: null, next: line(p.id, { expiresAt: expiresAt as never }) }], reservations: [{ productId: p.id, delta: 1 }] })));
    }
    const query = { before: 500, productId: p.id, limit: 1 };
    const identity = `holds:expired:500:${p.id}`;
    const page = await ok(Effect.flatMap(CartStore, (s) => s.expiredHolds(query)));
    const [pk, sk, at] = (open(identity, page.nextCursor!) as Array<[string, string, string]>)[0]!;

    const beyond = sealCursor(identity, [[pk, sk, `9999999999999999#${at}`]]);

    expect(outcome(await run(Effect.flatMap(CartStore, (s) => s.expiredHolds({ ...query, cursor: beyond }))))).toBe("PaginationCursorInvalid");
    expect((await ok(Effect.flatMap(CartStore, (s) => s.expiredHolds({ ...query, cursor: page.nextCursor! })))).items).toHaveLength(1);
  });

  it("rejects garbage, a damaged cursor, a cursor of another query, a wrong shard count, mistyped positions", async () => {
    for (let i = 0; i < 3; i++) await ok(Effect.flatMap(ProductStore, (s) => s.create(product(uniqueId("p")))));
    const page = await list({ limit: 1 });
    const body = open("products:all", page.nextCursor!);
    const at = body.findIndex((p) => Array.isArray(p));
    const key = body[at] as [string, string, string];
    const withKey = (k: unknown) => sealCursor("products:all", body.map((p, i) => (i === at ? k : p)));
    const bytes = Buffer.from(page.nextCursor!, "base64url");
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    const forgeries = [
      "%%%",
      Buffer.from("{").toString("base64url"),
      bytes.toString("base64url"),
      sealCursor("products:category:general", body),
      sealCursor("products:all", body.slice(1)),
      withKey([...key, "x"]),
      withKey([key[0], key[1], 42]),
      withKey(2),
    ];

    const outcomes = await Promise.all(forgeries.map((cursor) => run(Effect.flatMap(ProductStore, (s) => s.list({ limit: 1, cursor })))));

    expect(outcomes.map(outcome)).toEqual(forgeries.map(() => "PaginationCursorInvalid"));
    expect(Either.isRight(await run(Effect.flatMap(ProductStore, (s) => s.list({ limit: 1, cursor: page.nextCursor! }))))).toBe(true);
  });
});
