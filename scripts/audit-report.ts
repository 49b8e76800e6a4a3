/** Audits a DynamoDB table and prints the report (npm run audit, npm run load); repairs category counters on demand. */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { outboxRetentionMs } from "../adapters/dynamodb/items.js";
import { recountCategories } from "../adapters/dynamodb/category-recount.js";
import { dynamoSnapshot } from "../adapters/dynamodb/snapshot.js";
import { audit, type AuditReport, idempotencyWindowMs } from "../domain/index.js";

export interface TableAuditOptions {
  readonly sweepIntervalMs?: number;
  readonly supplied?: ReadonlyMap<string, number>;
  readonly now?: number;
}

export const auditTable = async (client: DynamoDBClient, tableName: string, options: TableAuditOptions = {}): Promise<AuditReport> => {
  const started = Date.now();
  let scanned = 0;
  const snapshot = await dynamoSnapshot(client, tableName, (n) => (scanned += n));
  const report = audit(snapshot, {
    now: options.now ?? Date.now(),
    sweepIntervalMs: options.sweepIntervalMs ?? 15 * 60_000,
    recordRetentionMs: idempotencyWindowMs,
    eventRetentionMs: outboxRetentionMs,
    ...(options.supplied ? { supplied: options.supplied } : {}),
  });
  const c = report.counts;
  console.log(
    `\naudit of ${tableName}: ${scanned} items scanned in ${Date.now() - started} ms; ${c.products} products, ${c.lines} cart lines (${c.unreleasedHolds} unreleased holds), ${c.orders} orders, ${c.records} idempotency records`,
  );
  console.log(
    `checked: reserved = unreleased holds, 0 ≤ reserved ≤ stock, available = stock − reserved, order totals, every order's idempotency record and the reverse, no hold past expiry + sweep interval, each category's count = its listed products, money not kept is refunded or owed (and not owed past 2 sweeps), no payment refunded twice or beyond what it received, every paid order paid by its payment or by hand, each order's events one for one with its history, one cancellation restocking its lines${options.supplied ? ", units conserved (stock + sold = supplied)" : ""}`,
  );
  if (report.violations.length === 0) console.log("audit: clean (0 violations)");
  else {
    console.log(`audit: ${report.violations.length} violation(s)`);
    for (const v of report.violations) console.log(`  ${v.rule}: ${v.subject}: ${v.detail}`);
  }
  return report;
};

/** Recounts the category counters and prints each one corrected; false when some kept changing (run again). */
export const repairCounters = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  const { repaired, unsettled } = await recountCategories(client, tableName);
  console.log(`category counters of ${tableName}: ${repaired.length} corrected`);
  for (const r of repaired) console.log(`  category ${r.category}: ${r.was ?? "absent"} → ${r.now}`);
  if (unsettled.length > 0) console.log(`  still changing after every round, not corrected: ${unsettled.join(", ")} (run again)`);
  return unsettled.length === 0;
};
