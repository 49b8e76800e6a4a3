/**
 * What moves a product in or out of the catalog (archive, list again, a new category) and the category
 * counts that follow it. Each is one transaction over the product, conditioned on the state it was computed
 * from (its category and archived state), and the counters it moves: a count is never off by a race.
 */
import { Effect, Option } from "effect";
import {
  type AdminProductQuery,
  type CategoryCount,
  type Product,
  ProductNotFound,
  type ProductPatch,
  type Timestamp,
} from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import type { TransactItem } from "./guards.js";
import { productFrom, productPartitions } from "./items.js";
import { Keys, Partitions } from "./keys.js";
import { queryPage } from "./paging.js";
import { unavailableOnly } from "./rejections.js";

// A concurrent admin write to the same product makes the condition fail: read again and recompute.
const maxAttempts = 5;

export const readProduct = (dynamo: Dynamo, id: string, operation: string) =>
  unavailableOnly(dynamo.get(operation, { Key: Keys.product(id), ConsistentRead: true })).pipe(
    Effect.map((item) => Option.map(Option.fromNullable(item), productFrom)),
  );

const categoriesPartition = Keys.categoryCount("").PK;

// Every change bumps the counter's version, which only grows: a recount (category-recount.ts) writes only if none came since it read.
export const countChange = (dynamo: Dynamo, category: string, n: number): TransactItem => ({
  Update: {
    TableName: dynamo.tableName,
    Key: Keys.categoryCount(category),
    UpdateExpression: "ADD products :n, #version :one",
    ExpressionAttributeNames: { "#version": "version" },
    ExpressionAttributeValues: { ":n": n, ":one": 1 },
  },
});

/** The product is still in the category and archived state it was read in. */
const asRead = (p: Product) => ({
  ConditionExpression: `category = :readCategory AND ${p.archivedAt === undefined ? "attribute_not_exists" : "attribute_exists"}(archivedAt)`,
  values: { ":readCategory": p.category },
});

/** Read, compute the transaction, commit it only from that read; again from a fresh read if the product moved meanwhile. */
const fromRead = (dynamo: Dynamo, id: string, operation: string, write: (p: Product) => ReadonlyArray<TransactItem> | null) =>
  Effect.gen(function* () {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const read = yield* readProduct(dynamo, id, operation);
      if (Option.isNone(read)) return yield* Effect.fail(new ProductNotFound({ productId: id }));
      const items = write(read.value);
      if (items === null) return read.value;
      const moved = yield* dynamo.transact(operation, [...items]).pipe(
        Effect.as(false),
        Effect.catchTags({ DynamoRejected: () => Effect.succeed(true), DynamoInvalid: Effect.die }),
      );
      if (!moved) return Option.getOrThrow(yield* readProduct(dynamo, id, operation));
    }
    return yield* Effect.dieMessage(`${operation}: product ${id} kept changing`);
  });

const setArchivedItems = (dynamo: Dynamo, p: Product, at: Timestamp | null): ReadonlyArray<TransactItem> | null => {
  if ((p.archivedAt === undefined) === (at === null)) return null;
  const { ConditionExpression, values } = asRead(p);
  const next = productPartitions({ ...p, archivedAt: at ?? undefined });
  const update =
    at === null
      ? { UpdateExpression: "SET GSI1PK = :g1, GSI3PK = :g3, GSI4PK = :g4 REMOVE archivedAt", ExpressionAttributeValues: { ...values, ":g1": next.GSI1PK, ":g3": next.GSI3PK, ":g4": next.GSI4PK } }
      : { UpdateExpression: "SET archivedAt = :at, GSI1PK = :g1, GSI3PK = :g3 REMOVE GSI4PK", ExpressionAttributeValues: { ...values, ":at": at, ":g1": next.GSI1PK, ":g3": next.GSI3PK } };
  return [{ Update: { TableName: dynamo.tableName, Key: Keys.product(p.id), ConditionExpression, ...update } }, countChange(dynamo, p.category, at === null ? 1 : -1)];
};

export const setArchived = (dynamo: Dynamo, id: string, at: Timestamp | null) =>
  fromRead(dynamo, id, "ProductStore.setArchived", (p) => setArchivedItems(dynamo, p, at));

/** A category change with the rest of the patch: the product's partition and, if it is listed, both counts. */
export const recategorize = (dynamo: Dynamo, id: string, patch: ProductPatch & { readonly category: string }, sets: (p: Product) => { readonly expression: string; readonly names: Record<string, string>; readonly values: Record<string, unknown> }) =>
  fromRead(dynamo, id, "ProductStore.update", (p) => {
    const { ConditionExpression, values } = asRead(p);
    const s = sets(p);
    const update: TransactItem = {
      Update: {
        TableName: dynamo.tableName,
        Key: Keys.product(p.id),
        UpdateExpression: `${s.expression}, #gsi1pk = :gsi1pk`,
        ConditionExpression,
        ExpressionAttributeNames: { ...s.names, "#gsi1pk": "GSI1PK" },
        ExpressionAttributeValues: { ...s.values, ...values, ":gsi1pk": productPartitions({ ...p, category: patch.category }).GSI1PK },
      },
    };
    const listed = p.archivedAt === undefined && p.category !== patch.category;
    return [update, ...(listed ? [countChange(dynamo, p.category, -1), countChange(dynamo, patch.category, 1)] : [])];
  });

export const categories = (dynamo: Dynamo) =>
  Effect.gen(function* () {
    const counts: Array<CategoryCount> = [];
    let from: Record<string, unknown> | undefined;
    do {
      const out = yield* unavailableOnly(
        dynamo.query("ProductStore.categories", {
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": categoriesPartition },
          ConsistentRead: true,
          ExclusiveStartKey: from,
        }),
      );
      for (const item of out.Items ?? []) {
        const products = Number(item["products"] ?? 0);
        if (products > 0) counts.push({ category: String(item["SK"]).slice("CATEGORY#".length), products });
      }
      from = out.LastEvaluatedKey;
    } while (from);
    return counts;
  });

/** Listed and archived products sit in different index partitions; asking for both merges them. */
export const adminList = (dynamo: Dynamo, query: AdminProductQuery) => {
  const c = query.category;
  const listed = c === undefined ? Partitions.allProducts() : [Partitions.category(c)];
  const archived = c === undefined ? Partitions.allArchived() : [Partitions.archivedOfCategory(c)];
  const partitions = query.archived === undefined ? [...listed, ...archived] : query.archived ? archived : listed;
  return queryPage(
    dynamo,
    { operation: "ProductStore.adminList", index: c === undefined ? "GSI3" : "GSI1", identity: `products:admin:${c ?? "*"}:${query.archived ?? "*"}`, partitions },
    query,
  ).pipe(Effect.map((page) => ({ ...page, items: page.items.map(productFrom) })));
};
