/**
 * Issue 17's money defects, each as it was reproduced, on the memory stores and on DynamoDB Local:
 * a refund made for a cancellation that then lost its race, and a double payment kept.
 */
import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeManualClock, memoryStores, SequentialIds } from "../../adapters/memory/layer.js";
import { SimulatedLedger } from "../../adapters/payments/ledger.js";
import { signedEvent, simulatedGateway } from "../../adapters/payments/simulated.js";
import { holdPolicy, paymentPolicy } from "../../adapters/system.js";
import {
  addToCart,
  advanceOrder,
  cancelOrder,
  createProduct,
  type IdempotencyKey,
  type Order,
  type OrderId,
  OrderStore,
  type OrderStoreShape,
  PaymentGateway,
  PaymentProviderUnavailable,
  placeOrder,
  receivePaymentWebhook,
  refundOwedPayments,
  startPayment,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { eur } from "../support/fixtures.js";

const secret = "whsec_refund_regressions";
const admin = (name: string) => ({ userId: name as UserId, role: "admin" as const });
const buyer = "buyer" as UserId;

let table: FreshTable;
beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await deleteTable(table);
});

const stores = {
  memory: () => memoryStores(),
  "DynamoDB Local": () => dynamoStores({ client: table.client, tableName: table.tableName }),
};

/**
 * A shop whose order store can run `before` ahead of a transition (the race) and whose provider can be
 * made to fail refunds; manual payments on.
 */
const openShop = (storeLayer: Layer.Layer<any>) => {
  const ledger = new SimulatedLedger();
  const clock = makeManualClock(Date.UTC(2026, 5, 1));
  const hooks: { before?: ((t: Parameters<OrderStoreShape["transition"]>[0]) => Promise<void>) | undefined; refundsFail: boolean } = { refundsFail: false };
  const gateway = simulatedGateway(ledger, secret);
  const base = Layer.mergeAll(storeLayer, clock.layer, SequentialIds(`r${Math.random().toString(36).slice(2, 8)}`), holdPolicy(3_600_000), paymentPolicy(30 * 60_000, true));
  const hooked = Layer.effect(
    OrderStore,
    Effect.map(OrderStore, (orders): OrderStoreShape => ({
      ...orders,
      transition: (t) => {
        const before = hooks.before;
        hooks.before = undefined;
        return before ? Effect.promise(() => before(t)).pipe(Effect.zipRight(orders.transition(t))) : orders.transition(t);
      },
    })),
  ).pipe(Layer.provide(storeLayer));
  const flaky = Layer.succeed(PaymentGateway, {
    ...gateway,
    refund: (r) => (hooks.refundsFail ? Effect.fail(new PaymentProviderUnavailable({ operation: "refund", message: "provider down" })) : gateway.refund(r)),
  });
  const runtime = ManagedRuntime.make(Layer.mergeAll(base, hooked, flaky));
  const run = <A, E>(effect: Effect.Effect<A, E, any>) => runtime.runPromise(effect as Effect.Effect<A, E, never>);
  const order = (id: OrderId) => run(Effect.flatMap(OrderStore, (o) => o.get(id))).then((o) => (o._tag === "Some" ? o.value : undefined)) as Promise<Order>;
  const webhook = async (event: ReturnType<SimulatedLedger["settle"]>) => {
    const { payload, signature } = await signedEvent(event, secret);
    return run(receivePaymentWebhook(new TextEncoder().encode(payload), signature));
  };
  const placed = async () => {
    const product = await run(createProduct({ name: "Tea", category: "tea", price: eur(300), stock: 5 }));
    await run(addToCart(buyer, product.id, 2));
    return (await run(placeOrder(buyer, `key-${Math.random().toString(36).slice(2, 12)}` as IdempotencyKey))).order;
  };
  const paid = async () => {
    const o = await placed();
    const session = await run(startPayment({ userId: buyer, role: "customer" }, o.id));
    expect((await webhook(ledger.settle(session.paymentId, "succeeded"))).outcome).toBe("applied");
    return { order: o, paymentId: session.paymentId };
  };
  return { ledger, hooks, run, order, webhook, placed, paid, dispose: () => runtime.dispose() };
};

describe.each(Object.entries(stores))("Refunds follow what committed (%s)", (_name, storeLayer) => {
  it("refunds nothing when an admin's cancellation of a paid order loses its race to packing it (regression: refund without a cancellation)", async () => {
    const shop = openShop(storeLayer());
    const { order, paymentId } = await shop.paid();
    // Admin B packs the order inside admin A's window, between A's read and A's guarded write.
    shop.hooks.before = async () => {
      await shop.run(advanceOrder(admin("b"), order.id, "packed"));
    };
    const cancelled = await shop.run(Effect.either(advanceOrder(admin("a"), order.id, "cancelled")));
    expect(Either.isLeft(cancelled) && cancelled.left._tag).toBe("OrderTransitionNotAllowed");
    expect(shop.ledger.refundsOf(paymentId)).toEqual([]);
    expect(await shop.order(order.id)).toMatchObject({ status: "packed", payment: { status: "succeeded", refunds: [] } });
    expect((await shop.order(order.id)).refundsDue ?? []).toEqual([]);
    await shop.dispose();
  });

  it("always refunds a committed cancellation of a paid order, once, even when the provider is down at the time (the refund worker makes it)", async () => {
    const shop = openShop(storeLayer());
    const { order, paymentId } = await shop.paid();
    shop.hooks.refundsFail = true;
    expect(await shop.run(advanceOrder(admin("a"), order.id, "cancelled"))).toMatchObject({ status: "cancelled", refundsDue: [{ paymentId, reason: "cancelled_by_admin" }] });
    expect(shop.ledger.refundsOf(paymentId)).toEqual([]);
    expect(await shop.run(refundOwedPayments(10))).toMatchObject({ settled: 0, failed: 1 });
    shop.hooks.refundsFail = false;
    expect(await shop.run(refundOwedPayments(10))).toMatchObject({ settled: 1, failed: 0 });
    expect(await shop.run(refundOwedPayments(10))).toMatchObject({ settled: 0, failed: 0 });
    expect(shop.ledger.refundsOf(paymentId).map((r) => r.amount)).toEqual([600]);
    expect(await shop.order(order.id)).toMatchObject({ status: "cancelled", refundsDue: [], payment: { status: "refunded", refunds: [{ reason: "cancelled_by_admin" }] } });
    await expect(shop.run(advanceOrder(admin("a"), order.id, "cancelled"))).rejects.toThrow();
    await shop.dispose();
  });

  it("keeps a debt owed back that commits inside an admin's pack window: the pack, read before it, cannot overwrite it (found by review: money kept)", async () => {
    const shop = openShop(storeLayer());
    const { order } = await shop.paid();
    const stray = shop.ledger.createIntent({ amount: 600, currency: "EUR", metadata: { orderId: order.id } });
    const success = shop.ledger.settle(stray.id, "succeeded");
    shop.hooks.refundsFail = true;
    shop.hooks.before = async () => {
      expect((await shop.webhook(success)).outcome).toBe("applied");
    };
    expect(await shop.run(advanceOrder(admin("a"), order.id, "packed"))).toMatchObject({ status: "packed", refundsDue: [{ paymentId: stray.id }] });
    shop.hooks.refundsFail = false;
    expect(await shop.run(refundOwedPayments(10))).toMatchObject({ settled: 1 });
    expect(shop.ledger.refundsOf(stray.id).map((r) => r.amount)).toEqual([600]);
    await shop.dispose();
  });

  it("keeps a debt for a wrong-amount success that commits inside a customer's cancel window, and refunds it once (found by review)", async () => {
    const shop = openShop(storeLayer());
    const placed = await shop.placed();
    const session = await shop.run(startPayment({ userId: buyer, role: "customer" }, placed.id));
    const success = shop.ledger.settle(session.paymentId, "succeeded", 500);
    shop.hooks.refundsFail = true;
    shop.hooks.before = async () => {
      expect((await shop.webhook(success)).outcome).toBe("applied");
    };
    expect(await shop.run(cancelOrder({ userId: buyer, role: "customer" }, placed.id))).toMatchObject({ status: "cancelled" });
    shop.hooks.refundsFail = false;
    await shop.run(refundOwedPayments(10));
    expect(shop.ledger.refundsOf(session.paymentId).map((r) => r.amount)).toEqual([500]);
    await shop.dispose();
  });

  it("cancels the open card payment at the provider before marking an order paid by hand, so the card cannot take the money too (regression: a double payment kept)", async () => {
    const shop = openShop(storeLayer());
    const placed = await shop.placed();
    const session = await shop.run(startPayment({ userId: buyer, role: "customer" }, placed.id));
    expect(await shop.run(advanceOrder(admin("a"), placed.id, "paid"))).toMatchObject({ status: "paid", payment: { status: "canceled" } });
    expect(shop.ledger.intent(session.paymentId).status).toBe("canceled");
    expect(() => shop.ledger.settle(session.paymentId, "succeeded")).toThrow(/canceled/);
    await shop.dispose();
  });

  it("refuses to mark paid by hand an order whose card payment already succeeded; its webhook pays it, one payment kept", async () => {
    const shop = openShop(storeLayer());
    const placed = await shop.placed();
    const session = await shop.run(startPayment({ userId: buyer, role: "customer" }, placed.id));
    const success = shop.ledger.settle(session.paymentId, "succeeded");
    const marked = await shop.run(Effect.either(advanceOrder(admin("a"), placed.id, "paid")));
    expect(Either.isLeft(marked) && marked.left._tag).toBe("PaymentAlreadySucceeded");
    expect((await shop.webhook(success)).outcome).toBe("applied");
    expect(await shop.order(placed.id)).toMatchObject({ status: "paid", payment: { status: "succeeded", refunds: [] } });
    expect(shop.ledger.refundsOf(session.paymentId)).toEqual([]);
    await shop.dispose();
  });

  it("refunds once a second payment for an order already paid by hand, and a later cancellation refunds nothing more (regression: the buyer paid twice)", async () => {
    const shop = openShop(storeLayer());
    const placed = await shop.placed();
    await shop.run(advanceOrder(admin("a"), placed.id, "paid"));
    // A payment the provider took for the order anyway (metadata.orderId names it).
    const stray = shop.ledger.createIntent({ amount: 600, currency: "EUR", metadata: { orderId: placed.id } });
    const success = shop.ledger.settle(stray.id, "succeeded");
    expect((await shop.webhook(success)).outcome).toBe("applied");
    expect((await shop.webhook(success)).outcome).toBe("duplicate");
    expect(shop.ledger.refundsOf(stray.id).map((r) => r.amount)).toEqual([600]);
    expect(await shop.order(placed.id)).toMatchObject({ status: "paid", refundsDue: [], payment: { paymentId: stray.id, status: "refunded", refunds: [{ reason: "paid_twice" }] } });
    await shop.run(advanceOrder(admin("a"), placed.id, "cancelled"));
    expect(shop.ledger.refundsOf(stray.id)).toHaveLength(1);
    await shop.dispose();
  });
});
