/** Payment commands of the model-based test: start a payment, the provider settles it (or declines), redelivery, the payment-window sweep. */
import type fc from "fast-check";
import { expect } from "vitest";
import { expireUnpaidOrders, receivePaymentWebhook, startPayment, type OrderId } from "../../domain/index.js";
import { signedEvent } from "../../adapters/payments/simulated.js";
import { outcome } from "../support/run.js";
import { type Model, type ModelOrder, noteOrderChange, paymentWindowMs } from "./state.js";
import { checkState, type Real } from "./system.js";

type Cmd = fc.AsyncCommand<Model, Real>;

const orderAt = (m: Readonly<Model>, o: number) => m.orders[o % m.orders.length]!;

/** A customer starts paying an order: mostly its owner (`c` null), sometimes someone else. */
export class StartPayment implements Cmd {
  constructor(readonly c: number | null, readonly o: number) {}
  check = (m: Readonly<Model>) => m.orders.length > 0;
  async run(m: Model, r: Real) {
    const order = orderAt(m, this.o);
    const c = this.c ?? order.customer;
    const result = await r.run(startPayment({ userId: r.customerId(c), role: "customer" }, order.id as OrderId));
    let expected = "ok";
    if (order.customer !== c) expected = "OrderNotFound";
    else if (order.status !== "placed") expected = "OrderNotPayable";
    else if (!order.payment) {
      order.payment = { status: "pending", refunds: 0 };
      order.intent = "open";
    }
    expect(outcome(result)).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `StartPayment(${this.c === null ? "owner" : `c${this.c}`}, order#${this.o})`;
}

/**
 * The buyer pays (or the card is declined) at the provider; its signed event reaches the app now, or
 * (`delivered` false) later, by DeliverWebhook: an admin may move the order in between.
 */
export class Pay implements Cmd {
  constructor(readonly o: number, readonly result: "succeeded" | "failed", readonly delivered = true) {}
  check = (m: Readonly<Model>) => m.orders.length > 0 && orderAt(m, this.o).intent === "open";
  async run(m: Model, r: Real) {
    const order = orderAt(m, this.o);
    const intent = r.payments.ledger.intentOfOrder(order.id)!;
    const webhook = await signedEvent(r.payments.ledger.settle(intent.id, this.result), r.payments.webhookSecret);
    if (this.result === "succeeded") order.intent = "succeeded";
    (order.undelivered ??= []).push({ ...webhook, result: this.result });
    if (this.delivered) await deliver(m, r, order);
    else await checkState(m, r);
  }
  toString = () => `Pay(order#${this.o}, ${this.result}${this.delivered ? "" : ", delivered later"})`;
}

/** The provider's oldest undelivered event for an order reaches the app. */
export class DeliverWebhook implements Cmd {
  constructor(readonly o: number) {}
  check = (m: Readonly<Model>) => m.orders.length > 0 && (orderAt(m, this.o).undelivered?.length ?? 0) > 0;
  async run(m: Model, r: Real) {
    await deliver(m, r, orderAt(m, this.o));
  }
  toString = () => `DeliverWebhook(order#${this.o})`;
}

const deliver = async (m: Model, r: Real, order: ModelOrder) => {
  const webhook = order.undelivered!.shift()!;
  order.lastWebhook = webhook;
  const answer = await r.ok(receivePaymentWebhook(new TextEncoder().encode(webhook.payload), webhook.signature));
  const ix = m.orders.indexOf(order);
  let expected: string;
  if (webhook.result === "succeeded") {
    if (order.status === "placed") {
      expected = "applied";
      order.status = "paid";
      order.payment = { status: "succeeded", refunds: 0 };
      noteOrderChange(m, ix, "OrderPaid");
    } else if (order.payment?.status !== "succeeded" && order.payment?.status !== "refunded") {
      // Money the order does not keep (it was cancelled meanwhile): owed back with the event's record, then refunded once.
      expected = "applied";
      order.payment = { status: "refunded", refunds: (order.payment?.refunds ?? 0) + 1 };
      noteOrderChange(m, ix, "OrderPaymentRefunded");
    } else expected = "unchanged";
  } else if (order.status === "placed" && order.payment && order.payment.status !== "succeeded") {
    expected = "applied";
    order.payment = { ...order.payment, status: "failed" };
  } else expected = "unchanged";
  expect(answer.outcome).toBe(expected);
  await checkState(m, r);
};

/** The provider delivers the last webhook again: nothing changes. */
export class RedeliverWebhook implements Cmd {
  constructor(readonly o: number) {}
  check = (m: Readonly<Model>) => m.orders.length > 0 && orderAt(m, this.o).lastWebhook !== undefined;
  async run(m: Model, r: Real) {
    const { payload, signature } = orderAt(m, this.o).lastWebhook!;
    expect((await r.ok(receivePaymentWebhook(new TextEncoder().encode(payload), signature))).outcome).toBe("duplicate");
    await checkState(m, r);
  }
  toString = () => `RedeliverWebhook(order#${this.o})`;
}

/** The sweeper's payment window: placed orders unpaid past it are cancelled with their payment, units back once. */
export class ExpireUnpaidOrders implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const report = await r.ok(expireUnpaidOrders(1000));
    const expected = { expired: 0, skipped: 0, failed: 0 };
    const due = m.orders.filter((o) => o.status === "placed" && o.placedAt < m.now - paymentWindowMs);
    for (const o of due.sort((a, b) => a.placedAt - b.placedAt)) {
      if (o.intent === "succeeded") {
        expected.skipped++;
        continue;
      }
      expected.expired++;
      if (o.intent === "open") o.intent = "canceled";
      if (o.payment && (o.payment.status === "pending" || o.payment.status === "failed")) o.payment = { ...o.payment, status: "canceled" };
      o.status = "cancelled";
      restock(m, o);
      noteOrderChange(m, m.orders.indexOf(o), "OrderCancelled");
    }
    expect(report).toEqual(expected);
    await checkState(m, r);
  }
  toString = () => "ExpireUnpaidOrders";
}

const restock = (m: Model, o: ModelOrder) => {
  for (const l of o.lines) m.products[l.product]!.stock += l.qty;
};
