import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { startStreamRelay, type StreamRelay } from "../../adapters/dynamodb/stream-relay.js";
import { makeLocalBus } from "../../adapters/events/local-bus.js";
import { relayRecords, type StreamRecord } from "../../adapters/events/relay.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import { testPayments } from "../support/payments.js";
import { runs } from "../support/depth.js";
import {
  addToCart,
  advanceOrder,
  createProduct,
  type DomainEvent,
  EventBus,
  type IdempotencyKey,
  placeOrder,
  type ProductId,
  type UserId,
  isOrderEvent,
} from "../../domain/index.js";
import type { Services } from "../model/system.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { eur, uniqueId } from "../support/fixtures.js";

const admin = { userId: "admin" as UserId, role: "admin" as const };
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A table with its stream, the use cases over it, and a relay polling the stream into `bus`. */
const system = async (bus: Layer.Layer<EventBus>, onDeadLetter?: (r: StreamRecord) => void) => {
  const table: FreshTable = await freshTable();
  const runtime = ManagedRuntime.make(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName }), makeManualClock().layer, RandomIds, holdPolicy(3_600_000), testPayments()));
  const streams = new DynamoDBStreamsClient({ endpoint: table.endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const relay: StreamRelay = startStreamRelay({
    client: table.client,
    streams,
    tableName: table.tableName,
    relay: (records) => Effect.runPromise(relayRecords(records).pipe(Effect.provide(bus))),
    idleMs: 20,
    maxAttempts: 3,
    ...(onDeadLetter ? { onDeadLetter } : {}),
  });
  cleanup.push(async () => {
    await relay.stop();
    await runtime.dispose();
    streams.destroy();
    await deleteTable(table);
  });
  const ok = async <A, E>(effect: Effect.Effect<A, E, Services>) => Either.getOrThrow(await runtime.runPromise(Effect.either(effect)));
  const product = await ok(createProduct({ id: uniqueId("p") as ProductId, name: "Tea", category: "tea", price: eur(400), stock: 100_000 }));
  /** A customer's order, then `path` status changes by an admin; the ids of the events committed. */
  const order = async (path: ReadonlyArray<"paid" | "packed" | "shipped" | "cancelled">) => {
    const c = uniqueId("c") as UserId;
    await ok(addToCart(c, product.id, 1));
    const { order } = await ok(placeOrder(c, uniqueId("key") as IdempotencyKey));
    for (const to of path) await ok(advanceOrder(admin, order.id, to));
    return Array.from({ length: path.length + 1 }, (_, i) => `${order.id}:${i + 1}`);
  };
  return { table, order };
};

const until = async (what: string, done: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const sequencesByOrder = (events: ReadonlyArray<DomainEvent>) => {
  const byOrder = new Map<string, Array<number>>();
  for (const e of events) if (isOrderEvent(e)) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e.sequence]);
  return byOrder;
};

// 60 orders (3 batches of 20 concurrent) by default; TEST_DEPTH=deep or RELAY_BURST_BATCHES=10: 200.
const burstBatches = runs(3, { deep: 10, env: "RELAY_BURST_BATCHES" });

describe("The stream relay on DynamoDB Local's real stream", () => {
  it(`publishes every committed event of a burst of ${burstBatches * 20} orders and their transitions once, in sequence per order`, async () => {
    const bus = makeLocalBus();
    const { order } = await system(bus.layer);
    const paths = [[], ["paid"], ["paid", "packed", "shipped"], ["cancelled"]] as const;
    const expected: Array<string> = [];
    for (let batch = 0; batch < burstBatches; batch++)
      expected.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => order(paths[(batch * 20 + i) % paths.length]!)))).flat());

    await until("every event on the bus", () => bus.published.length >= expected.length);

    const ids = bus.published.map((e) => e.eventId);
    expect(ids.length).toBe(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    for (const [orderId, sequences] of sequencesByOrder(bus.published)) expect({ orderId, sequences }).toEqual({ orderId, sequences: sequences.map((_, i) => i + 1) });
  }, 90_000); // writing 200 orders takes 20 s and more on DynamoDB Local when the machine is busy; the relay itself, milliseconds

  it("retries only the events the bus refused, and loses none (invariant: nothing lost)", async () => {
    const inner = makeLocalBus();
    const refusedOnce = new Set<string>();
    const flaky = Layer.succeed(EventBus, {
      publish: (events) =>
        Effect.gen(function* () {
          const refuse = events.filter((e, i) => i % 3 === 0 && !refusedOnce.has(e.eventId));
          for (const e of refuse) refusedOnce.add(e.eventId);
          const accept = events.filter((e) => !refuse.includes(e));
          yield* Effect.flatMap(EventBus, (b) => b.publish(accept)).pipe(Effect.provide(inner.layer));
          return { failed: refuse.map((e) => e.eventId) };
        }),
    });
    const { order } = await system(flaky);
    const expected = (await Promise.all(Array.from({ length: 15 }, () => order(["paid"])))).flat();

    await until("every event on the bus", () => expected.every((id) => inner.published.some((e) => e.eventId === id)));

    expect(refusedOnce.size).toBeGreaterThan(0);
    expect(inner.published.filter((e) => refusedOnce.has(e.eventId)).map((e) => e.eventId).sort()).toEqual([...refusedOnce].sort());
    // Invariant: an order's later event is never published before a refused earlier one.
    const firsts = inner.published.filter((e, i) => inner.published.findIndex((o) => o.eventId === e.eventId) === i);
    for (const [orderId, sequences] of sequencesByOrder(firsts)) expect({ orderId, sequences }).toEqual({ orderId, sequences: sequences.map((_, i) => i + 1) });
  });

  it("writes an order's outbox items in the order's own partition, one sort key per sequence (one stream partition per order)", async () => {
    const bus = makeLocalBus();
    const { table, order } = await system(bus.layer);
    const [first] = await order(["paid", "packed"]);
    const orderId = first!.split(":")[0]!;
    const doc = DynamoDBDocumentClient.from(table.client);
    const items = await doc.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `ORDER#${orderId}` } }));
    expect(items.Items?.map((i) => i["SK"])).toEqual(["EVENT#0000000000000001", "EVENT#0000000000000002", "EVENT#0000000000000003", "ORDER"]);
    await until("the order's events on the bus", () => bus.published.filter((e) => isOrderEvent(e) && e.orderId === orderId).length === 3);
  });

  it("dead-letters an unreadable outbox record after its retries, and the records behind it still flow", async () => {
    const bus = makeLocalBus();
    const dead: Array<StreamRecord> = [];
    const { table, order } = await system(bus.layer, (r) => dead.push(r));
    const doc = DynamoDBDocumentClient.from(table.client);
    await doc.send(new PutCommand({ TableName: table.tableName, Item: { PK: "EVENT#poison", SK: "EVENT", type: "OrderPlaced", event: { not: "an event" } } }));
    const after = await order(["paid"]);

    await until("the events behind the poison record", () => after.every((id) => bus.published.some((e) => e.eventId === id)));

    expect(dead.map((r) => r.dynamodb?.NewImage?.["PK"]?.S)).toEqual(["EVENT#poison"]);
  });
});
