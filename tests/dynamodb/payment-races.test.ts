/**
 * Payments exactly once under real concurrency, on DynamoDB Local and on the memory stores: redelivered
 * webhooks, a success racing the payment-window sweep, an admin cancelling a paid order twice.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeManualClock, memoryStores } from "../../adapters/memory/layer.js";
import { simulatedPayments } from "../../adapters/payments/layer.js";
import { signedEvent } from "../../adapters/payments/simulated.js";
import { holdPolicy, paymentPolicy, RandomIds } from "../../adapters/system.js";
import {
  addToCart,
  advanceOrder,
  createProduct,
  expireUnpaidOrders,
  getOrder,
  type IdempotencyKey,
  listEvents,
  placeOrder,
  PaymentGateway,
  ProductStore,
  receivePaymentWebhook,
  startPayment,
  type OrderId,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { eur, uniqueId } from "../support/fixtures.js";

const windowMs = 30 * 60_000;
const tables: Array<FreshTable> = [];
afterAll(() => Promise.all(tables.map(deleteTable)));

const stores = {
  memory: async () => memoryStores(),
  "DynamoDB Local": async () => {
    const table = await freshTable();
    tables.push(table);
    return dynamoStores({ client: table.client, tableName: table.tableName });
  },
};

const world = async (kind: keyof typeof stores) => {
  const clock = makeManualClock(Date.UTC(2026, 5, 1));
  const payments = simulatedPayments();
  const runtime = ManagedRuntime.make(Layer.mergeAll(await stores[kind](), clock.layer, RandomIds, holdPolicy(3_600_000), payments.layer, paymentPolicy(windowMs, false)));
  const run = <A, E>(e: Effect.Effect<A, E, any>) => runtime.runPromise(e as Effect.Effect<A, E, never>);
  const product = await run(createProduct({ name: "Tea", category: "tea", price: eur(300), stock: 10 }));
  const admin = { userId: "admin" as UserId, role: "admin" as const };
  const order = async (buyer: string) => {
    const id = uniqueId(buyer) as UserId;
    await run(addToCart(id, product.id, 2));
    const placed = await run(placeOrder(id, uniqueId("key-0000") as IdempotencyKey));
    return { customer: { userId: id, role: "customer" as const }, order: placed.order };
  };
  const deliver = async (event: Parameters<typeof signedEvent>[0]) => {
    const { payload, signature } = await signedEvent(event, payments.webhookSecret);
    return run(Effect.either(receivePaymentWebhook(new TextEncoder().encode(payload), signature)));
  };
  const typesOf = async (orderId: OrderId) => (await run(listEvents({ orderId, limit: 20 }))).items.map((e) => e.type).reverse();
  const available = async () => {
    const p = await run(Effect.flatMap(ProductStore, (s) => s.get(product.id)));
    return p._tag === "Some" ? p.value.stock - p.value.reserved : -1;
  };
  return { run, clock, payments, admin, order, deliver, typesOf, available, dispose: () => runtime.dispose() };
};

describe.each(Object.keys(stores) as Array<keyof typeof stores>)("payments exactly once on %s", (kind) => {
  it("turns the same success delivered 10 times concurrently into one paid order and one OrderPaid", async () => {
    const w = await world(kind);
    const { customer, order } = await w.order("a");
    const session = await w.run(startPayment(customer, order.id));
    const event = w.payments.ledger.settle(session.paymentId, "succeeded");
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => w.deliver(event)));
    const applied = outcomes.filter((o) => o._tag === "Right" && o.right.outcome === "applied");
    expect(applied).toHaveLength(1);
    expect(outcomes.every((o) => o._tag === "Right" && ["applied", "duplicate"].includes(o.right.outcome))).toBe(true);
    expect((await w.run(getOrder(customer, order.id))).status).toBe("paid");
    expect(await w.typesOf(order.id)).toEqual(["OrderPlaced", "OrderPaid"]);
    await w.dispose();
  });

  it("lets a success racing the payment-window sweep end paid, or cancelled with exactly one refund: never both, never neither", async () => {
    const w = await world(kind);
    const seen = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const { customer, order } = await w.order(`r${round}`);
      // The buyer paid at the provider, but the payment was not yet on the order when the window ran out.
      const session = await w.run(Effect.flatMap(PaymentGateway, (g) => g.create({ orderId: order.id, customerId: order.customerId, amount: order.total })));
      const event = w.payments.ledger.settle(session.paymentId, "succeeded");
      w.clock.advance(windowMs + 1);
      const before = await w.available();
      const webhookFirst = round % 2 === 0;
      await Promise.all(webhookFirst ? [w.deliver(event), w.run(expireUnpaidOrders(100))] : [w.run(expireUnpaidOrders(100)), w.deliver(event)]);
      await w.deliver(event); // a redelivery changes nothing
      const final = await w.run(getOrder(customer, order.id));
      const refunds = w.payments.ledger.refundsOf(session.paymentId).length;
      if (final.status === "paid") {
        expect(refunds).toBe(0);
        expect(await w.available()).toBe(before);
      } else {
        expect(final.status).toBe("cancelled");
        expect(refunds).toBe(1);
        expect(final.payment).toMatchObject({ status: "refunded" });
        expect(await w.available()).toBe(before + 2);
        expect(await w.typesOf(order.id)).toEqual(["OrderPlaced", "OrderCancelled", "OrderPaymentRefunded"]);
      }
      seen.add(final.status);
    }
    expect(seen.size).toBeGreaterThan(0);
    await w.dispose();
  });

  it("refunds a paid order once when an admin cancels it twice at the same time: one cancellation commits, its refund is made and recorded once", async () => {
    const w = await world(kind);
    const { customer, order } = await w.order("c");
    const session = await w.run(startPayment(customer, order.id));
    await w.deliver(w.payments.ledger.settle(session.paymentId, "succeeded"));
    const answers = await Promise.all([0, 1].map(() => w.run(Effect.either(advanceOrder(w.admin, order.id, "cancelled")))));
    expect(answers.filter((a) => a._tag === "Right")).toHaveLength(1);
    expect(w.payments.ledger.refundsOf(session.paymentId)).toHaveLength(1);
    expect(await w.typesOf(order.id)).toEqual(["OrderPlaced", "OrderPaid", "OrderCancelled", "OrderPaymentRefunded"]);
    await w.dispose();
  });
});
