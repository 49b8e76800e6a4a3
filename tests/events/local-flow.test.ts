import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import type { ConsumerConfig } from "../../adapters/config.js";
import { localSideEffects, localSubscribers } from "../../adapters/consumers/index.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { type OutboxSource, startLocalEvents } from "../../adapters/events/local-flow.js";
import { makeMemoryDb, memoryStores } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds, SystemClock } from "../../adapters/system.js";
import { addToCart, createProduct, type IdempotencyKey, placeOrder, type ProductId, registerUser, type UserId } from "../../domain/index.js";
import type { Stores } from "../contract/store-contract.js";
import { deleteTable, freshTable } from "../support/dynamo.js";
import { eur, uniqueId } from "../support/fixtures.js";

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** What `npm start` runs around the API: the relay from the outbox, the in-process bus, the consumers writing .eml files. */
const localRun = async (stores: Layer.Layer<Stores>, outbox: OutboxSource) => {
  const mailDir = await mkdtemp(join(tmpdir(), "cartwright-flow-"));
  const config: ConsumerConfig = { store: "dynamodb", tableName: "", dynamodbEndpoint: undefined, mailFrom: "orders@cartwright.local", mailDir, webhooks: { urls: {}, secret: "" } };
  const consumers = localSubscribers(Layer.mergeAll(stores, localSideEffects(config, () => {})));
  const events = startLocalEvents(outbox, consumers.subscribers, () => {});
  const runtime = ManagedRuntime.make(Layer.mergeAll(stores, SystemClock, RandomIds, holdPolicy(3_600_000)));
  cleanup.push(() => rm(mailDir, { recursive: true, force: true }), () => consumers.dispose(), () => runtime.dispose(), () => events.stop());
  const ok = <A, E>(effect: Effect.Effect<A, E, ManagedRuntime.ManagedRuntime.Context<typeof runtime>>) => runtime.runPromise(Effect.either(effect)).then(Either.getOrThrow);
  const buy = async () => {
    const user = await ok(registerUser({ email: `${uniqueId("u")}@example.com`, name: "Flo", passwordHash: "x" }));
    const product = await ok(createProduct({ id: uniqueId("p") as ProductId, name: "Kettle", category: "kitchen", price: eur(3900), stock: 50 }));
    await ok(addToCart(user.id as UserId, product.id, 1));
    return ok(placeOrder(user.id as UserId, uniqueId("key") as IdempotencyKey));
  };
  const mail = async (within: number) => {
    const deadline = Date.now() + within;
    for (;;) {
      const files = await readdir(mailDir);
      if (files.length > 0 || Date.now() > deadline) return Promise.all(files.map((f) => readFile(join(mailDir, f), "utf8")));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { buy, mail };
};

describe("The local event flow (npm start)", () => {
  it("turns a checkout on DynamoDB Local into a confirmation .eml through the table's stream (its latency: npm run bench:events)", async () => {
    const table = await freshTable();
    cleanup.push(() => deleteTable(table));
    const flow = await localRun(dynamoStores({ client: table.client, tableName: table.tableName }), { kind: "dynamodb", client: table.client, endpoint: table.endpoint, tableName: table.tableName });
    const { order } = await flow.buy();
    const [eml] = await flow.mail(10_000);
    expect(eml).toContain(`Subject: Order ${order.id.slice(0, 8)} confirmed`);
  });

  it("does the same on the memory stores, from the memory outbox", async () => {
    const db = makeMemoryDb();
    const flow = await localRun(memoryStores(db), { kind: "memory", db });
    const { order } = await flow.buy();
    const [eml] = await flow.mail(10_000);
    expect(eml).toContain(`Subject: Order ${order.id.slice(0, 8)} confirmed`);
  });
});
