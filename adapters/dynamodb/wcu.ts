/**
 * Analytic write cost, because DynamoDB Local's reported capacity is not what AWS bills.
 * Rules (DynamoDB developer guide): an item's size is the sum of its attribute names and
 * values; a write costs 1 WCU per started KB of the larger of its before and after images,
 * twice that inside a transaction (prepare + commit). Each GSI holding the item (ALL
 * projection) costs one index write of the entry, two when the index key changes
 * (delete + put); index writes are billed as standard writes (factor 1, configurable:
 * DynamoDB Local charges them double in transactions).
 */
import type { CartLine, CheckoutPlan, Product, UserId } from "../../domain/index.js";
import { cartHeaderItem, eventItem, idempotencyItem, type Item, lineItem, orderItem, productItem } from "./items.js";
import { tableDefinition } from "./table.js";

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

const valueSize = (v: unknown): number => {
  if (typeof v === "string") return utf8(v);
  if (typeof v === "number") return Math.ceil(String(Math.abs(v)).replace(/^0+|\.|0+$/g, "").length / 2) + 1;
  if (typeof v === "boolean" || v === null) return 1;
  if (Array.isArray(v)) return 3 + v.reduce<number>((n, e) => n + 1 + valueSize(e), 0);
  if (typeof v === "object") return 3 + Object.entries(v as object).reduce((n, [k, e]) => n + 1 + utf8(k) + valueSize(e), 0);
  return 0;
};

/** Bytes DynamoDB counts for an item (undefined attributes are not stored). */
export const itemSize = (item: Item): number =>
  Object.entries(item).reduce((n, [name, v]) => (v === undefined ? n : n + utf8(name) + valueSize(v)), 0);

const kb = (item: Item | undefined) => (item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 0);

/** One item write: its image before (absent for a put of a new item) and after (absent for a delete). */
export interface ItemWrite {
  readonly before?: Item | undefined;
  readonly after?: Item | undefined;
}

export interface WriteCost {
  readonly table: number;
  readonly indexes: number;
  readonly total: number;
}

const indexCost = (w: ItemWrite): number =>
  tableDefinition.globalSecondaryIndexes.reduce((n, index) => {
    const keyOf = (item: Item | undefined) =>
      item && item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined
        ? `${String(item[index.partitionKey])}\u0000${String(item[index.sortKey])}`
        : undefined;
    const [was, is] = [keyOf(w.before), keyOf(w.after)];
    if (was === undefined && is === undefined) return n;
    if (was !== undefined && is !== undefined && was !== is) return n + kb(w.before) + kb(w.after);
    return n + (is !== undefined ? kb(w.after) : kb(w.before));
  }, 0);

export const transactionWcu = (writes: ReadonlyArray<ItemWrite>, indexWriteFactor = 1): WriteCost => {
  const table = writes.reduce((n, w) => n + 2 * Math.max(kb(w.before), kb(w.after)), 0);
  const indexes = writes.reduce((n, w) => n + indexCost(w), 0) * indexWriteFactor;
  return { table, indexes, total: table + indexes };
};

/** A checkout of n lines: record and order puts, n hold deletes, the cart's counter, n product sales (available unchanged), the OrderPlaced outbox item. */
export const checkoutWcu = (plan: CheckoutPlan, lines: ReadonlyArray<CartLine>, products: ReadonlyArray<Product>, indexWriteFactor = 1) =>
  transactionWcu(
    [
      { after: idempotencyItem(plan.record) },
      { after: orderItem(plan.order) },
      ...lines.map((l) => ({ before: lineItem(plan.order.customerId, l) })),
      counterWrite(plan.order.customerId, lines.length, -lines.length, plan.order.total.currency),
      ...products.map((p) => {
        const q = plan.consumed.filter((c) => c.productId === p.id).reduce((n, c) => n + c.quantity, 0);
        return { before: productItem(p), after: productItem({ ...p, stock: p.stock - q, reserved: p.reserved - q }) };
      }),
      ...plan.events.map((e) => ({ after: eventItem(e) })),
    ],
    indexWriteFactor,
  );

/** The cart's line counter going from `lines` by `delta` (a small item: 1 KB, no index). */
const counterWrite = (customerId: string, lines: number, delta: number, currency: string): ItemWrite => ({
  ...(lines > 0 ? { before: cartHeaderItem(customerId, lines, currency) } : {}),
  after: cartHeaderItem(customerId, lines + delta, currency),
});

/** Adding a new line to a cart of `lines` lines: the line put, the cart's counter, the product's reservation (which moves it in the low-stock index). */
export const reserveWcu = (customerId: UserId, line: CartLine, product: Product, indexWriteFactor = 1, lines = 0) =>
  transactionWcu(
    [
      { after: lineItem(customerId, line) },
      counterWrite(customerId, lines, 1, line.unitPrice.currency),
      { before: productItem(product), after: productItem({ ...product, reserved: product.reserved + line.quantity }) },
    ],
    indexWriteFactor,
  );
