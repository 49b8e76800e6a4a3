import { Effect, Layer, ManagedRuntime } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeManualClock, makeMemoryDb, memoryStores, SequentialIds } from "../../adapters/memory/layer.js";
import { MemoryOrderStore, MemoryPaymentEventLog } from "../../adapters/memory/order-store.js";
import { SimulatedLedger } from "../../adapters/payments/ledger.js";
import { signedEvent, simulatedGateway } from "../../adapters/payments/simulated.js";
import { holdPolicy, paymentPolicy } from "../../adapters/system.js";
import {
  addToCart,
  createProduct,
  expireUnpaidOrders,
  type IdempotencyKey,
  OrderStore,
  PaymentEventLog,
  PaymentGateway,
  placeOrder,
  receivePaymentWebhook,
  startPayment,
  type UserId,
} from "../../domain/index.js";
import { eur } from "../support/fixtures.js";
import { yielding } from "../support/yielding.js";


const windowMs = 30 * 60_000;
const secret = "whsec_scheduler_race";

describe("A payment success racing the payment-window sweep (fc.scheduler interleavings on the memory stores)", () => {
  it("ends paid, or cancelled with its units back and exactly one refund: never both, never neither", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.boolean(), fc.integer({ min: 1, max: 3 }), async (s, attached, deliveries) => {
        const db = makeMemoryDb();
        const ledger = new SimulatedLedger();
        const clock = makeManualClock(Date.UTC(2026, 5, 1));
        const base = Layer.mergeAll(memoryStores(db), clock.layer, SequentialIds("x"), holdPolicy(3_600_000), paymentPolicy(windowMs, false));
        const setup = ManagedRuntime.make(Layer.merge(base, Layer.succeed(PaymentGateway, simulatedGateway(ledger, secret))));
        const racing = ManagedRuntime.make(
          Layer.mergeAll(
            base,
            Layer.effect(OrderStore, Effect.map(OrderStore, (o) => yielding(s, "orders", o))).pipe(Layer.provide(MemoryOrderStore(db))),
            Layer.effect(PaymentEventLog, Effect.map(PaymentEventLog, (l) => yielding(s, "events", l))).pipe(Layer.provide(MemoryPaymentEventLog(db))),
            Layer.succeed(PaymentGateway, yielding(s, "provider", simulatedGateway(ledger, secret))),
          ),
        );
        const product = await setup.runPromise(createProduct({ name: "Tea", category: "tea", price: eur(300), stock: 5 }));
        const buyer = "buyer" as UserId;
        await setup.runPromise(addToCart(buyer, product.id, 2));
        const { order } = await setup.runPromise(placeOrder(buyer, "key-00000001" as IdempotencyKey));
        // Paid at the provider; the payment is on the order, or its attach was lost (only metadata.orderId names the order).
        const session = attached
          ? await setup.runPromise(startPayment({ userId: buyer, role: "customer" }, order.id))
          : await setup.runPromise(Effect.flatMap(PaymentGateway, (g) => g.create({ orderId: order.id, customerId: buyer, amount: order.total })));
        const { payload, signature } = await signedEvent(ledger.settle(session.paymentId, "succeeded"), secret);
        clock.advance(windowMs + 1);
        const deliver = () => racing.runPromise(Effect.either(receivePaymentWebhook(new TextEncoder().encode(payload), signature)));
        const all = Promise.all([racing.runPromise(Effect.either(expireUnpaidOrders(10))), ...Array.from({ length: deliveries }, deliver)]);
        const [sweep, ...answers] = await s.waitFor(all);
        expect(sweep._tag).toBe("Right");
        expect(answers.filter((a) => a._tag === "Right" && a.right.outcome === "applied")).toHaveLength(1);
        const final = db.orders.get(order.id)!;
        const refunds = ledger.refundsOf(session.paymentId).length;
        const types = db.outbox.filter((e) => "orderId" in e && e.orderId === order.id).map((e) => e.type);
        if (final.status === "paid") {
          expect([refunds, db.products.get(product.id)!.stock, types]).toEqual([0, 3, ["OrderPlaced", "OrderPaid"]]);
        } else {
          expect(final.status).toBe("cancelled");
          expect([refunds, final.payment?.status, db.products.get(product.id)!.stock, types]).toEqual([1, "refunded", 5, ["OrderPlaced", "OrderCancelled", "OrderPaymentRefunded"]]);
        }
        await racing.dispose();
        await setup.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
