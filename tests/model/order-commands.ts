import type fc from "fast-check";
import { expect } from "vitest";
import { adjustStock, advanceOrder, cancelOrder, placeOrder, updateProduct, type Currency, type Money, type OrderId, type OrderStatus } from "../../domain/index.js";
import { outcome } from "../support/run.js";
import { type Model, type ModelOrder, available, fingerprint, noteFalls, noteOrderChange, reserved } from "./state.js";
import { checkState, type Real } from "./system.js";

type Cmd = fc.AsyncCommand<Model, Real>;

const next: Record<OrderStatus, ReadonlyArray<OrderStatus>> = {
  placed: ["paid", "cancelled"],
  paid: ["packed", "cancelled"],
  packed: ["shipped"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

const eventType: Record<OrderStatus, string> = {
  placed: "OrderPlaced",
  paid: "OrderPaid",
  packed: "OrderPacked",
  shipped: "OrderShipped",
  delivered: "OrderDelivered",
  cancelled: "OrderCancelled",
};

const restock = (m: Model, o: ModelOrder) => {
  for (const l of o.lines) m.products[l.product]!.stock += l.qty;
};

export class Checkout implements Cmd {
  constructor(readonly c: number, readonly k: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await r.run(placeOrder(r.customerId(this.c), r.key(this.c, this.k)));
    const cart = m.carts[this.c]!;
    const id = `${this.c}:${this.k}`;
    const seen = m.keys.get(id);
    let expected = "ok";
    if (seen?.order !== undefined) {
      // A key that placed an order names it on every replay, whatever the cart holds now.
      if (result._tag === "Right") expect(result.right).toMatchObject({ replayed: true, order: { id: m.orders[seen.order]!.id } });
    } else if (seen && seen.fingerprint !== fingerprint(cart)) expected = "IdempotencyKeyReused";
    else if (cart.size === 0) expected = "CheckoutEmptyCart";
    else if ([...cart.values()].some((l) => l.released || l.expiresAt <= m.now)) expected = "CheckoutHoldExpired";
    else if (result._tag === "Right") {
      const lines = [...cart.entries()].sort(([a], [b]) => a - b).map(([product, l]) => ({ product, qty: l.qty, price: l.price }));
      for (const l of lines) m.products[l.product]!.stock -= l.qty;
      m.keys.set(id, { order: m.orders.length, fingerprint: fingerprint(cart) });
      m.orders.push({ id: result.right.order.id, customer: this.c, lines, status: "placed", changes: 0, placedAt: m.now });
      noteOrderChange(m, m.orders.length - 1, "OrderPlaced");
      cart.clear();
      expect(result.right.replayed).toBe(false);
    }
    // A refused checkout binds its key to the cart it saw.
    if (expected === "CheckoutEmptyCart" || expected === "CheckoutHoldExpired") m.keys.set(id, { fingerprint: fingerprint(cart) });
    expect(outcome(result)).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `Checkout(c${this.c}, key${this.k})`;
}

export class CancelOrder implements Cmd {
  constructor(readonly c: number, readonly o: number) {}
  check = (m: Readonly<Model>) => m.orders.length > 0;
  async run(m: Model, r: Real) {
    const order = m.orders[this.o % m.orders.length]!;
    const actual = outcome(await r.run(cancelOrder({ userId: r.customerId(this.c), role: "customer" }, order.id as OrderId)));
    let expected = "ok";
    if (order.customer !== this.c) expected = "OrderNotFound";
    else if (!next[order.status].includes("cancelled")) expected = "OrderTransitionNotAllowed";
    else if (order.status !== "placed") expected = "OrderTransitionForbidden";
    else {
      order.status = "cancelled";
      restock(m, order);
      noteOrderChange(m, m.orders.indexOf(order), "OrderCancelled");
    }
    expect(actual).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `CancelOrder(c${this.c}, order#${this.o})`;
}

export class AdminAdvanceOrder implements Cmd {
  constructor(readonly o: number, readonly to: OrderStatus) {}
  check = (m: Readonly<Model>) => m.orders.length > 0;
  async run(m: Model, r: Real) {
    const order = m.orders[this.o % m.orders.length]!;
    const admin = { userId: r.customerId(99), role: "admin" as const };
    const actual = outcome(await r.run(advanceOrder(admin, order.id as OrderId, this.to)));
    let expected = "ok";
    const ix = m.orders.indexOf(order);
    if (!next[order.status].includes(this.to)) expected = "OrderTransitionNotAllowed";
    // Paid by hand: a card payment that already succeeded at the provider pays the order through its webhook instead.
    else if (this.to === "paid" && order.intent === "succeeded") expected = "PaymentAlreadySucceeded";
    else {
      // ...and an open one is cancelled at the provider first, so it cannot take the money too.
      if (this.to === "paid" && order.intent === "open") {
        order.intent = "canceled";
        if (order.payment) order.payment = { ...order.payment, status: "canceled" };
      }
      order.status = this.to;
      if (this.to === "cancelled") restock(m, order);
      noteOrderChange(m, ix, eventType[this.to]);
      // Cancelling a paid order owes its payment back, committed with the cancellation, then refunded once.
      if (this.to === "cancelled" && order.payment?.status === "succeeded") {
        order.payment = { status: "refunded", refunds: order.payment.refunds + 1 };
        noteOrderChange(m, ix, "OrderPaymentRefunded");
      }
    }
    expect(actual).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `AdminAdvanceOrder(order#${this.o}, ${this.to})`;
}

export class AdminAdjustStock implements Cmd {
  constructor(readonly p: number, readonly delta: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const actual = outcome(await r.run(adjustStock(r.productId(this.p), this.delta)));
    const product = m.products[this.p]!;
    let expected = "ok";
    if (product.stock + this.delta < reserved(m, this.p)) expected = "InventoryStockBelowReserved";
    else {
      const before = available(m, this.p);
      product.stock += this.delta;
      product.supplied += this.delta;
      if (this.delta < 0) noteFalls(m, [{ p: this.p, before, after: available(m, this.p) }]);
    }
    expect(actual).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `AdminAdjustStock(p${this.p}, ${this.delta})`;
}

export class AdminChangePrice implements Cmd {
  constructor(readonly p: number, readonly amount: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const price = { amount: this.amount, currency: "EUR" as Currency } as Money;
    expect(outcome(await r.run(updateProduct(r.productId(this.p), { price })))).toBe("ok");
    m.products[this.p]!.price = this.amount;
    await checkState(m, r);
  }
  toString = () => `AdminChangePrice(p${this.p}, ${this.amount})`;
}
