/**
 * Event-delivery model: each consumer's queue gets every event of a few orders, with extra copies, in
 * an order fast-check's scheduler picks (twins concurrently, later events before earlier ones), while
 * the mail service and the partners fail a chosen number of times. Messages that fail (effect failed,
 * busy, waiting for a predecessor) are redelivered, as SQS does, until none is left. The model: each
 * consumer's effects are exactly the events that have one, once each, in sequence per order.
 * DELIVERY_RUNS sets the memory runs (deep mode, e.g. 2000); DynamoDB Local runs a twentieth as many (at least 3).
 */
import { Effect, Either, Layer, ManagedRuntime, Option } from "effect";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDynamo } from "../../adapters/dynamodb/client.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { dynamoReceipts } from "../../adapters/dynamodb/receipts.js";
import { makeManualClock, makeMemoryDb } from "../../adapters/memory/layer.js";
import { memoryReceipts } from "../../adapters/memory/receipts.js";
import { MemoryUserStore } from "../../adapters/memory/user-store.js";
import {
  CheckoutOps,
  customerEmail,
  type DomainEvent,
  emailCustomer,
  EventReceipts,
  type EventReceiptsShape,
  type IdempotencyKey,
  Mailer,
  MailUndelivered,
  NotificationFailed,
  notifyPartners,
  type OrderEvent,
  type OrderId,
  OrderOps,
  type OrderStatus,
  PartnerWebhooks,
  partnersFor,
  type Timestamp,
  UserStore,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { customer, line, uniqueId } from "../support/fixtures.js";
import { yielding } from "../support/yielding.js";

const memoryRuns = Number(process.env.DELIVERY_RUNS ?? 60);
const dynamoRuns = Math.max(3, Math.round(memoryRuns / 20));

const paths: ReadonlyArray<ReadonlyArray<OrderStatus>> = [[], ["paid"], ["paid", "packed", "shipped", "delivered"], ["cancelled"], ["paid", "cancelled"], ["paid", "packed"]];
const maxEvents = 3 * 5;
const perEvent = (max: number) => fc.array(fc.nat({ max }), { minLength: maxEvents, maxLength: maxEvents });
const scenario = fc.record({
  orders: fc.array(fc.nat({ max: paths.length - 1 }), { minLength: 1, maxLength: 3 }),
  /** Per event: extra copies in each consumer's queue, and how often its email and its webhooks fail. */
  copies: perEvent(2),
  mailFailures: perEvent(2),
  partnerFailures: perEvent(2),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

let orders = 0;
// Emails name an order by its id's first 8 characters: those differ between orders here.
const nextOrderId = () => `${(++orders).toString(36).padStart(7, "0")}-${uniqueId("o")}` as OrderId;

const eventsOf = (customerId: UserId, path: ReadonlyArray<OrderStatus>): Array<OrderEvent> => {
  const cart = { customerId, lines: [line("tea", { expiresAt: 9_000 as never })] };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: nextOrderId(), now: 100 as Timestamp }));
  const events = [plan.events[0] as OrderEvent];
  let order = plan.order;
  for (const to of path) {
    const t = Either.getOrThrow(OrderOps.transition(order, to, { userId: customer("admin"), role: "admin" }, 200 as Timestamp));
    events.push(t.events[0] as OrderEvent);
    order = t.order;
  }
  return events;
};

/** What the runs went through, summed: evidence that they explore waits, twins and failures. */
const seen = { runs: 0, deliveries: 0, rounds: 0, done: 0, skipped: 0, duplicate: 0, NotificationOutOfOrder: 0, NotificationBusy: 0, NotificationFailed: 0 } as Record<string, number>;

type Stores = (s: fc.Scheduler) => Layer.Layer<UserStore | EventReceipts>;

const deliverAll = async (stores: Stores, sc: Scenario, s: fc.Scheduler) => {
  const effects: Array<string> = [];
  const failures = new Map<string, number>();
  const fails = (key: string) => {
    const left = failures.get(key) ?? 0;
    if (left > 0) failures.set(key, left - 1);
    return left > 0;
  };
  const step = (label: string) => Effect.promise(() => s.schedule(Promise.resolve(), label));
  const fakes = Layer.mergeAll(
    Layer.succeed(Mailer, {
      send: (m) =>
        step(`mail ${m.subject}`).pipe(
          Effect.zipRight(Effect.suspend(() => (fails(`email#${m.subject}`) ? Effect.fail(new MailUndelivered({ reason: "throttled" })) : Effect.sync(() => void effects.push(`email ${m.subject}`))))),
        ),
    }),
    Layer.succeed(PartnerWebhooks, {
      notify: (partner, e) =>
        step(`notify ${partner} ${e.eventId}`).pipe(
          Effect.zipRight(
            Effect.suspend(() =>
              fails(`fulfilment#${e.eventId}`) ? Effect.fail(new NotificationFailed({ consumer: "fulfilment", eventId: e.eventId, reason: "500" })) : Effect.sync(() => void effects.push(`${partner} ${e.eventId}`)),
            ),
          ),
        ),
    }),
  );
  const runtime = ManagedRuntime.make(Layer.mergeAll(stores(s), fakes, makeManualClock().layer));
  try {
    const customerId = uniqueId("c") as UserId;
    await runtime.runPromise(Effect.flatMap(UserStore, (u) => u.create({ id: customerId, email: `${customerId}@example.com` as never, name: "Sam", role: "customer", passwordHash: "x", createdAt: 0 as Timestamp })));
    const orders = sc.orders.map((p) => eventsOf(customerId, paths[p]!));
    const events = orders.flat();
    const emailOf = (e: OrderEvent) => Option.map(customerEmail(e), (c) => c.subject);
    events.forEach((e, i) => {
      Option.map(emailOf(e), (subject) => failures.set(`email#${subject}`, sc.mailFailures[i]!));
      failures.set(`fulfilment#${e.eventId}`, sc.partnerFailures[i]!);
    });
    const consumers = { email: emailCustomer, fulfilment: notifyPartners } as const;
    let queue = events.flatMap((e, i) => (["email", "fulfilment"] as const).flatMap((consumer) => Array.from({ length: 1 + sc.copies[i]! }, () => ({ consumer, event: e as DomainEvent }))));
    for (let round = 1; queue.length > 0; round++) {
      if (round > 100) throw new Error(`not quiescent after 100 rounds: ${queue.map((m) => `${m.consumer} ${m.event.eventId}`).join(", ")}`);
      seen.rounds!++;
      seen.deliveries! += queue.length;
      const outcomes = await s.waitFor(
        Promise.all(queue.map((m) => s.schedule(Promise.resolve(), `deliver ${m.consumer} ${m.event.eventId}`).then(() => runtime.runPromise(Effect.either(consumers[m.consumer](m.event) as unknown as Effect.Effect<string, { _tag: string }>))))),
      );
      for (const o of outcomes) seen[Either.isRight(o) ? o.right : o.left._tag] = (seen[Either.isRight(o) ? o.right : o.left._tag] ?? 0) + 1;
      queue = queue.filter((_, i) => Either.isLeft(outcomes[i]!));
    }
    seen.runs!++;
    // The model: per order, each consumer's effects are the events that have one, once each, in sequence.
    for (const orderEvents of orders) {
      const ofOrder = (x: string) => x.includes(orderEvents[0]!.orderId) || x.includes(orderEvents[0]!.orderId.slice(0, 8));
      const expected = orderEvents.flatMap((e) => [...Option.toArray(Option.map(emailOf(e), (subject) => `email ${subject}`)), ...partnersFor(e).map((p) => `${p} ${e.eventId}`)]);
      const happened = effects.filter(ofOrder);
      expect({ emails: happened.filter((x) => x.startsWith("email")), hooks: happened.filter((x) => !x.startsWith("email")) }).toEqual({
        emails: expected.filter((x) => x.startsWith("email")),
        hooks: expected.filter((x) => !x.startsWith("email")),
      });
    }
  } finally {
    await runtime.dispose();
  }
};

describe("event delivery (model): duplicated, reordered, failing deliveries", () => {
  it(`gives each consumer's effects exactly once per event and in sequence per order, on memory receipts (${memoryRuns} runs)`, async () => {
    const stores: Stores = (s) => {
      const db = makeMemoryDb();
      return Layer.merge(MemoryUserStore(db), Layer.succeed(EventReceipts, yielding<EventReceiptsShape>(s, "receipts", memoryReceipts(db.receipts))));
    };
    await fc.assert(fc.asyncProperty(scenario, fc.scheduler(), (sc, s) => deliverAll(stores, sc, s)), { numRuns: memoryRuns });
  });

  let table: FreshTable;
  beforeAll(async () => void (table = await freshTable()));
  afterAll(() => deleteTable(table));

  it(`holds on DynamoDB Local's receipts too (${dynamoRuns} runs)`, async () => {
    const stores: Stores = (s) => {
      const options = { client: table.client, tableName: table.tableName };
      return Layer.merge(dynamoStores(options), Layer.succeed(EventReceipts, yielding<EventReceiptsShape>(s, "receipts", dynamoReceipts(makeDynamo(options)))));
    };
    await fc.assert(fc.asyncProperty(scenario, fc.scheduler(), (sc, s) => deliverAll(stores, sc, s)), { numRuns: dynamoRuns });
  });

  afterAll(() => {
    console.info(`delivery model: ${JSON.stringify(seen)}`);
  });

  it("explores what it claims to: waits, twins, duplicates and failed effects all happened (runs above)", () => {
    expect(seen.runs).toBeGreaterThanOrEqual(memoryRuns + dynamoRuns);
    for (const outcome of ["NotificationOutOfOrder", "NotificationBusy", "NotificationFailed", "duplicate", "done", "skipped"]) expect({ outcome, count: seen[outcome] ?? 0 }).not.toEqual({ outcome, count: 0 });
  });
});
