/** The checkout and order-transition transactions: every counter, hold, order and record in one. */
import { Effect } from "effect";
import {
  CheckoutCartChanged,
  type CheckoutPlan,
  IdempotencyKeyTaken,
  InventoryInsufficientStock,
  InventoryStockOutOfRange,
  maxStock,
  OrderNotFound,
  OrderStatusConflict,
  type OrderTransition,
  PaymentEventDuplicate,
  type PaymentEventRecord,
} from "../../domain/index.js";
import type { Dynamo, Rejected } from "./client.js";
import { cartCounter, isHold, outboxPuts, recordPut, type TransactItem } from "./guards.js";
import { orderItem } from "./items.js";
import { Keys } from "./keys.js";
import { failedAt, numberOf, oldItemAt, onRejected, perProduct } from "./rejections.js";

/** Item order: [record, order, ...holds, cart counter, ...products, ...events]; cancellation reasons are aligned with it. */
const checkoutItems = (dynamo: Dynamo, plan: CheckoutPlan, sold: ReadonlyArray<{ productId: string; total: number }>) => [
  recordPut(dynamo, plan.record, true),
  { Put: { TableName: dynamo.tableName, Item: orderItem(plan.order), ConditionExpression: "attribute_not_exists(PK)" } },
  ...plan.consumed.map((c): TransactItem => {
    const hold = isHold(c.hold);
    return {
      Delete: {
        TableName: dynamo.tableName,
        Key: Keys.line(plan.order.customerId, c.productId),
        ConditionExpression: `${hold.ConditionExpression} AND released = :false AND expiresAt > :now`,
        ExpressionAttributeValues: { ...hold.ExpressionAttributeValues, ":false": false, ":now": plan.now },
      },
    };
  }),
  cartCounter(dynamo, plan.order.customerId, -plan.consumed.length),
  ...sold.map(
    ({ productId, total }): TransactItem => ({
      Update: {
        TableName: dynamo.tableName,
        Key: Keys.product(productId),
        // The held units leave stock and reserved together: available does not change.
        UpdateExpression: "SET stock = stock - :q, reserved = reserved - :q",
        ConditionExpression: "attribute_exists(PK) AND reserved >= :q",
        ExpressionAttributeValues: { ":q": total },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    }),
  ),
  ...outboxPuts(dynamo, plan.events),
];

const checkoutRefusal = (plan: CheckoutPlan, sold: ReadonlyArray<{ productId: string; total: number }>) => (rejected: Rejected) => {
  // The record first: a concurrent twin with the same key won, and its order is the answer.
  if (failedAt(rejected, 0)) return Effect.fail(new IdempotencyKeyTaken({ key: plan.record.key }));
  const holds = plan.consumed.length;
  if (plan.consumed.some((_, i) => failedAt(rejected, 2 + i))) return Effect.fail(new CheckoutCartChanged({ customerId: plan.order.customerId }));
  const products = 2 + holds + 1;
  const at = sold.findIndex((_, i) => failedAt(rejected, products + i));
  const product = sold[at];
  if (!product) return Effect.die(rejected); // an order id taken twice: ids are unique
  const old = oldItemAt(rejected, products + at);
  return Effect.fail(new InventoryInsufficientStock({ productId: product.productId, requested: product.total, available: numberOf(old, "available") }));
};

export const commitCheckout = (dynamo: Dynamo, plan: CheckoutPlan) => {
  const sold = perProduct(plan.consumed, (c) => c.quantity);
  return dynamo.transact("OrderStore.commitCheckout", checkoutItems(dynamo, plan, sold)).pipe(
    onRejected(checkoutRefusal(plan, sold)),
    Effect.as(plan.order),
  );
};

/** The order's status, its payment's when the transition names it ("none": no payment yet), and its revision when named. */
const orderGuard = (t: OrderTransition) => {
  const payment =
    t.fromPayment === undefined ? ""
    : t.fromPayment === "none" ? " AND attribute_not_exists(payment)"
    : " AND payment.#pstatus = :pfrom";
  // Orders stored before revisions have none: revision 0.
  const revision = t.fromRevision === undefined ? "" : t.fromRevision === 0 ? " AND attribute_not_exists(revision)" : " AND revision = :rev";
  return {
    ConditionExpression: `attribute_exists(PK) AND #status = :from${payment}${revision}`,
    ExpressionAttributeNames: { "#status": "status", ...(payment.includes("#pstatus") ? { "#pstatus": "status" } : {}) },
    ExpressionAttributeValues: {
      ":from": t.from,
      ...(payment.includes(":pfrom") ? { ":pfrom": t.fromPayment } : {}),
      ...(revision.includes(":rev") ? { ":rev": t.fromRevision } : {}),
    },
  };
};

export const transition = (dynamo: Dynamo, t: OrderTransition) => {
  const restock = perProduct(t.restock, (r) => r.quantity);
  const items: Array<TransactItem> = [
    {
      Put: {
        TableName: dynamo.tableName,
        Item: orderItem(t.order),
        ...orderGuard(t),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    },
    ...restock.map(
      ({ productId, total }): TransactItem => ({
        Update: {
          TableName: dynamo.tableName,
          Key: Keys.product(productId),
          UpdateExpression: "SET stock = stock + :q, available = available + :q",
          // Stock never passes maxStock (a stored product must stay readable): the room is computed here.
          ConditionExpression: "attribute_exists(PK) AND stock <= :room",
          ExpressionAttributeValues: { ":q": total, ":room": maxStock - total },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      }),
    ),
    ...outboxPuts(dynamo, t.events),
    ...(t.paymentEvent ? [paymentEventPut(dynamo, t.paymentEvent)] : []),
  ];
  const eventAt = items.length - 1;
  return dynamo.transact("OrderStore.transition", items).pipe(
    onRejected((rejected) => {
      if (t.paymentEvent && failedAt(rejected, eventAt)) return Effect.fail(new PaymentEventDuplicate({ eventId: t.paymentEvent.eventId }));
      if (failedAt(rejected, 0))
        return oldItemAt(rejected, 0)
          ? Effect.fail(new OrderStatusConflict({ orderId: t.order.id, expected: t.from }))
          : Effect.fail(new OrderNotFound({ orderId: t.order.id }));
      const at = restock.findIndex((_, i) => failedAt(rejected, 1 + i));
      const old = oldItemAt(rejected, 1 + at);
      const full = restock[at];
      // A product of a stored order that is missing is a bug.
      if (!full || !old) return Effect.die(rejected);
      return Effect.fail(new InventoryStockOutOfRange({ productId: full.productId, stock: numberOf(old, "stock"), delta: full.total, max: maxStock }));
    }),
    Effect.as(t.order),
  );
};

/** A provider event's record: written once (a redelivery finds it), kept 90 days for the audit trail. */
export const paymentEventPut = (dynamo: Dynamo, r: PaymentEventRecord): TransactItem => ({
  Put: {
    TableName: dynamo.tableName,
    Item: { ...Keys.paymentEvent(r.provider, r.eventId), ...r, ttl: Math.ceil((r.at + paymentEventRetentionMs) / 1000) },
    ConditionExpression: "attribute_not_exists(PK)",
  },
});

export const paymentEventRetentionMs = 90 * 24 * 60 * 60 * 1000;
