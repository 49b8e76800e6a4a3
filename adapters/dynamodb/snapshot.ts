/**
 * A whole table as the audit reads it (domain/audit): one paginated, consistent, read-only Scan, off the
 * hot path (`npm run audit`, the load test). Items of other kinds (users, attempt counters, receipts) are skipped.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditSnapshot } from "../../domain/index.js";
import { eventFrom, lineFrom, orderFrom, productFrom, recordFrom } from "./items.js";
import { categoriesPartition, categoryCountFrom } from "./category-recount.js";
import { isOutboxSortKey } from "./keys.js";

export const dynamoSnapshot = async (client: DynamoDBClient, tableName: string, onPage?: (items: number) => void): Promise<AuditSnapshot> => {
  const doc = DynamoDBDocumentClient.from(client);
  const snapshot = { products: [], lines: [], orders: [], records: [], availableDrift: [], events: [], categoryCounts: [] } as {
    [K in keyof Required<AuditSnapshot>]: Array<NonNullable<AuditSnapshot[K]>[number]>;
  };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const pk = String(item.PK);
      const sk = String(item.SK);
      if (pk.startsWith("PRODUCT#") && sk === "PRODUCT") {
        const product = productFrom(item);
        snapshot.products.push(product);
        if (typeof item.available === "number" && item.available !== product.stock - product.reserved)
          snapshot.availableDrift.push({ productId: product.id, available: item.available });
      } else if (pk.startsWith("CART#") && sk.startsWith("LINE#")) snapshot.lines.push({ customerId: pk.slice("CART#".length), line: lineFrom(item) });
      else if (pk.startsWith("ORDER#") && sk === "ORDER") snapshot.orders.push(orderFrom(item));
      else if (pk.startsWith("IDEMPOTENCY#")) snapshot.records.push(recordFrom(item));
      else if (isOutboxSortKey(sk)) snapshot.events.push(eventFrom(item));
      else if (pk === categoriesPartition) snapshot.categoryCounts.push(categoryCountFrom(item));
    }
    onPage?.(page.Items?.length ?? 0);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return snapshot;
};
