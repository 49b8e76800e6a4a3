/**
 * The domain's invariants, checked against stored data (npm run audit, the load test, the model test):
 * a pure function over a snapshot of products, cart lines, orders and idempotency records.
 */
import type { CartLine } from "../cart/cart.js";
import type { IdempotencyRecord } from "../idempotency/record.js";
import { InventoryOps, type Product } from "../inventory/product.js";
import type { CategoryCount } from "../inventory/ports.js";
import type { Order } from "../orders/order.js";
import type { DomainEvent } from "../events/events.js";
import { auditMoneyAndEvents, type MoneyEventRule } from "./money-and-events.js";

export interface AuditSnapshot {
  readonly products: ReadonlyArray<Product>;
  readonly lines: ReadonlyArray<{ readonly customerId: string; readonly line: CartLine }>;
  readonly orders: ReadonlyArray<Order>;
  readonly records: ReadonlyArray<IdempotencyRecord>;
  /** The outbox's events, when the store can list them: each order's must match its history one for one. */
  readonly events?: ReadonlyArray<DomainEvent>;
  /** Products whose stored `available` differs from stock − reserved (a DynamoDB counter; empty elsewhere). */
  readonly availableDrift?: ReadonlyArray<{ readonly productId: string; readonly available: number }>;
  /** Each category's count as the store keeps it (DynamoDB's counters, zero or negative ones included); absent: not checked. */
  readonly categoryCounts?: ReadonlyArray<CategoryCount>;
}

export interface AuditOptions {
  /** When the audit runs (epoch ms). */
  readonly now: number;
  /** How often the sweeper runs: an unreleased hold may outlive its expiry by this much. */
  readonly sweepIntervalMs: number;
  /** Records older than this may have been deleted by TTL: their orders are not checked for one. */
  readonly recordRetentionMs: number;
  /**
   * Units supplied per product (initial stock plus every stock change), when the caller knows them (the
   * load test does): stock + units sold in orders not cancelled must equal them.
   */
  readonly supplied?: ReadonlyMap<string, number>;
  /** How long a committed refund may stay owed (the refund worker runs every sweep): default 2 sweep intervals. */
  readonly refundGraceMs?: number;
  /** Orders older than this may have lost events to the outbox's TTL (14 days): their events are not checked. */
  readonly eventRetentionMs?: number;
}

export type AuditRule =
  | "reserved-equals-unreleased-holds"
  | "counters-in-range"
  | "available-consistent"
  | "units-conserved"
  | "order-total-exact"
  | "order-has-record"
  | "record-names-order"
  | "hold-not-stale"
  | "category-count-exact"
  | MoneyEventRule;

export interface Violation {
  readonly rule: AuditRule;
  readonly subject: string;
  readonly detail: string;
}

export interface AuditReport {
  readonly counts: { readonly products: number; readonly lines: number; readonly unreleasedHolds: number; readonly orders: number; readonly records: number };
  readonly violations: ReadonlyArray<Violation>;
}

/** A category's count is its listed (not archived) products, whatever their stock; a category without a count has 0. */
const checkCategoryCounts = (products: ReadonlyArray<Product>, counts: ReadonlyArray<CategoryCount>, v: (rule: AuditRule, subject: string, detail: string) => void) => {
  const listed = new Map<string, number>();
  for (const p of products) if (InventoryOps.listed(p)) listed.set(p.category, (listed.get(p.category) ?? 0) + 1);
  const stored = new Map(counts.map((c) => [c.category, c.products]));
  for (const category of new Set([...listed.keys(), ...stored.keys()])) {
    const count = stored.get(category);
    if ((count ?? 0) !== (listed.get(category) ?? 0))
      v("category-count-exact", `category ${category}`, `count ${count ?? "absent"}, listed products ${listed.get(category) ?? 0}`);
  }
};

const recordKey = (callerId: string, key: string) => `${callerId}\u0000${key}`;

export const audit = (s: AuditSnapshot, o: AuditOptions): AuditReport => {
  const violations: Array<Violation> = [];
  const v = (rule: AuditRule, subject: string, detail: string) => violations.push({ rule, subject, detail });
  const unreleased = s.lines.filter((l) => !l.line.released);

  const held = new Map<string, number>();
  for (const { line } of unreleased) held.set(line.productId, (held.get(line.productId) ?? 0) + line.quantity);
  const sold = new Map<string, number>();
  for (const order of s.orders.filter((x) => x.status !== "cancelled"))
    for (const line of order.lines) sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);

  for (const p of s.products) {
    const holds = held.get(p.id) ?? 0;
    if (p.reserved !== holds) v("reserved-equals-unreleased-holds", `product ${p.id}`, `reserved ${p.reserved}, unreleased holds ${holds}`);
    if (!(0 <= p.reserved && p.reserved <= p.stock)) v("counters-in-range", `product ${p.id}`, `stock ${p.stock}, reserved ${p.reserved}`);
    const supplied = o.supplied?.get(p.id);
    if (supplied !== undefined && p.stock + (sold.get(p.id) ?? 0) !== supplied)
      v("units-conserved", `product ${p.id}`, `stock ${p.stock} + sold ${sold.get(p.id) ?? 0} ≠ supplied ${supplied}`);
  }
  const known = new Set(s.products.map((p) => p.id as string));
  for (const [productId, units] of held) if (!known.has(productId)) v("reserved-equals-unreleased-holds", `product ${productId}`, `${units} unit(s) held of a product that does not exist`);
  for (const d of s.availableDrift ?? []) v("available-consistent", `product ${d.productId}`, `stored available ${d.available} ≠ stock − reserved`);
  if (s.categoryCounts !== undefined) checkCategoryCounts(s.products, s.categoryCounts, v);

  for (const { customerId, line } of unreleased)
    if (line.expiresAt + o.sweepIntervalMs < o.now)
      v("hold-not-stale", `hold ${line.holdId} (customer ${customerId}, product ${line.productId})`, `expired at ${new Date(line.expiresAt).toISOString()}, more than a sweep interval ago`);

  const records = new Map(s.records.map((r) => [recordKey(r.callerId, r.key), r]));
  const orders = new Map(s.orders.map((x) => [x.id as string, x]));
  for (const order of s.orders) {
    const total = order.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice.amount, 0);
    if (order.total.amount !== total) v("order-total-exact", `order ${order.id}`, `total ${order.total.amount}, lines sum to ${total}`);
    if (order.createdAt + o.recordRetentionMs <= o.now) continue;
    const record = records.get(recordKey(order.customerId, order.idempotencyKey));
    if (record?.orderId !== order.id) v("order-has-record", `order ${order.id}`, record ? `its key's record names ${record.orderId ?? "no order"}` : "no idempotency record for its key");
  }
  for (const r of s.records)
    if (r.orderId !== undefined && !orders.has(r.orderId)) v("record-names-order", `record ${r.callerId}/${r.key}`, `names order ${r.orderId}, which does not exist`);

  auditMoneyAndEvents(s.orders, s.events, { now: o.now, refundGraceMs: o.refundGraceMs ?? 2 * o.sweepIntervalMs, eventRetentionMs: o.eventRetentionMs }, v);

  return {
    counts: { products: s.products.length, lines: s.lines.length, unreleasedHolds: unreleased.length, orders: s.orders.length, records: s.records.length },
    violations,
  };
};
