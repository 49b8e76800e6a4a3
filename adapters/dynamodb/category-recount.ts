/**
 * Recounts each category's listed products and corrects its counter where it differs (`npm run audit --
 * --repair-counters`): for a table written before the counters existed, or a counter the audit found wrong.
 *
 * Safe beside live product writes. Every write that moves a product into or out of a category's count bumps
 * that counter's `version` in the same transaction (countChange), and a version only grows. A round reads the
 * counters, scans the products, reads the counters again, and trusts a category's count only if its version did
 * not move meanwhile (else the next round, after a pause, counts it again); it then writes a wrong counter only
 * if its version is still the one read, so a create, archive, unarchive or move committed after the count
 * refuses the write too. (A condition on the count itself would not do: a create then an archive bring it back
 * to the value read while the products counted changed.)
 * One gap is DynamoDB's: a Scan is read-committed, so in the milliseconds a transaction takes to commit the scan
 * can miss its product while the counter read already shows it. The audit that follows a repair reports such a
 * count, and running the repair again corrects it. Run it once every API instance bumps versions (after the deploy).
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateQuery, paginateScan, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CategoryCount } from "../../domain/index.js";
import { Keys } from "./keys.js";

export const categoriesPartition = Keys.categoryCount("").PK;

export const categoryCountFrom = (item: Record<string, unknown>): CategoryCount => ({
  category: String(item["SK"]).slice("CATEGORY#".length),
  products: Number(item["products"] ?? 0),
});

interface Counter {
  readonly products: number;
  /** Absent on a counter no write has bumped yet (none at all: no item). */
  readonly version: number | undefined;
}

export interface CounterRepair {
  readonly category: string;
  /** The stored count; undefined when the category had no counter. */
  readonly was: number | undefined;
  readonly now: number;
}

export interface Recount {
  readonly repaired: ReadonlyArray<CounterRepair>;
  /** Categories whose counter kept changing under every round: run the repair again. */
  readonly unsettled: ReadonlyArray<string>;
}

type Doc = DynamoDBDocumentClient;

const readCounters = async (doc: Doc, tableName: string): Promise<Map<string, Counter>> => {
  const counters = new Map<string, Counter>();
  const pages = paginateQuery(
    { client: doc },
    { TableName: tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": categoriesPartition }, ConsistentRead: true },
  );
  for await (const page of pages)
    for (const item of page.Items ?? []) {
      const { category, products } = categoryCountFrom(item);
      counters.set(category, { products, version: typeof item["version"] === "number" ? item["version"] : undefined });
    }
  return counters;
};

const countListed = async (doc: Doc, tableName: string): Promise<Map<string, number>> => {
  const listed = new Map<string, number>();
  const pages = paginateScan(
    { client: doc },
    {
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: "begins_with(PK, :product) AND SK = :sk AND attribute_not_exists(archivedAt)",
      ProjectionExpression: "category",
      ExpressionAttributeValues: { ":product": "PRODUCT#", ":sk": "PRODUCT" },
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) listed.set(String(item["category"]), (listed.get(String(item["category"])) ?? 0) + 1);
  return listed;
};

/** Sets the count only if no product write touched the counter since it was read; false when one did. */
const setCount = async (doc: Doc, tableName: string, category: string, count: number, read: Counter | undefined): Promise<boolean> => {
  const unbumped = read?.version === undefined;
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: Keys.categoryCount(category),
        UpdateExpression: "SET products = :n ADD #version :one",
        ConditionExpression: unbumped ? "attribute_not_exists(#version)" : "#version = :read",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":n": count, ":one": 1, ...(unbumped ? {} : { ":read": read.version }) },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
};

const sameCounter = (a: Counter | undefined, b: Counter | undefined) => a?.version === b?.version && a?.products === b?.products;

export const recountCategories = async (client: DynamoDBClient, tableName: string, rounds = 5): Promise<Recount> => {
  const doc = DynamoDBDocumentClient.from(client);
  const repaired: Array<CounterRepair> = [];
  let pending: ReadonlySet<string> | undefined;
  for (let round = 1; round <= rounds && pending?.size !== 0; round++) {
    if (round > 1) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (round - 2)));
    const before = await readCounters(doc, tableName);
    const listed = await countListed(doc, tableName);
    const after = await readCounters(doc, tableName);
    const changed = new Set<string>();
    for (const category of pending ?? new Set([...before.keys(), ...listed.keys(), ...after.keys()])) {
      const read = before.get(category);
      const count = listed.get(category) ?? 0;
      if (!sameCounter(read, after.get(category))) changed.add(category);
      else if ((read?.products ?? 0) === count) continue;
      else if (await setCount(doc, tableName, category, count, read)) repaired.push({ category, was: read?.products, now: count });
      else changed.add(category);
    }
    pending = changed;
  }
  return { repaired, unsettled: [...(pending ?? [])] };
};
