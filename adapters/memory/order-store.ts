import { Effect, Either, Layer, Option } from "effect";
import {
  CheckoutCartChanged,
  type CheckoutPlan,
  IdempotencyKeyTaken,
  IdempotencyStore,
  InventoryOps,
  type InventoryStockOutOfRange,
  type Order,
  OrderNotFound,
  OrderStatusConflict,
  OrderStore,
  type OrderStoreShape,
  type OrderTransition,
  PaymentEventDuplicate,
  PaymentEventLog,
  paymentStatusOf,
  type Product,
  revisionOf,
} from "../../domain/index.js";
import { isHold } from "./cart-store.js";
import { cartOf, keyOf, type MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

/** Each product's counters after selling or restocking the units; the first refusal, if any. */
const counters = (
  db: MemoryDb,
  items: ReadonlyArray<{ readonly productId: string; readonly quantity: number }>,
  sell: boolean,
): Either.Either<Map<string, Product>, InventoryStockOutOfRange> => {
  const next = new Map<string, Product>();
  for (const { productId, quantity } of items) {
    const p = next.get(productId) ?? db.products.get(productId);
    if (!p) throw new Error(`product ${productId} vanished`);
    const r = sell ? InventoryOps.sell(p, quantity) : InventoryOps.restock(p, quantity);
    if (Either.isLeft(r)) {
      if (r.left._tag === "InventoryStockOutOfRange") return Either.left(r.left);
      throw r.left;
    }
    next.set(productId, r.right);
  }
  return Either.right(next);
};

// Checks everything, then writes everything, in one synchronous step.
const commitCheckout = (db: MemoryDb, plan: CheckoutPlan): Either.Either<Order, IdempotencyKeyTaken | CheckoutCartChanged> => {
  const { record, order } = plan;
  const earlier = db.idempotency.get(keyOf(record));
  // A refused checkout may have bound the key to this very cart; anything else already owns it.
  if (earlier && (earlier.orderId !== undefined || earlier.fingerprint !== record.fingerprint))
    return Either.left(new IdempotencyKeyTaken({ key: record.key }));
  const lines = cartOf(db, order.customerId);
  for (const c of plan.consumed) {
    const line = lines.get(c.productId);
    if (!isHold(line, c.hold) || line!.released || line!.expiresAt <= plan.now) return Either.left(new CheckoutCartChanged({ customerId: order.customerId }));
  }
  const products = counters(db, plan.consumed, true);
  if (Either.isLeft(products)) throw products.left;
  for (const c of plan.consumed) lines.delete(c.productId);
  for (const [id, p] of products.right) db.products.set(id, p);
  db.orders.set(order.id, order);
  db.idempotency.set(keyOf(record), record);
  db.outbox.push(...plan.events);
  return Either.right(order);
};

const transition = (db: MemoryDb, t: OrderTransition): Either.Either<Order, OrderNotFound | OrderStatusConflict | PaymentEventDuplicate | InventoryStockOutOfRange> => {
  const current = db.orders.get(t.order.id);
  if (!current) return Either.left(new OrderNotFound({ orderId: t.order.id }));
  if (
    current.status !== t.from ||
    (t.fromPayment !== undefined && paymentStatusOf(current) !== t.fromPayment) ||
    (t.fromRevision !== undefined && revisionOf(current) !== t.fromRevision)
  )
    return Either.left(new OrderStatusConflict({ orderId: t.order.id, expected: t.from }));
  if (t.paymentEvent && db.paymentEvents.has(paymentEventKey(t.paymentEvent))) return Either.left(new PaymentEventDuplicate({ eventId: t.paymentEvent.eventId }));
  const products = counters(db, t.restock, false);
  if (Either.isLeft(products)) return Either.left(products.left);
  for (const [id, p] of products.right) db.products.set(id, p);
  db.orders.set(t.order.id, t.order);
  db.outbox.push(...t.events);
  if (t.paymentEvent) db.paymentEvents.set(paymentEventKey(t.paymentEvent), t.paymentEvent);
  return Either.right(t.order);
};

const oldestDue = (o: Order) => Math.min(...(o.refundsDue ?? []).map((d) => d.since));

export const paymentEventKey = (r: { readonly provider: string; readonly eventId: string }) => `${r.provider}#${r.eventId}`;

export const memoryOrderStore = (db: MemoryDb): OrderStoreShape => ({
  commitCheckout: (plan) => Effect.suspend(() => commitCheckout(db, plan)),
  get: (id) => Effect.sync(() => Option.fromNullable(db.orders.get(id))),
  listByCustomer: (customerId, page) =>
    paginate(
      [...db.orders.values()].filter((o) => o.customerId === customerId),
      (o) => `${pad(o.createdAt)}#${o.id}`,
      `customer:${customerId}`,
      page,
      true,
    ),
  listByStatus: (status, page) =>
    paginate(
      [...db.orders.values()].filter((o) => o.status === status),
      (o) => `${pad(o.createdAt)}#${o.id}`,
      `status:${status}`,
      page,
      true,
    ),
  transition: (t) => Effect.suspend(() => transition(db, t)),
  listRefundsDue: (limit) =>
    Effect.sync(() =>
      [...db.orders.values()]
        .filter((o) => (o.refundsDue ?? []).length > 0)
        .sort((a, b) => oldestDue(a) - oldestDue(b) || a.id.localeCompare(b.id))
        .slice(0, limit),
    ),
  listPlacedBefore: (before, limit) =>
    Effect.sync(() =>
      [...db.orders.values()]
        .filter((o) => o.status === "placed" && o.createdAt < before)
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .slice(0, limit),
    ),
});

export const MemoryPaymentEventLog = (db: MemoryDb) =>
  Layer.succeed(PaymentEventLog, {
    find: (provider, eventId) => Effect.sync(() => Option.fromNullable(db.paymentEvents.get(paymentEventKey({ provider, eventId })))),
    record: (record) =>
      Effect.sync(() => {
        if (db.paymentEvents.has(paymentEventKey(record))) return false;
        db.paymentEvents.set(paymentEventKey(record), record);
        return true;
      }),
  });

export const MemoryOrderStore = (db: MemoryDb) => Layer.succeed(OrderStore, memoryOrderStore(db));

export const MemoryIdempotencyStore = (db: MemoryDb) =>
  Layer.succeed(IdempotencyStore, {
    find: (callerId, key) => Effect.sync(() => Option.fromNullable(db.idempotency.get(keyOf({ callerId, key })))),
    bind: (record) =>
      Effect.sync(() => {
        if (!db.idempotency.has(keyOf(record))) db.idempotency.set(keyOf(record), record);
      }),
  });
