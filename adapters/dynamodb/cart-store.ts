import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { Effect, Layer } from "effect";
import {
  type CartChange,
  type CartLine,
  CartStore,
  type CartStoreShape,
  CartVersionConflict,
  InventoryInsufficientStock,
  ProductNotFound,
  type UserId,
} from "../../domain/index.js";
import type { Dynamo, Rejected } from "./client.js";
import { holdFrom, lineFrom, lineItem, type Item } from "./items.js";
import { Keys, pad, Partitions } from "./keys.js";
import { queryPage } from "./paging.js";
import { failedAt, numberOf, oldItemAt, onRejected, perProduct, unavailableOnly } from "./rejections.js";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const getCart = (dynamo: Dynamo, customerId: UserId) =>
  Effect.gen(function* () {
    const lines: Array<CartLine> = [];
    let from: Record<string, unknown> | undefined;
    do {
      const out = yield* unavailableOnly(
        dynamo.query("CartStore.get", {
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :line)",
          ExpressionAttributeValues: { ":pk": Keys.cart(customerId), ":line": "LINE#" },
          ConsistentRead: true,
          ExclusiveStartKey: from,
        }),
      );
      lines.push(...(out.Items ?? []).map(lineFrom));
      from = out.LastEvaluatedKey;
    } while (from);
    // SK order is product id order (ids are ASCII), the order the memory store gives.
    return { customerId, lines };
  });

const lineWrite = (dynamo: Dynamo, customerId: UserId, w: CartChange["lines"][number]): TransactItem => {
  const condition =
    w.expectedVersion === null
      ? { ConditionExpression: "attribute_not_exists(PK)" }
      : { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": w.expectedVersion } };
  return w.next
    ? { Put: { TableName: dynamo.tableName, Item: lineItem(customerId, w.next), ...condition } }
    : { Delete: { TableName: dynamo.tableName, Key: Keys.line(customerId, w.productId), ...condition } };
};

// Conditions cannot do arithmetic: `available` is kept beside stock and reserved so a hold can be guarded by it.
const reservation = (dynamo: Dynamo, productId: string, delta: number): TransactItem => ({
  Update: {
    TableName: dynamo.tableName,
    Key: Keys.product(productId),
    UpdateExpression: "SET reserved = reserved + :d, available = available - :d",
    ConditionExpression: delta > 0 ? "attribute_exists(PK) AND available >= :d" : "attribute_exists(PK) AND reserved >= :q",
    ExpressionAttributeValues: delta > 0 ? { ":d": delta } : { ":d": delta, ":q": -delta },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

const refusal = (change: CartChange, deltas: ReadonlyArray<{ productId: string; total: number }>) => (rejected: Rejected) => {
  // Lines first, as the memory store checks them: a stale change is re-read before stock is judged.
  const line = change.lines.findIndex((_, i) => failedAt(rejected, i));
  if (line >= 0) return Effect.fail(new CartVersionConflict({ productId: change.lines[line]!.productId }));
  const at = deltas.findIndex((_, i) => failedAt(rejected, change.lines.length + i));
  const delta = deltas[at];
  if (!delta) return Effect.die(rejected);
  const old = oldItemAt(rejected, change.lines.length + at);
  if (!old) return Effect.fail(new ProductNotFound({ productId: delta.productId }));
  if (delta.total < 0) return Effect.die(rejected); // releasing more than is reserved: a bug, as InventoryCountersInvalid is
  return Effect.fail(new InventoryInsufficientStock({ productId: delta.productId, requested: delta.total, available: numberOf(old, "available") }));
};

const apply = (dynamo: Dynamo, change: CartChange) => {
  const deltas = perProduct(change.reservations, (r) => r.delta).filter((d) => d.total !== 0);
  const items = [
    ...change.lines.map((w) => lineWrite(dynamo, change.customerId, w)),
    ...deltas.map((d) => reservation(dynamo, d.productId, d.total)),
  ];
  if (items.length === 0) return Effect.void;
  return dynamo.transact("CartStore.apply", items).pipe(onRejected(refusal(change, deltas)));
};

export const dynamoCartStore = (dynamo: Dynamo): CartStoreShape => ({
  get: (customerId) => getCart(dynamo, customerId),
  apply: (change) => apply(dynamo, change),
  expiredHolds: (query) =>
    queryPage(
      dynamo,
      {
        operation: "CartStore.expiredHolds",
        index: query.productId === undefined ? "GSI3" : "GSI2",
        identity: `holds:expired:${query.before}:${query.productId ?? "*"}`,
        partitions: query.productId === undefined ? Partitions.expiring() : [Partitions.holdsOf(query.productId)],
        // Sort keys start with the padded expiry: "at or before `before`" is "below before + 1".
        sortKeyBelow: pad(query.before + 1),
      },
      query,
    ).pipe(
      Effect.map((page) => ({
        ...page,
        items: page.items.map((item: Item) => ({ customerId: holdFrom(item).customerId as UserId, line: lineFrom(item) })),
      })),
    ),
});

export const DynamoCartStore = (dynamo: Dynamo) => Layer.succeed(CartStore, dynamoCartStore(dynamo));
