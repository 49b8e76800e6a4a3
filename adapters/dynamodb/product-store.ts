import { Effect, Layer, Option } from "effect";
import {
  IdempotencyKeyTaken,
  type StockAdjustment,
  InventoryStockBelowReserved,
  InventoryStockOutOfRange,
  maxStock,
  type Product,
  ProductAlreadyExists,
  ProductNotFound,
  type ProductPatch,
  ProductStore,
  type ProductStoreShape,
} from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { outboxPuts, recordPut, type TransactItem } from "./guards.js";
import { productFrom, productItem } from "./items.js";
import { byName, Keys, Partitions } from "./keys.js";
import { adminList, categories, countChange, readProduct, recategorize, setArchived } from "./product-catalog.js";
import { queryPage } from "./paging.js";
import { failedAt, numberOf, oldItemAt, onRejected } from "./rejections.js";

const read = readProduct;

/** SET clauses for the patched fields, and the index keys that depend on them. */
const patchExpression = (id: string, patch: ProductPatch) => {
  const sets: Array<[string, unknown]> = [];
  if (patch.name !== undefined) sets.push(["name", patch.name], ["GSI1SK", byName(patch.name, id)], ["GSI3SK", byName(patch.name, id)]);
  // The category's index partition depends on the archived state too: recategorize sets it from a read.
  if (patch.category !== undefined) sets.push(["category", patch.category]);
  if (patch.description !== undefined) sets.push(["description", patch.description]);
  if (patch.price !== undefined) sets.push(["price", patch.price]);
  if (patch.lowStockThreshold !== undefined) sets.push(["lowStockThreshold", patch.lowStockThreshold]);
  if (patch.maxPerCustomer !== undefined) sets.push(["maxPerCustomer", patch.maxPerCustomer]);
  return {
    UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
    ExpressionAttributeNames: Object.fromEntries(sets.map(([name], i) => [`#f${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(sets.map(([, value], i) => [`:v${i}`, value])),
    empty: sets.length === 0,
  };
};

const update = (dynamo: Dynamo, id: string, patch: ProductPatch) => {
  const { empty, ...expression } = patchExpression(id, patch);
  if (patch.category !== undefined) {
    const category = patch.category;
    return recategorize(dynamo, id, { ...patch, category }, () => ({
      expression: expression.UpdateExpression,
      names: expression.ExpressionAttributeNames,
      values: expression.ExpressionAttributeValues,
    }));
  }
  const notFound = () => Effect.fail(new ProductNotFound({ productId: id }));
  if (empty) return read(dynamo, id, "ProductStore.update").pipe(Effect.flatMap(Option.match({ onNone: notFound, onSome: Effect.succeed })));
  return dynamo
    .update("ProductStore.update", { Key: Keys.product(id), ConditionExpression: "attribute_exists(PK)", ReturnValues: "ALL_NEW", ...expression })
    .pipe(
      onRejected(notFound),
      Effect.map((item) => productFrom(item ?? {})),
    );
};

/** `stock += delta` within 0..maxStock and never below reserved; conditions cannot do arithmetic, so bounds are computed here. */
const stockChange = (dynamo: Dynamo, id: string, delta: number): TransactItem => ({
  Update: {
    TableName: dynamo.tableName,
    Key: Keys.product(id),
    UpdateExpression: "SET stock = stock + :d, available = available + :d",
    // available >= -delta is stock + delta >= reserved; stock <= maxStock - delta keeps the product readable.
    ConditionExpression: delta < 0 ? "attribute_exists(PK) AND available >= :neg" : "attribute_exists(PK) AND stock <= :room",
    ExpressionAttributeValues: { ":d": delta, ...(delta < 0 ? { ":neg": -delta } : { ":room": maxStock - delta }) },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

// A transaction, not UpdateItem: its ClientRequestToken makes a retry after a lost reply safe (no double delta),
// and the idempotency record of a client's retry-safe request goes in with it.
const adjustStock = (dynamo: Dynamo, { productId: id, delta, record, events }: StockAdjustment) =>
  dynamo
    .transact("ProductStore.adjustStock", [...(record ? [recordPut(dynamo, record)] : []), stockChange(dynamo, id, delta), ...outboxPuts(dynamo, events)])
    .pipe(
      onRejected((rejected) => {
        if (record && failedAt(rejected, 0)) return Effect.fail(new IdempotencyKeyTaken({ key: record.key }));
        const at = record ? 1 : 0;
        const old = oldItemAt(rejected, at);
        if (!old) return Effect.fail(new ProductNotFound({ productId: id }));
        const stock = numberOf(old, "stock");
        return delta < 0
          ? Effect.fail(new InventoryStockBelowReserved({ productId: id, stock, reserved: numberOf(old, "reserved"), delta }))
          : Effect.fail(new InventoryStockOutOfRange({ productId: id, stock, delta, max: maxStock }));
      }),
      // Read back after the commit: concurrent holds may already show in it.
      Effect.zipRight(read(dynamo, id, "ProductStore.adjustStock")),
      Effect.flatMap(Option.match({ onNone: () => Effect.dieMessage(`product ${id} vanished`), onSome: (p) => Effect.succeed(p) })),
    );

export const dynamoProductStore = (dynamo: Dynamo): ProductStoreShape => ({
  get: (id) => read(dynamo, id, "ProductStore.get"),

  list: (query) => {
    const byCategory = query.category !== undefined;
    return queryPage(
      dynamo,
      {
        operation: "ProductStore.list",
        index: byCategory ? "GSI1" : "GSI3",
        identity: byCategory ? `products:category:${query.category}` : "products:all",
        partitions: byCategory ? [Partitions.category(query.category!)] : Partitions.allProducts(),
      },
      query,
    ).pipe(Effect.map((page) => ({ ...page, items: page.items.map(productFrom) })));
  },

  adminList: (query) => adminList(dynamo, query),

  categories: () => categories(dynamo),

  setArchived: (id, at) => setArchived(dynamo, id, at),

  create: (product: Product) =>
    dynamo
      .transact("ProductStore.create", [
        { Put: { TableName: dynamo.tableName, Item: productItem(product), ConditionExpression: "attribute_not_exists(PK)" } },
        ...(product.archivedAt === undefined ? [countChange(dynamo, product.category, 1)] : []),
      ])
      .pipe(onRejected(() => Effect.fail(new ProductAlreadyExists({ productId: product.id })))),

  update: (id, patch) => update(dynamo, id, patch),

  adjustStock: (change) => adjustStock(dynamo, change),

  lowStock: (below, page) =>
    queryPage(
      dynamo,
      { operation: "ProductStore.lowStock", index: "GSI4", identity: `products:low:${below}`, partitions: Partitions.lowStock(), sortKeyBelow: below },
      page,
    ).pipe(Effect.map((p) => ({ ...p, items: p.items.map(productFrom) }))),
});

export const DynamoProductStore = (dynamo: Dynamo) => Layer.succeed(ProductStore, dynamoProductStore(dynamo));
