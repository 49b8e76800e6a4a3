import { Effect, Either, Layer, Option } from "effect";
import {
  CheckoutCartChanged,
  type CheckoutPlan,
  IdempotencyKeyTaken,
  IdempotencyStore,
  InventoryOps,
  OrderNotFound,
  OrderStatusConflict,
  OrderStore,
  type OrderStoreShape,
  type OrderTransition,
  type Product,
} from "../../domain/index.js";
import { cartOf, type MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

const idempotencyId = (customerId: string, key: string) => `${customerId}#${key}`;

const counters = (db: MemoryDb, items: CheckoutPlan["consumed"] | OrderTransition["restock"], sell: boolean) => {
  const next = new Map<string, Product>();
  for (const { productId, quantity } of items) {
    const p = next.get(productId) ?? db.products.get(productId);
    if (!p) throw new Error(`product ${productId} vanished`);
    const r = sell ? InventoryOps.sell(p, quantity) : InventoryOps.restock(p, quantity);
    if (Either.isLeft(r)) throw r.left;
    next.set(productId, r.right);
  }
  return next;
};

const commitCheckout = (db: MemoryDb, plan: CheckoutPlan) =>
  Effect.gen(function* () {
    const { record, order } = plan;
    if (db.idempotency.has(idempotencyId(record.customerId, record.key)))
      return yield* Effect.fail(new IdempotencyKeyTaken({ key: record.key }));
    const lines = cartOf(db, order.customerId);
    for (const c of plan.consumed) {
      const line = lines.get(c.productId);
      if (!line || line.version !== c.expectedVersion || line.released || line.expiresAt <= plan.now)
        return yield* Effect.fail(new CheckoutCartChanged({ customerId: order.customerId }));
    }
    const products = counters(db, plan.consumed, true);
    for (const c of plan.consumed) lines.delete(c.productId);
    for (const [id, p] of products) db.products.set(id, p);
    db.orders.set(order.id, order);
    db.idempotency.set(idempotencyId(record.customerId, record.key), record);
    return order;
  });

const transition = (db: MemoryDb, t: OrderTransition) =>
  Effect.gen(function* () {
    const current = db.orders.get(t.order.id);
    if (!current) return yield* Effect.fail(new OrderNotFound({ orderId: t.order.id }));
    if (current.status !== t.from) return yield* Effect.fail(new OrderStatusConflict({ orderId: t.order.id, expected: t.from }));
    const products = counters(db, t.restock, false);
    for (const [id, p] of products) db.products.set(id, p);
    db.orders.set(t.order.id, t.order);
    return t.order;
  });

export const memoryOrderStore = (db: MemoryDb): OrderStoreShape => ({
  commitCheckout: (plan) => commitCheckout(db, plan),
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
  transition: (t) => transition(db, t),
});

export const MemoryOrderStore = (db: MemoryDb) => Layer.succeed(OrderStore, memoryOrderStore(db));

export const MemoryIdempotencyStore = (db: MemoryDb) =>
  Layer.succeed(IdempotencyStore, {
    find: (customerId, key) => Effect.sync(() => Option.fromNullable(db.idempotency.get(idempotencyId(customerId, key)))),
  });
