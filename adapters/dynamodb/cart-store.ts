import { Effect, Layer } from "effect";
import {
  type CartChange,
  CartCurrencyMismatch,
  type CartLine,
  CartLineLimitExceeded,
  CartStore,
  type CartStoreShape,
  CartVersionConflict,
  IdempotencyKeyTaken,
  InventoryInsufficientStock,
  maxCartLines,
  ProductArchived,
  ProductNotFound,
  type UserId,
} from "../../domain/index.js";
import type { Dynamo, Rejected } from "./client.js";
import { cartCounter, isHold, outboxPuts, recordPut, type TransactItem } from "./guards.js";
import { holdFrom, lineFrom, lineItem, type Item } from "./items.js";
import { Keys, pad, Partitions } from "./keys.js";
import { queryPage } from "./paging.js";
import { failedAt, numberOf, oldItemAt, onRejected, perProduct, unavailableOnly } from "./rejections.js";

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
  const condition = w.expected === null ? { ConditionExpression: "attribute_not_exists(PK)" } : isHold(w.expected);
  return w.next
    ? { Put: { TableName: dynamo.tableName, Item: lineItem(customerId, w.next), ...condition } }
    : { Delete: { TableName: dynamo.tableName, Key: Keys.line(customerId, w.productId), ...condition } };
};

// Conditions cannot do arithmetic: `available` is kept beside stock and reserved so a hold can be guarded by it.
const reservation = (dynamo: Dynamo, productId: string, delta: number, onSale: boolean): TransactItem => ({
  Update: {
    TableName: dynamo.tableName,
    Key: Keys.product(productId),
    UpdateExpression: "SET reserved = reserved + :d, available = available - :d",
    ConditionExpression: `${delta > 0 ? "attribute_exists(PK) AND available >= :d" : "attribute_exists(PK) AND reserved >= :q"}${onSale ? ` AND ${notArchived}` : ""}`,
    ExpressionAttributeValues: delta > 0 ? { ":d": delta } : { ":d": delta, ":q": -delta },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

const notArchived = "attribute_not_exists(archivedAt)";

/** A product the change needs on sale but does not reserve units of (a renewal of a hold not yet released). */
// An Update that changes nothing, not a ConditionCheck: the API's role is granted UpdateItem, not ConditionCheckItem.
const stillOnSale = (dynamo: Dynamo, productId: string): TransactItem => ({
  Update: {
    TableName: dynamo.tableName,
    Key: Keys.product(productId),
    UpdateExpression: "SET reserved = reserved + :zero",
    ConditionExpression: `attribute_exists(PK) AND ${notArchived}`,
    ExpressionAttributeValues: { ":zero": 0 },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

/** Lines created minus lines deleted, and the first created line (its currency is the cart's from now on). */
const lineCountChange = (change: CartChange) => {
  const created = change.lines.filter((w) => w.expected === null && w.next !== null);
  const deleted = change.lines.filter((w) => w.expected !== null && w.next === null);
  return { net: created.length - deleted.length, first: created[0]?.next ?? undefined };
};

/** Items in order: [record?, ...lines, counter?, ...products, ...checks]; refusal reasons come back aligned with them. */
const plan = (dynamo: Dynamo, change: CartChange) => {
  const deltas = perProduct(change.reservations, (r) => r.delta).filter((d) => d.total !== 0);
  const onSale = new Set(change.onSale ?? []);
  const checks = [...onSale].filter((id) => !deltas.some((d) => d.productId === id));
  const count = lineCountChange(change);
  const counter =
    count.first !== undefined
      ? cartCounter(dynamo, change.customerId, count.net, { currency: count.first.unitPrice.currency })
      : count.net !== 0
        ? cartCounter(dynamo, change.customerId, count.net)
        : undefined;
  const record = change.record ? [recordPut(dynamo, change.record)] : [];
  const lines = change.lines.map((w) => lineWrite(dynamo, change.customerId, w));
  const items = [
    ...record,
    ...lines,
    ...(counter ? [counter] : []),
    ...deltas.map((d) => reservation(dynamo, d.productId, d.total, onSale.has(d.productId as never))),
    ...checks.map((id) => stillOnSale(dynamo, id)),
    ...outboxPuts(dynamo, change.events),
  ];
  const deltasAt = record.length + lines.length + (counter ? 1 : 0);
  const at = { lines: record.length, counter: counter ? record.length + lines.length : -1, deltas: deltasAt, checks: deltasAt + deltas.length };
  return { items, deltas, checks, onSale: onSale as ReadonlySet<string>, count, at };
};

const refusal = (change: CartChange, p: ReturnType<typeof plan>) => (rejected: Rejected) => {
  // The record first: a twin with the same key won. Then lines, as the memory store checks them: a stale change is re-read.
  if (change.record && failedAt(rejected, 0)) return Effect.fail(new IdempotencyKeyTaken({ key: change.record.key }));
  const line = change.lines.findIndex((_, i) => failedAt(rejected, p.at.lines + i));
  if (line >= 0) return Effect.fail(new CartVersionConflict({ productId: change.lines[line]!.productId }));
  if (p.at.counter >= 0 && failedAt(rejected, p.at.counter)) {
    const cart = oldItemAt(rejected, p.at.counter);
    const added = p.count.first!;
    if (numberOf(cart, "lineCount") + p.count.net > maxCartLines) return Effect.fail(new CartLineLimitExceeded({ limit: maxCartLines }));
    return Effect.fail(
      new CartCurrencyMismatch({ productId: added.productId, cartCurrency: cart?.["currency"]?.S ?? "", productCurrency: added.unitPrice.currency }),
    );
  }
  const check = p.checks.findIndex((_, i) => failedAt(rejected, p.at.checks + i));
  if (check >= 0) {
    const productId = p.checks[check]!;
    return oldItemAt(rejected, p.at.checks + check) ? Effect.fail(new ProductArchived({ productId })) : Effect.fail(new ProductNotFound({ productId }));
  }
  const at = p.deltas.findIndex((_, i) => failedAt(rejected, p.at.deltas + i));
  const delta = p.deltas[at];
  if (!delta) return Effect.die(rejected);
  const old = oldItemAt(rejected, p.at.deltas + at);
  if (!old) return Effect.fail(new ProductNotFound({ productId: delta.productId }));
  if (old["archivedAt"] !== undefined && p.onSale.has(delta.productId)) return Effect.fail(new ProductArchived({ productId: delta.productId }));
  if (delta.total < 0) return Effect.die(rejected); // releasing more than is reserved: a bug, as InventoryCountersInvalid is
  return Effect.fail(new InventoryInsufficientStock({ productId: delta.productId, requested: delta.total, available: numberOf(old, "available") }));
};

const apply = (dynamo: Dynamo, change: CartChange) => {
  const p = plan(dynamo, change);
  if (p.items.length === 0) return Effect.void;
  return dynamo.transact("CartStore.apply", p.items).pipe(onRejected(refusal(change, p)));
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
