/**
 * A concurrent model test of orders and their money. Admin moves (paid by hand, pack, ship, cancel), a
 * customer's cancel, provider successes and their (re)deliveries, the refund worker and the payment-window
 * sweep run at once, interleaved store call by store call (PCT schedules). After every store call: each
 * refund the provider made is one the stored order owes or has recorded (refunds follow commits), no
 * payment is refunded twice, and every order's units left stock once. When all is done and delivered: a
 * cancelled order keeps no money, a paid one keeps exactly one payment, and the audit is clean.
 */
import { Effect, Layer, Option } from "effect";
import fc from "fast-check";
import { expect, it } from "vitest";
import { simulatedPayments } from "../../adapters/payments/layer.js";
import { signedEvent } from "../../adapters/payments/simulated.js";
import { paymentPolicy } from "../../adapters/system.js";
import {
  addToCart,
  advanceOrder,
  audit,
  type AuditSnapshot,
  cancelOrder,
  expireUnpaidOrders,
  type Order,
  type OrderId,
  OrderStore,
  placeOrder,
  receivePaymentWebhook,
  refundOwedPayments,
  startPayment,
} from "../../domain/index.js";
import type { Stores } from "../contract/store-contract.js";
import type { Services } from "../model/system.js";
import { gateEveryCall } from "./hooks.js";
import { openSharedShop, type SharedShop } from "./shop.js";
import { pct, Turns } from "./turns.js";

const windowMs = 30 * 60_000;
const orderCount = 2;

type Action =
  | { readonly kind: "admin"; readonly o: number; readonly to: "paid" | "packed" | "shipped" | "cancelled" }
  | { readonly kind: "customerCancel" | "pay" | "deliver" | "stray"; readonly o: number }
  | { readonly kind: "refunds" | "expire" };

const o = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("admin" as const), o, to: fc.constantFrom("paid" as const, "packed" as const, "shipped" as const, "cancelled" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("customerCancel" as const), o }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("pay" as const), o }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deliver" as const), o }) },
  // A second payment the provider takes for the order (its metadata names it): never kept.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stray" as const), o }) },
  { weight: 2, arbitrary: fc.constant({ kind: "refunds" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "expire" as const }) },
);
/** Each order before the race: unpaid with a payment started, settled at the provider but not yet delivered, or paid. */
const setup = fc.record({
  orders: fc.array(fc.constantFrom("open" as const, "settled" as const, "paid" as const), { minLength: orderCount, maxLength: orderCount }),
  pastWindow: fc.boolean(),
});
type Setup = typeof setup extends fc.Arbitrary<infer S> ? S : never;

interface World {
  readonly shop: SharedShop;
  readonly sim: ReturnType<typeof simulatedPayments>;
  readonly orders: Array<OrderId>;
  /** Each order's payment (its intent at the provider). */
  readonly intents: Array<string>;
  /** Other payments the provider took for each order. */
  readonly strays: Array<Array<string>>;
}

const deliverSuccess = (w: World, i: number, paymentId = w.intents[i]!) => async (run: SharedShop["run"]) => {
  const intent = w.sim.ledger.intent(paymentId);
  if (intent.status !== "succeeded") return;
  const { payload, signature } = await signedEvent(w.sim.ledger.event("payment_intent.succeeded", intent), w.sim.webhookSecret);
  await run(receivePaymentWebhook(new TextEncoder().encode(payload), signature));
};

const prepare = async (shop: SharedShop, sim: World["sim"], s: Setup): Promise<World> => {
  const world: World = { shop, sim, orders: [], intents: [], strays: [] };
  for (const [i, state] of s.orders.entries()) {
    const customer = shop.customerId(i);
    await shop.ok(addToCart(customer, shop.productId(0), 1 + i));
    const { order } = await shop.ok(placeOrder(customer, shop.key(i, 0)));
    const session = await shop.ok(startPayment({ userId: customer, role: "customer" }, order.id));
    world.orders.push(order.id);
    world.intents.push(session.paymentId);
    world.strays.push([]);
    if (state !== "open") sim.ledger.settle(session.paymentId, "succeeded");
    if (state === "paid") await deliverSuccess(world, i)(shop.run);
  }
  if (s.pastWindow) shop.clock.advance(windowMs + 1);
  return world;
};

const perform = (w: World, a: Action, actor: ReturnType<SharedShop["actor"]>, step: (label: string, act: () => void) => Promise<void>) => {
  const admin = { userId: w.shop.customerId(9), role: "admin" as const };
  switch (a.kind) {
    case "admin": return actor.run(advanceOrder(admin, w.orders[a.o]!, a.to));
    case "customerCancel": return actor.run(cancelOrder({ userId: w.shop.customerId(a.o), role: "customer" }, w.orders[a.o]!));
    case "refunds": return actor.run(refundOwedPayments(10));
    case "expire": return actor.run(expireUnpaidOrders(10));
    case "deliver": return deliverSuccess(w, a.o)(actor.run);
    case "stray": {
      let stray = "";
      return step("provider.stray", () => {
        stray = w.sim.ledger.createIntent({ amount: 300, currency: "EUR", metadata: { orderId: w.orders[a.o]! } }).id;
        w.sim.ledger.settle(stray, "succeeded");
        w.strays[a.o]!.push(stray);
      }).then(() => deliverSuccess(w, a.o, stray)(actor.run));
    }
    case "pay":
      // The buyer pays at the provider (a step of its own), then its event reaches the app.
      return step("provider.settle", () => {
        if (w.sim.ledger.intent(w.intents[a.o]!).status === "requires_payment_method") w.sim.ledger.settle(w.intents[a.o]!, "succeeded");
      }).then(() => deliverSuccess(w, a.o)(actor.run));
  }
};

const storedOrders = (w: World) =>
  Promise.all(w.orders.map((id) => w.shop.ok(Effect.flatMap(OrderStore, (s) => s.get(id)).pipe(Effect.map(Option.getOrThrow))))) as Promise<Array<Order>>;

const paymentsOf = (w: World, i: number) => [w.intents[i]!, ...w.strays[i]!];

/** After every store call: every refund made follows a committed obligation; none twice; units out of stock once. */
const checkStep = async (w: World, initialStock: number) => {
  const orders = await storedOrders(w);
  for (const [i, order] of orders.entries()) {
    for (const paymentId of paymentsOf(w, i)) {
      const refunds = w.sim.ledger.refundsOf(paymentId);
      // invariant: no payment refunded twice
      expect({ order: i, paymentId, refunds: refunds.length <= 1 }).toEqual({ order: i, paymentId, refunds: true });
      const recorded = [...(order.payment?.paymentId === paymentId ? order.payment.refunds : []), ...(order.otherRefunds ?? []).filter((r) => r.paymentId === paymentId)];
      const committed = (order.refundsDue ?? []).some((d) => d.paymentId === paymentId) || recorded.length > 0;
      // invariant: a refund the provider made is owed or recorded by a committed change of its order
      if (refunds.length > 0) expect({ order: i, paymentId, committed }).toEqual({ order: i, paymentId, committed: true });
    }
  }
  const product = await w.shop.stored(0);
  const sold = orders.filter((x) => x.status !== "cancelled").flatMap((x) => x.lines).reduce((n, l) => n + l.quantity, 0);
  // invariant: every order's units left stock exactly once (and came back once if it was cancelled)
  expect(product.stock + sold).toBe(initialStock);
};

/** When everything is delivered and the refund worker has run: money kept = one payment per paid order, none on a cancelled one. */
const checkSettled = async (w: World, snapshot: () => Promise<AuditSnapshot>) => {
  for (let i = 0; i < w.orders.length; i++) for (const id of paymentsOf(w, i)) await deliverSuccess(w, i, id)(w.shop.run);
  await w.shop.ok(refundOwedPayments(10));
  const orders = await storedOrders(w);
  for (const [i, order] of orders.entries()) {
    const kept = paymentsOf(w, i)
      .map((id) => w.sim.ledger.intent(id).amount_received - w.sim.ledger.refundsOf(id).reduce((n, r) => n + r.amount, 0))
      .reduce((a, b) => a + b, 0);
    const paidByCard = order.payment?.status === "succeeded" && order.status !== "placed" && order.status !== "cancelled";
    // invariant: money received twice goes back once; a cancelled order keeps nothing
    expect({ order: i, status: order.status, kept }).toEqual({ order: i, status: order.status, kept: paidByCard ? order.total.amount : 0 });
    expect(order.refundsDue ?? []).toEqual([]);
  }
  const report = audit(await snapshot(), { now: w.shop.clock.now(), sweepIntervalMs: 365 * 24 * 3600_000, recordRetentionMs: 365 * 24 * 3600_000 });
  expect(report.violations).toEqual([]);
};

export interface PaymentRunStats {
  runs: number;
  steps: number;
}

/** `numRuns` schedules of 2–4 concurrent actors, each doing 1–2 actions, over two orders set up at random. */
export const runConcurrentPaymentTest = (
  name: string,
  makeStores: () => Promise<{ layer: Layer.Layer<Stores>; snapshot: () => Promise<AuditSnapshot>; teardown?: () => Promise<void> }>,
  options: { readonly numRuns: number; readonly timeout: number; readonly stats?: PaymentRunStats },
) =>
  it(
    name,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          setup,
          fc.array(fc.array(action, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 4 }),
          fc.array(fc.nat(99), { minLength: 4, maxLength: 4 }),
          fc.array(fc.nat(12), { minLength: 1, maxLength: 3 }),
          async (before, actors, priorities, changePoints) => {
            const system = await makeStores();
            const sim = simulatedPayments();
            const shop = openSharedShop(system.layer, Date.UTC(2026, 0, 1), Layer.merge(sim.layer, paymentPolicy(windowMs, true)));
            const stock = 10;
            try {
              await shop.product(0, stock);
              const world = await prepare(shop, sim, before);
              const turns = new Turns();
              const done = actors.map((actions, id) =>
                turns.start(id, async () => {
                  const actor = shop.actor(gateEveryCall(system.layer, turns.gate(id)));
                  for (const a of actions) await perform(world, a, actor, (label, act) => turns.step(id, label, act));
                }),
              );
              const steps = await turns.interleave(pct(priorities, changePoints), () => checkStep(world, stock));
              await Promise.all(done);
              await checkSettled(world, system.snapshot);
              if (options.stats) {
                options.stats.runs++;
                options.stats.steps += steps;
              }
            } finally {
              await shop.dispose();
              await system.teardown?.();
            }
          },
        ),
        { numRuns: options.numRuns, interruptAfterTimeLimit: options.timeout - 15_000 },
      );
    },
    options.timeout,
  );

export type { Services };
