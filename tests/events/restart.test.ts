import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import type { Subscriber } from "../../adapters/events/local-bus.js";
import { type OutboxSource, startLocalEvents } from "../../adapters/events/local-flow.js";
import { holdPolicy, RandomIds, SystemClock } from "../../adapters/system.js";
import { addToCart, createProduct, type DomainEvent, isOrderEvent, type IdempotencyKey, placeOrder, type ProductId, registerUser, type UserId } from "../../domain/index.js";
import { deleteTable, freshTable } from "../support/dynamo.js";
import { eur, uniqueId } from "../support/fixtures.js";

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A table with its stream, a checkout use case over it, and `npm start`'s event flow, startable more than once on one checkpoint file. */
const setup = async () => {
  const table = await freshTable();
  const dir = await mkdtemp(join(tmpdir(), "cartwright-checkpoint-"));
  const stores = dynamoStores({ client: table.client, tableName: table.tableName });
  const runtime = ManagedRuntime.make(Layer.mergeAll(stores, SystemClock, RandomIds, holdPolicy(3_600_000)));
  cleanup.push(() => deleteTable(table), () => rm(dir, { recursive: true, force: true }), () => runtime.dispose());
  const source: OutboxSource = { kind: "dynamodb", client: table.client, endpoint: table.endpoint, tableName: table.tableName };
  const checkpointFile = join(dir, "stream-checkpoint.json");
  const ok = <A, E>(effect: Effect.Effect<A, E, ManagedRuntime.ManagedRuntime.Context<typeof runtime>>) => runtime.runPromise(Effect.either(effect)).then(Either.getOrThrow);
  const buy = async () => {
    const user = await ok(registerUser({ email: `${uniqueId("u")}@example.com`, name: "Flo", passwordHash: "x" }));
    const product = await ok(createProduct({ id: uniqueId("p") as ProductId, name: "Kettle", category: "kitchen", price: eur(3900), stock: 50 }));
    await ok(addToCart(user.id as UserId, product.id, 1));
    return (await ok(placeOrder(user.id as UserId, uniqueId("key") as IdempotencyKey))).order.id as string;
  };
  /** A run of the flow whose one subscriber records what it is handed (and waits for `gate` before it is done). */
  const run = (gate: Promise<void> = Promise.resolve()) => {
    const seen: Array<DomainEvent> = [];
    const recorder: Subscriber = { name: "recorder", handle: async (e) => (seen.push(e), gate) };
    const events = startLocalEvents(source, [recorder], () => {}, { checkpointFile });
    const sees = async (orderId: string) => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25)))
        if (seen.some((e) => isOrderEvent(e) && e.orderId === orderId)) return;
      throw new Error(`order ${orderId}'s event never came`);
    };
    return { events, seen, sees };
  };
  return { buy, run };
};

const orderIds = (events: ReadonlyArray<DomainEvent>) => events.flatMap((e) => (isOrderEvent(e) ? [e.orderId] : []));

describe("startLocalEvents.restart", () => {
  it("publishes after a restart only what the last run had not delivered (invariant: a restart neither re-sends nor drops an event)", async () => {
    const { buy, run } = await setup();
    const first = run();
    const a = await buy();
    await first.sees(a);
    await first.events.stop();
    const second = run();
    const b = await buy();
    await second.sees(b);
    await new Promise((r) => setTimeout(r, 300)); // room for a wrong relay to re-read the stream's start
    expect(orderIds(second.seen)).toEqual([b]);
  });

  it("keeps a batch's position until every subscriber has handled it, so a run that dies before then leaves the batch to the next", async () => {
    const { buy, run } = await setup();
    let release = () => {};
    const first = run(new Promise<void>((r) => (release = r)));
    cleanup.push(async () => (release(), await first.events.stop()));
    const a = await buy();
    await first.sees(a);
    await new Promise((r) => setTimeout(r, 300)); // room for a wrong relay to write the position past it
    // The first run is stuck in its subscriber (as if it died there): the next one starts from the same file.
    const second = run();
    await second.sees(a);
    expect(orderIds(second.seen)).toEqual([a]);
  });
});
