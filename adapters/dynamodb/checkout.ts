/** The checkout and order-transition transactions: every counter, hold, order and record in one. */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { Effect } from "effect";
import {
  CheckoutCartChanged,
  type CheckoutPlan,
  IdempotencyKeyTaken,
  InventoryInsufficientStock,
  OrderNotFound,
  OrderStatusConflict,
  type OrderTransition,
} from "../../domain/index.js";
import type { Dynamo, Rejected } from "./client.js";
import { idempotencyItem, orderItem } from "./items.js";
import { Keys } from "./keys.js";
import { failedAt, numberOf, oldItemAt, onRejected, perProduct } from "./rejections.js";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const insert = (dynamo: Dynamo, item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: dynamo.tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" },
});

/** Item order: [record, order, ...holds, ...products]; cancellation reasons are aligned with it. */
const checkoutItems = (dynamo: Dynamo, plan: CheckoutPlan, sold: ReadonlyArray<{ productId: string; total: number }>) => [
  insert(dynamo, idempotencyItem(plan.record)),
  insert(dynamo, orderItem(plan.order)),
  ...plan.consumed.map(
    (c): TransactItem => ({
      Delete: {
        TableName: dynamo.tableName,
        Key: Keys.line(plan.order.customerId, c.productId),
        ConditionExpression: "version = :v AND released = :false AND expiresAt > :now",
        ExpressionAttributeValues: { ":v": c.expectedVersion, ":false": false, ":now": plan.now },
      },
    }),
  ),
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
];

const checkoutRefusal = (plan: CheckoutPlan, sold: ReadonlyArray<{ productId: string; total: number }>) => (rejected: Rejected) => {
  // The record first: a concurrent twin with the same key won, and its order is the answer.
  if (failedAt(rejected, 0)) return Effect.fail(new IdempotencyKeyTaken({ key: plan.record.key }));
  const holds = plan.consumed.length;
  if (plan.consumed.some((_, i) => failedAt(rejected, 2 + i))) return Effect.fail(new CheckoutCartChanged({ customerId: plan.order.customerId }));
  const at = sold.findIndex((_, i) => failedAt(rejected, 2 + holds + i));
  const product = sold[at];
  if (!product) return Effect.die(rejected); // an order id taken twice: ids are unique
  const old = oldItemAt(rejected, 2 + holds + at);
  return Effect.fail(new InventoryInsufficientStock({ productId: product.productId, requested: product.total, available: numberOf(old, "available") }));
};

export const commitCheckout = (dynamo: Dynamo, plan: CheckoutPlan) => {
  const sold = perProduct(plan.consumed, (c) => c.quantity);
  return dynamo.transact("OrderStore.commitCheckout", checkoutItems(dynamo, plan, sold)).pipe(
    onRejected(checkoutRefusal(plan, sold)),
    Effect.as(plan.order),
  );
};

export const transition = (dynamo: Dynamo, t: OrderTransition) => {
  const restock = perProduct(t.restock, (r) => r.quantity);
  const items: Array<TransactItem> = [
    {
      Put: {
        TableName: dynamo.tableName,
        Item: orderItem(t.order),
        ConditionExpression: "attribute_exists(PK) AND #status = :from",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":from": t.from },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    },
    ...restock.map(
      ({ productId, total }): TransactItem => ({
        Update: {
          TableName: dynamo.tableName,
          Key: Keys.product(productId),
          UpdateExpression: "SET stock = stock + :q, available = available + :q",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":q": total },
        },
      }),
    ),
  ];
  return dynamo.transact("OrderStore.transition", items).pipe(
    onRejected((rejected) => {
      if (!failedAt(rejected, 0)) return Effect.die(rejected); // a product of a stored order is missing
      return oldItemAt(rejected, 0)
        ? Effect.fail(new OrderStatusConflict({ orderId: t.order.id, expected: t.from }))
        : Effect.fail(new OrderNotFound({ orderId: t.order.id }));
    }),
    Effect.as(t.order),
  );
};
