import { Effect, Either, Layer, ManagedRuntime, Option } from "effect";
import { expect } from "vitest";
import {
  CartStore,
  EventLog,
  OrderStore,
  ProductStore,
  type Clock,
  type HoldPolicy,
  type PaymentGateway,
  type PaymentPolicy,
  type IdGenerator,
  type IdempotencyKey,
  type OrderId,
  type ProductId,
  type UserId,
  isOrderEvent,
} from "../../domain/index.js";
import { makeManualClock, SequentialIds, type ManualClock } from "../../adapters/memory/layer.js";
import { simulatedPayments } from "../../adapters/payments/layer.js";
import { holdPolicy, paymentPolicy } from "../../adapters/system.js";
import type { Stores } from "../contract/store-contract.js";
import { type Model, available, customerCount, paymentWindowMs, productCount, reserved, sold } from "./state.js";

export type Services = Stores | Clock | IdGenerator | HoldPolicy | PaymentGateway | PaymentPolicy;

/** The system under test: use cases over some store layer, a manual clock and readable ids. */
export class Real {
  readonly clock: ManualClock;
  private readonly runtime: ManagedRuntime.ManagedRuntime<Services, never>;

  /** The simulated provider: its ledger settles payments, its secret signs their webhooks. */
  readonly payments = simulatedPayments();

  constructor(stores: Layer.Layer<Stores>, readonly prefix: string, start: number, ttlMs: number) {
    this.clock = makeManualClock(start);
    // Manual payments stay on here: orders are paid by hand (AdminAdvanceOrder) and through the provider (Pay).
    this.runtime = ManagedRuntime.make(
      Layer.mergeAll(stores, this.clock.layer, SequentialIds(`${prefix}id`), holdPolicy(ttlMs), this.payments.layer, paymentPolicy(paymentWindowMs, true)),
    );
  }

  run<A, E>(effect: Effect.Effect<A, E, Services>): Promise<Either.Either<A, E>> {
    return this.runtime.runPromise(Effect.either(effect));
  }

  async ok<A, E>(effect: Effect.Effect<A, E, Services>): Promise<A> {
    return Either.getOrThrow(await this.run(effect));
  }

  dispose = () => this.runtime.dispose();

  productId = (p: number) => `${this.prefix}p${p}` as ProductId;
  customerId = (c: number) => `${this.prefix}c${c}` as UserId;
  key = (c: number, k: number) => `${this.prefix}key-${c}-${k}` as IdempotencyKey;
}

/** The whole stored state equals the model's, and the invariants hold on what is stored. */
export const checkState = async (m: Model, r: Real) => {
  for (let p = 0; p < productCount; p++) {
    const stored = Option.getOrThrow(await r.ok(Effect.flatMap(ProductStore, (s) => s.get(r.productId(p)))));
    expect({ p, stock: stored.stock, reserved: stored.reserved, price: stored.price.amount }).toEqual({
      p,
      stock: m.products[p]!.stock,
      reserved: reserved(m, p),
      price: m.products[p]!.price,
    });
    // invariant: 0 <= reserved <= stock
    expect(0 <= stored.reserved && stored.reserved <= stored.stock && available(m, p) >= 0).toBe(true);
    // invariant: stock conservation — supplied = stock now + sold in non-cancelled orders
    expect(stored.stock + sold(m, p)).toBe(m.products[p]!.supplied);
  }
  for (let c = 0; c < customerCount; c++) {
    const cart = await r.ok(Effect.flatMap(CartStore, (s) => s.get(r.customerId(c))));
    const expected = [...m.carts[c]!.entries()]
      .sort(([a], [b]) => a - b)
      .map(([p, l]) => ({ productId: r.productId(p), qty: l.qty, price: l.price, expiresAt: l.expiresAt, released: l.released }));
    expect(
      cart.lines.map((l) => ({ productId: l.productId, qty: l.quantity, price: l.unitPrice.amount, expiresAt: l.expiresAt, released: l.released })),
    ).toEqual(expected);
  }
  for (const o of m.orders) {
    const stored = Option.getOrThrow(await r.ok(Effect.flatMap(OrderStore, (s) => s.get(o.id as OrderId))));
    expect({ status: stored.status, lines: stored.lines.map((l) => [l.productId, l.quantity, l.unitPrice.amount]) }).toEqual({
      status: o.status,
      lines: o.lines.map((l) => [r.productId(l.product), l.qty, l.price]),
    });
    // invariant: an order's total is exactly the sum of quantity x snapshot price
    expect(stored.total.amount).toBe(stored.lines.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0));
    // invariant: the payment is as the model says, and the provider refunded at most once, exactly when recorded
    expect(stored.payment ? { status: stored.payment.status, refunds: stored.payment.refunds.length } : undefined).toEqual(o.payment);
    const intent = r.payments.ledger.intentOfOrder(o.id);
    expect(intent ? r.payments.ledger.refundsOf(intent.id).length : 0).toBe(o.payment?.refunds ?? 0);
  }
  await checkEvents(m, r);
};

/** invariant: every committed command wrote exactly its events (consecutive sequences per order); a refused one none. */
const checkEvents = async (m: Model, r: Real) => {
  const stored = [];
  let cursor: string | undefined;
  do {
    const page = await r.ok(Effect.flatMap(EventLog, (log) => log.list({ limit: 100, cursor })));
    stored.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // Events of one instant may list in any order across orders (DynamoDB orders ties by id): compare as sorted lists.
  const canonical = (events: ReadonlyArray<object>) => events.map((e) => JSON.stringify(e)).sort();
  const found = stored.map((e) =>
    isOrderEvent(e) ? { type: e.type, order: e.orderId, sequence: e.sequence } : e.type === "StockLow" ? { type: e.type, low: e.products.map((p) => [p.productId, p.available]) } : { type: e.type, product: e.productId },
  );
  const expected = m.events.map((e) =>
    "low" in e ? { type: e.type, low: e.low.map(([p, a]) => [r.productId(p), a]) } : { type: e.type, order: m.orders[e.order]!.id, sequence: e.sequence },
  );
  expect(canonical(found)).toEqual(canonical(expected));
};
