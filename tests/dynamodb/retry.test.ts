import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { DynamoDBClient, ThrottlingException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { Effect, Either, Layer, Option } from "effect";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { dynamoStores, type RetryPolicy } from "../../adapters/dynamodb/layer.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import {
  addToCart,
  CartStore,
  adjustStock,
  type Clock,
  type HoldPolicy,
  type IdGenerator,
  createProduct,
  getProduct,
  type IdempotencyKey,
  listMyOrders,
  placeOrder,
  ProductStore,
  type ProductId,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { eur, line, uniqueId } from "../support/fixtures.js";
import { runWith } from "../support/run.js";

/** What the injected middleware does to a request: pass it, fail it, or let it commit and lose the reply. */
type Fault = (command: string, attempt: number) => "pass" | "conflict" | "throttle" | "lose-reply" | "hang" | "stall";

/** How long a "stall" holds a request before it goes on (longer than the attempt timeouts below). */
const stallMs = 500;

let table: FreshTable;
let fault: Fault = () => "pass";
const attempts = new Map<string, number>();

const conflict = () =>
  new TransactionCanceledException({
    message: "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]",
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: [{ Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }],
  });

beforeAll(async () => {
  table = await freshTable();
  // DynamoDB Local never throttles nor conflicts: inject both below where the SDK's own retry would sit.
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "?";
      const n = (attempts.get(command) ?? 0) + 1;
      attempts.set(command, n);
      const what = fault(command, n);
      if (what === "conflict") throw conflict();
      if (what === "throttle") throw new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } });
      if (what === "hang") await new Promise(() => {});
      if (what === "stall") await new Promise((resume) => setTimeout(resume, stallMs));
      const result = await next(args);
      if (what === "lose-reply") throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      return result;
    },
    { step: "finalizeRequest", name: "faultInjection" },
  );
});
afterEach(() => {
  fault = () => "pass";
  attempts.clear();
});
afterAll(() => deleteTable(table));

const system = (retry: Partial<RetryPolicy>) => {
  const stores = dynamoStores({ client: table.client, tableName: table.tableName, retry });
  return runWith(Layer.mergeAll(stores, makeManualClock().layer, RandomIds, holdPolicy(60_000)));
};
type Services = Layer.Layer.Success<ReturnType<typeof dynamoStores>> | Clock | IdGenerator | HoldPolicy;
const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const run = <A, E>(effect: Effect.Effect<A, E, Services>) => system(fast)(effect);
const ok = async <A, E>(effect: Effect.Effect<A, E, Services>) => Either.getOrThrow(await run(effect));
const newProduct = (stock: number) => ok(createProduct({ id: uniqueId("p") as ProductId, name: "Thing", category: "retry", price: eur(100), stock }));

describe("DynamoStores retry", () => {
  it("commits a checkout after two TransactionConflict cancellations, within a budget of 4 attempts", async () => {
    const p = await newProduct(5);
    const buyer = uniqueId("c") as UserId;
    await ok(addToCart(buyer, p.id, 2));
    attempts.clear();
    fault = (command, n) => (command === "TransactWriteItemsCommand" && n <= 2 ? "conflict" : "pass");

    const placed = await ok(placeOrder(buyer, uniqueId("key") as IdempotencyKey));

    expect(attempts.get("TransactWriteItemsCommand")).toBe(3);
    expect((await ok(listMyOrders(buyer, { limit: 10 }))).items.map((o) => o.id)).toEqual([placed.order.id]);
    expect(await ok(getProduct(p.id))).toMatchObject({ stock: 3, reserved: 0 });
  });

  it("gives up with PersistenceUnavailable after exactly 4 throttled attempts (the SDK adds none of its own) and writes nothing", async () => {
    const p = await newProduct(5);
    attempts.clear();
    fault = (command) => (command === "TransactWriteItemsCommand" ? "throttle" : "pass");

    const result = await run(addToCart(uniqueId("c") as UserId, p.id, 1));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", operation: "CartStore.apply", outcome: "not_applied" } });
    expect(attempts.get("TransactWriteItemsCommand")).toBe(4);
    fault = () => "pass";
    expect(await ok(getProduct(p.id))).toMatchObject({ stock: 5, reserved: 0 });
  });

  it("retries throttled reads within the same budget", async () => {
    const p = await newProduct(5);
    attempts.clear();
    fault = (command, n) => (command === "GetItemCommand" && n <= 3 ? "throttle" : "pass");

    expect(Option.isSome(await ok(Effect.flatMap(ProductStore, (s) => s.get(p.id))))).toBe(true);
    expect(attempts.get("GetItemCommand")).toBe(4);
  });

  it("applies a stock adjustment once when the reply of a committed attempt is lost (same ClientRequestToken on retry)", async () => {
    const p = await newProduct(5);
    attempts.clear();
    fault = (command, n) => (command === "TransactWriteItemsCommand" && n === 1 ? "lose-reply" : "pass");

    const adjusted = await ok(adjustStock(p.id, 4));

    expect(attempts.get("TransactWriteItemsCommand")).toBe(2);
    expect(adjusted.value.stock).toBe(9);
    expect(await ok(getProduct(p.id))).toMatchObject({ stock: 9 });
  });

  it("abandons an attempt that gets no answer within the attempt timeout and retries it", async () => {
    const p = await newProduct(5);
    attempts.clear();
    fault = (command, n) => (command === "GetItemCommand" && n === 1 ? "hang" : "pass");
    const started = Date.now();

    const result = await system({ ...fast, attemptTimeoutMs: 200 })(Effect.flatMap(ProductStore, (s) => s.get(p.id)));

    expect(Either.isRight(result)).toBe(true);
    expect(attempts.get("GetItemCommand")).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("reports a write whose every attempt stalled before it was sent (a credential fetch, a hung middleware) as not applied, and it was not", async () => {
    const p = await newProduct(5);
    attempts.clear();
    fault = (command) => (command === "TransactWriteItemsCommand" ? "hang" : "pass");

    const result = await system({ ...fast, attempts: 2, attemptTimeoutMs: 200 })(adjustStock(p.id, 4));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", operation: "ProductStore.adjustStock", outcome: "not_applied" } });
    expect(attempts.get("TransactWriteItemsCommand")).toBe(2);
    fault = () => "pass";
    expect(await ok(getProduct(p.id))).toMatchObject({ stock: 5 });
  });

  it("never sends an attempt abandoned while it stalled before the transport, once the stall ends: a write reported not applied stays unapplied", async () => {
    const p = await newProduct(5);
    attempts.clear();
    fault = (command) => (command === "TransactWriteItemsCommand" ? "stall" : "pass");

    const result = await system({ ...fast, attempts: 1, attemptTimeoutMs: 100 })(adjustStock(p.id, 4));
    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", operation: "ProductStore.adjustStock", outcome: "not_applied" } });
    // The stalled request goes on to the transport, which must see its attempt aborted and not send it.
    await new Promise((resume) => setTimeout(resume, stallMs + 200));

    fault = () => "pass";
    expect(await ok(getProduct(p.id))).toMatchObject({ stock: 5 });
  });

  it("does not retry a refused condition: one attempt, then the domain error", async () => {
    const p = await newProduct(1);
    attempts.clear();

    // The store itself, not addToCart: the use case's lazy release retries once by design.
    const change = {
      customerId: uniqueId("c") as UserId,
      lines: [{ productId: p.id, expected: null, next: line(p.id, { quantity: 2 as never }) }],
      reservations: [{ productId: p.id, delta: 2 }],
    };
    const result = await run(Effect.flatMap(CartStore, (s) => s.apply(change)));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "InventoryInsufficientStock", requested: 2, available: 1 } });
    expect(attempts.get("TransactWriteItemsCommand")).toBe(1);
  });

  it("does not retry what no retry can fix (a missing table): PersistenceUnavailable after one attempt", async () => {
    const missing = dynamoStores({ client: table.client, tableName: "no-such-table", retry: fast });
    attempts.clear();

    const result = await runWith(missing)(Effect.flatMap(ProductStore, (s) => s.get("x" as ProductId)));

    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "PersistenceUnavailable", operation: "ProductStore.get" } });
    expect(attempts.get("GetItemCommand")).toBe(1);
  });

});

describe("a store attempt's lifetime", () => {
  /** A server that takes connections and never answers: how long each stays open is what the client decided. */
  const silentServer = async () => {
    const sockets: Array<{ closedAt?: number }> = [];
    const server = createServer((socket) => {
      const seen: { closedAt?: number } = {};
      // Read (and drop) what the client sends: a socket never read never sees the client's end, nor closes.
      socket.on("data", () => {});
      sockets.push(seen);
      socket.on("close", () => (seen.closedAt = Date.now()));
      socket.on("error", () => {});
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: "eu-west-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const close = () => {
      client.destroy();
      server.close();
    };
    return { client, sockets, close };
  };

  it("ends with the effect: an interrupted attempt closes its connection at once, not when its timeout is up", async () => {
    const silent = await silentServer();
    try {
      const stores = dynamoStores({ client: silent.client, tableName: "t", retry: { attempts: 1, attemptTimeoutMs: 60_000 } });
      const interruptedAt = Date.now() + 200;
      const read = Effect.flatMap(ProductStore, (s) => s.get("p" as ProductId)).pipe(Effect.timeout("200 millis"), Effect.either);
      expect(Either.getLeft(await Effect.runPromise(Effect.provide(read, stores)))).toEqual(Option.some(expect.objectContaining({ _tag: "TimeoutException" })));
      await vi.waitFor(() => expect(silent.sockets[0]?.closedAt).toBeDefined(), { timeout: 5_000 });
      expect(silent.sockets[0]!.closedAt! - interruptedAt).toBeLessThan(2_000);
    } finally {
      silent.close();
    }
  });

  it("keeps its own abort signal beside another attempt of the same command: interrupting one closes its connection only", async () => {
    const silent = await silentServer();
    try {
      const stores = dynamoStores({ client: silent.client, tableName: "t", retry: { attempts: 1, attemptTimeoutMs: 60_000 } });
      const read = (ms: number) => Effect.flatMap(ProductStore, (s) => s.get("p" as ProductId)).pipe(Effect.timeout(ms), Effect.either);
      const closed = () => silent.sockets.filter((s) => s.closedAt !== undefined).length;
      const both = Effect.runPromise(Effect.provide(Effect.all([read(200), read(2_500)], { concurrency: 2 }), stores));
      await vi.waitFor(() => expect(closed()).toBe(1), { timeout: 2_000 });
      expect(silent.sockets).toHaveLength(2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(closed()).toBe(1);
      await both;
      await vi.waitFor(() => expect(closed()).toBe(2), { timeout: 2_000 });
    } finally {
      silent.close();
    }
  });

  it("is abandoned when its timeout is up, its connection closed, and the caller told the store is unavailable", async () => {
    const silent = await silentServer();
    try {
      const stores = dynamoStores({ client: silent.client, tableName: "t", retry: { attempts: 1, attemptTimeoutMs: 200 } });
      const started = Date.now();
      const result = await Effect.runPromise(Effect.provide(Effect.either(Effect.flatMap(ProductStore, (s) => s.get("p" as ProductId))), stores));
      expect(Either.getLeft(result)).toEqual(Option.some(expect.objectContaining({ _tag: "PersistenceUnavailable", operation: "ProductStore.get" })));
      expect(Date.now() - started).toBeLessThan(5_000);
      await vi.waitFor(() => expect(silent.sockets[0]?.closedAt).toBeDefined(), { timeout: 5_000 });
    } finally {
      silent.close();
    }
  });
});

