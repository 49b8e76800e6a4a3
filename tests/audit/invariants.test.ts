import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memorySnapshot } from "../../adapters/memory/snapshot.js";
import {
  audit,
  type AuditRule,
  EventOps,
  idempotencyWindowMs,
  type Order,
  type OrderId,
  type OrderStatus,
  type Payment,
  setProductArchived,
  type Timestamp,
  updateProduct,
} from "../../domain/index.js";
import { openShop, runOp, shopOp, type Shop } from "../support/shop.js";

const optionsAt = (shop: Shop, extra: { supplied?: Map<string, number> } = {}) => ({
  now: shop.real.clock.now(),
  sweepIntervalMs: 60 * 60_000,
  recordRetentionMs: idempotencyWindowMs,
  ...extra,
});
const supplied = (shop: Shop) => new Map(shop.initialStock.map((s, p) => [shop.real.productId(p) as string, s + shop.adjustments[p]!]));
const rules = (shop: Shop, extra = {}) => audit(memorySnapshot(shop.db), optionsAt(shop, extra)).violations.map((v) => v.rule);

/** A shop with an order, a live hold and a record: every rule has something to look at. */
const busyShop = async () => {
  const shop = await openShop([5, 5, 5]);
  for (const op of [
    { kind: "add", c: 0, p: 0, q: 2 },
    { kind: "checkout", c: 0, k: 0 },
    { kind: "add", c: 1, p: 1, q: 1 },
  ] as const)
    await runOp(shop, op);
  expect(shop.db.orders.size).toBe(1);
  return shop;
};

const withChange = (o: Order, status: OrderStatus, by: "admin" | "system" | "customer"): Order => ({ ...o, status, history: [...o.history, { status, at: o.createdAt, by }] });
const payment = (o: Order, status: Payment["status"]): Payment => ({ provider: "simulated", paymentId: "pi_x", amount: o.total, status, refunds: [] });

/** Stores the first order as `change` makes it, with the events the change's history entries publish (a cancellation restocks its lines). */
const changeOrder = (s: Shop, change: (o: Order) => Order, restock = false) => {
  const before = [...s.db.orders.values()][0]!;
  const after = change(before);
  s.db.orders.set(after.id, after);
  for (let n = before.history.length + 1; n <= after.history.length; n++) s.db.outbox.push(EventOps.ofOrder({ ...after, history: after.history.slice(0, n), status: after.history[n - 1]!.status }, restock ? after.lines : []));
  if (restock)
    for (const l of after.lines) {
      const p = s.db.products.get(l.productId)!;
      s.db.products.set(p.id, { ...p, stock: p.stock + l.quantity });
    }
};

describe("The invariant audit", () => {
  it("finds nothing wrong after any sequence of use cases (the data the real code writes is clean)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(6), { minLength: 3, maxLength: 3 }), fc.array(shopOp, { maxLength: 30 }), async (initial, ops) => {
        const shop = await openShop(initial);
        for (const op of ops) await runOp(shop, op);
        expect(audit(memorySnapshot(shop.db), { ...optionsAt(shop), supplied: supplied(shop), sweepIntervalMs: 365 * 24 * 3600_000 }).violations).toEqual([]);
        await shop.real.dispose();
      }),
      { numRuns: 100 },
    );
  });

  const broken: ReadonlyArray<readonly [AuditRule, string, (shop: Shop) => void]> = [
    ["reserved-equals-unreleased-holds", "a product's reserved is off by one", (s) => {
      const p = s.db.products.get(s.real.productId(1))!;
      s.db.products.set(p.id, { ...p, reserved: p.reserved + 1 });
    }],
    ["reserved-equals-unreleased-holds", "a hold is gone but its units are still reserved", (s) => s.db.carts.get(s.real.customerId(1))!.clear()],
    ["counters-in-range", "reserved exceeds stock", (s) => {
      const p = s.db.products.get(s.real.productId(2))!;
      s.db.products.set(p.id, { ...p, reserved: p.stock + 1 });
    }],
    ["units-conserved", "stock appeared from nowhere", (s) => {
      const p = s.db.products.get(s.real.productId(0))!;
      s.db.products.set(p.id, { ...p, stock: p.stock + 10 });
    }],
    ["order-total-exact", "an order's total differs from its lines", (s) => {
      const o = [...s.db.orders.values()][0]!;
      s.db.orders.set(o.id, { ...o, total: { ...o.total, amount: o.total.amount + 1 } as never });
    }],
    ["order-has-record", "an order lost its idempotency record", (s) => s.db.idempotency.clear()],
    ["record-names-order", "a record names an order that does not exist", (s) => {
      const [k, r] = [...s.db.idempotency][0]!;
      s.db.idempotency.set(k, { ...r, orderId: "missing-order" as OrderId });
    }],
    ["hold-not-stale", "an unreleased hold outlived its expiry by more than a sweep interval", (s) => s.real.clock.advance(3 * 60 * 60_000)],
    ["refund-recorded", "a cancelled order's payment succeeded and is neither refunded nor owed", (s) =>
      changeOrder(s, (o) => ({ ...withChange(o, "cancelled", "admin"), payment: payment(o, "succeeded") }), true)],
    ["refund-recorded", "an order paid by hand kept a card payment too", (s) => changeOrder(s, (o) => ({ ...withChange(o, "paid", "admin"), payment: payment(o, "succeeded") }))],
    ["refund-within-received", "a payment was refunded twice", (s) =>
      changeOrder(s, (o) => {
        const refund = { refundId: "re_1", amount: o.total, reason: "cancelled_by_admin" as const, at: o.createdAt };
        return { ...withChange(o, "cancelled", "admin"), payment: { ...payment(o, "refunded"), refunds: [refund, { ...refund, refundId: "re_2" }] } };
      }, true)],
    ["refund-overdue", "a refund stayed owed past two sweeps", (s) =>
      changeOrder(s, (o) => ({ ...withChange(o, "cancelled", "admin"), payment: payment(o, "succeeded"), refundsDue: [{ provider: "simulated", paymentId: "pi_x", amount: o.total, reason: "cancelled_by_admin", since: (o.createdAt - 3 * 60 * 60_000) as Timestamp }] }), true)],
    ["paid-has-payment", "a paid order has no payment and no mark by hand", (s) => changeOrder(s, (o) => withChange(o, "paid", "system"))],
    ["events-match-history", "an order has 3 changes but 1 event", (s) => {
      const o = [...s.db.orders.values()][0]!;
      s.db.orders.set(o.id, withChange(withChange(o, "paid", "admin"), "packed", "admin"));
    }],
    ["cancelled-once", "a cancellation was published (and restocked) twice", (s) => {
      changeOrder(s, (o) => withChange(o, "cancelled", "customer"), true);
      s.db.outbox.push(s.db.outbox.at(-1)!);
    }],
  ];

  it.each(broken)("reports %s when %s", async (rule, _what, breakIt) => {
    const shop = await busyShop();
    expect(rules(shop, { supplied: supplied(shop) })).toEqual([]);
    breakIt(shop);
    expect(rules(shop, { supplied: supplied(shop) })).toContain(rule);
    await shop.real.dispose();
  });

  it("does not ask an order older than the records' retention for its record (TTL may have deleted it)", async () => {
    const shop = await busyShop();
    shop.db.idempotency.clear();
    const report = audit(memorySnapshot(shop.db), { ...optionsAt(shop), now: (shop.real.clock.now() + idempotencyWindowMs + 1) as Timestamp, sweepIntervalMs: 365 * 24 * 3600_000 });
    expect(report.violations.map((v) => v.rule)).not.toContain("order-has-record");
  });
});

describe("The invariant audit: category counts", () => {
  const categoryFindings = (shop: Shop, categoryCounts?: ReadonlyArray<{ category: string; products: number }>) =>
    audit({ ...memorySnapshot(shop.db), ...(categoryCounts ? { categoryCounts } : {}) }, optionsAt(shop))
      .violations.filter((v) => v.rule === "category-count-exact")
      .map((v) => `${v.subject}: ${v.detail}`);

  it("reports a category whose count is off, absent (data written before the counters) or left behind, counting listed products only (invariant: count = listed products)", async () => {
    const shop = await openShop([5, 5, 5]);
    await shop.real.ok(setProductArchived(shop.real.productId(2), true));
    expect(categoryFindings(shop, [{ category: "shop", products: 2 }])).toEqual([]);
    expect(categoryFindings(shop, [{ category: "shop", products: 3 }])).toEqual(["category shop: count 3, listed products 2"]);
    expect(categoryFindings(shop, [])).toEqual(["category shop: count absent, listed products 2"]);
    expect(categoryFindings(shop, [{ category: "shop", products: 2 }, { category: "gone", products: -1 }])).toEqual(["category gone: count -1, listed products 0"]);
    await shop.real.dispose();
  });

  it("finds the memory store's counts exact after archives, unarchives and category moves", async () => {
    const shop = await openShop([5, 5, 5, 5]);
    const [a, b, c] = [0, 1, 2].map((i) => shop.real.productId(i));
    await shop.real.ok(setProductArchived(a!, true));
    await shop.real.ok(updateProduct(b!, { category: "tea" }));
    await shop.real.ok(updateProduct(a!, { category: "tea" }));
    await shop.real.ok(setProductArchived(c!, true));
    await shop.real.ok(setProductArchived(c!, false));
    expect(memorySnapshot(shop.db).categoryCounts).toEqual([{ category: "shop", products: 2 }, { category: "tea", products: 1 }]);
    expect(categoryFindings(shop)).toEqual([]);
    await shop.real.dispose();
  });
});
