/**
 * 503s tell the truth: a write whose answer was lost may have committed, so the problem says the
 * outcome is unknown and to retry with the same Idempotency-Key, and that retry returns what committed.
 * "Nothing was changed" is kept for writes that certainly were not applied. On the memory store (a
 * wrapper commits, then loses the answer) and on DynamoDB Local (the transport delivers the request and
 * the connection resets before the answer; tests/dynamodb/outcome.test.ts and deadline.test.ts cover
 * answers that come after the attempt timeout or the deadline).
 */
import { Effect, Layer } from "effect";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import type { StoreServices } from "../../adapters/http/runtime.js";
import { memoryStores } from "../../adapters/memory/layer.js";
import { CartStore, OrderStore, PersistenceUnavailable, ProductStore, type Product, UserStore } from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { type FaultyClient, makeFaultyClient } from "../support/faulty-transport.js";
import { type Caller, makeTestApi, problemOf, type TestApi } from "./support.js";

type Mode = "pass" | "lose" | "refuse";

interface Store {
  readonly name: string;
  readonly setUp: () => Promise<Layer.Layer<StoreServices>>;
  readonly set: (mode: Mode) => void;
  readonly tearDown: () => Promise<void>;
}

/** Memory stores whose writes, while losing, commit and then fail as if the answer never came. */
const memory = (): Store => {
  let mode: Mode = "pass";
  const faulty = <A, E, R>(operation: string, write: Effect.Effect<A, E, R>) =>
    Effect.suspend(() => {
      if (mode === "refuse") return Effect.fail(new PersistenceUnavailable({ operation, outcome: "not_applied" }));
      if (mode === "pass") return write;
      return Effect.zipRight(write, Effect.fail(new PersistenceUnavailable({ operation, outcome: "unknown" })));
    });
  const wrappers = Layer.mergeAll(
    Layer.effect(ProductStore, Effect.map(ProductStore, (s) => ({ ...s, adjustStock: (c: Parameters<typeof s.adjustStock>[0]) => faulty("ProductStore.adjustStock", s.adjustStock(c)) }))),
    Layer.effect(OrderStore, Effect.map(OrderStore, (s) => ({ ...s, commitCheckout: (p: Parameters<typeof s.commitCheckout>[0]) => faulty("OrderStore.commitCheckout", s.commitCheckout(p)) }))),
    Layer.effect(CartStore, Effect.map(CartStore, (s) => ({ ...s, apply: (c: Parameters<typeof s.apply>[0]) => faulty("CartStore.apply", s.apply(c)) }))),
    Layer.effect(UserStore, Effect.map(UserStore, (s) => ({ ...s, create: (u: Parameters<typeof s.create>[0]) => faulty("UserStore.create", s.create(u)) }))),
  );
  return {
    name: "memory store",
    setUp: async () => Layer.provideMerge(wrappers, memoryStores()),
    set: (m) => void (mode = m),
    tearDown: async () => {},
  };
};

/** DynamoDB Local through a transport that, while losing, delivers each transaction and resets before its answer. */
const dynamo = (): Store => {
  let table: FreshTable;
  let client: FaultyClient;
  return {
    name: "DynamoDB Local",
    setUp: async () => {
      table = await freshTable();
      client = makeFaultyClient(table.endpoint);
      return dynamoStores({ client: client.client, tableName: table.tableName, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    },
    set: (mode) => client.plan((operation) => (operation !== "TransactWriteItems" || mode === "pass" ? "pass" : mode)),
    tearDown: async () => {
      client.client.destroy();
      await deleteTable(table);
    },
  };
};

describe.each([memory(), dynamo()])("503 problems on the $name", (store) => {
  let api: TestApi;
  let shopper: Caller;
  let admin: Caller;
  let tea: Product;
  beforeAll(async () => {
    api = await makeTestApi({ stores: await store.setUp() });
  });
  afterAll(async () => {
    await api.close();
    await store.tearDown();
  });
  beforeEach(async () => {
    store.set("pass");
    shopper = await api.user();
    admin = await api.user("admin");
    tea = await api.product({ stock: 10 });
  });
  afterEach(() => store.set("pass"));

  const checkout = (key: string) => api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": key } });
  const addToCart = (key: string) =>
    api.request({ method: "POST", url: "/api/cart/items", headers: { ...shopper.headers, "idempotency-key": key }, payload: { productId: tea.id, quantity: 2 } });
  const restock = (key: string) => api.request({ method: "POST", url: `/api/admin/products/${tea.id}/stock`, headers: { ...admin.headers, "idempotency-key": key }, payload: { delta: 5 } });
  const product = async () => (await api.request({ url: "/api/admin/inventory?belowAvailable=1000000", headers: admin.headers })).json().items.find((p: Product) => p.id === tea.id);
  const expectOutcomeUnknown = (res: Awaited<ReturnType<typeof checkout>>) => {
    expect(problemOf(res)).toMatchObject({ status: 503, code: "store_outcome_unknown", type: "urn:cartwright:problem:store_outcome_unknown" });
    expect(problemOf(res).detail).toMatch(/may have been applied.*same Idempotency-Key/);
    expect(res.headers["retry-after"]).toBe("2");
  };

  it("answers a checkout whose commit lost its answer with store_outcome_unknown; the retry with the same key returns the order that committed (invariant: one order per key)", async () => {
    expect((await addToCart("cart-key-0001")).statusCode).toBe(200);
    store.set("lose");
    expectOutcomeUnknown(await checkout("checkout-key-1"));

    store.set("pass");
    const retry = await checkout("checkout-key-1");
    expect([retry.statusCode, retry.headers["idempotent-replayed"]]).toEqual([201, "true"]);
    const mine = (await api.request({ url: "/api/orders", headers: shopper.headers })).json().items;
    expect(mine.map((o: { id: string }) => o.id)).toEqual([retry.json().id]);
    expect(await product()).toMatchObject({ stock: 8, reserved: 0 });
  });

  it("answers a stock delta that lost its answer with store_outcome_unknown; the retry with the same key does not apply it twice (invariant: stock changes once)", async () => {
    store.set("lose");
    expectOutcomeUnknown(await restock("restock-key-1"));

    store.set("pass");
    const retry = await restock("restock-key-1");
    expect([retry.statusCode, retry.headers["idempotent-replayed"], retry.json().stock]).toEqual([200, "true", 15]);
    expect((await product()).stock).toBe(15);
  });

  it("answers a cart add that lost its answer with store_outcome_unknown; the retry with the same key holds the units once", async () => {
    store.set("lose");
    expectOutcomeUnknown(await addToCart("cart-key-0002"));

    store.set("pass");
    const retry = await addToCart("cart-key-0002");
    expect([retry.statusCode, retry.headers["idempotent-replayed"], retry.json().lines[0].quantity]).toEqual([200, "true", 2]);
    expect((await product()).reserved).toBe(2);
  });

  it("answers a registration that lost its answer with store_outcome_unknown; its retry says the account exists, and it does (key-less, but never a duplicate)", async () => {
    const email = `lost-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const register = () => api.request({ method: "POST", url: "/auth/register", payload: { email, password: "password-123", name: "Lost Reply" } });
    store.set("lose");
    expectOutcomeUnknown(await register());

    store.set("pass");
    expect(problemOf(await register())).toMatchObject({ status: 409, code: "email_taken" });
    expect((await api.request({ method: "POST", url: "/auth/login", payload: { email, password: "password-123" } })).statusCode).toBe(200);
  });

  it("keeps store_unavailable, 'nothing was changed', for a write refused before it was sent, and nothing was changed", async () => {
    store.set("refuse");
    const res = await restock("restock-key-2");
    expect(problemOf(res)).toMatchObject({ status: 503, code: "store_unavailable", detail: "The store is unavailable; nothing was changed. Retry shortly." });
    store.set("pass");
    expect((await product()).stock).toBe(10);
    const retry = await restock("restock-key-2");
    expect([retry.statusCode, retry.headers["idempotent-replayed"], retry.json().stock]).toEqual([200, undefined, 15]);
  });
});
