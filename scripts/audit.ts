/**
 * `npm run audit`: checks stored data against the domain's invariants (domain/audit) and prints a report;
 * exits 1 on a violation, 0 when clean, 2 on a usage error. Read-only (one paginated Scan) unless --repair-counters.
 *   npm run audit                                   the local data of `npm start` (.data/dynamodb, table cartwright-local)
 *   npm run audit -- --endpoint=http://localhost:8000 --table=NAME    a running DynamoDB (Local)
 *   npm run audit -- --table=cartwright-prod --region=us-east-1       a deployed table (AWS credentials from the environment)
 * --sweep-minutes=N: how often the sweeper runs there (15 by default): a hold may outlive its expiry by that much.
 * --repair-counters: first recounts each category's listed products and corrects its counter where it differs
 * (adapters/dynamodb/category-recount.ts: safe beside live product writes), then audits; the only write it makes.
 */
import { existsSync } from "node:fs";
import type { DynamoDBClient as Client } from "@aws-sdk/client-dynamodb";
import type { DynamoLocal } from "../adapters/dynamodb/local.js";
import { fail, numberFlag, parseCli, usageError } from "./cli.js";

const usage = "npm run audit -- [--endpoint URL] [--table NAME] [--region REGION] [--sweep-minutes N] [--repair-counters]";
const { values } = parseCli(usage, {
  options: {
    endpoint: { type: "string" },
    table: { type: "string" },
    region: { type: "string" },
    "sweep-minutes": { type: "string" },
    "repair-counters": { type: "boolean" },
  },
});
const sweepMinutes = numberFlag(usage, "sweep-minutes", values["sweep-minutes"], 15, Number.MIN_VALUE);
const { endpoint, region } = values;
const table = values.table ?? (endpoint || region ? undefined : "cartwright-local");
if (!table) usageError(usage, "--table is required with --endpoint or --region");
if (!endpoint && !region && !existsSync(".data/dynamodb")) usageError(usage, "no local data in .data/dynamodb (run npm start first), or give --endpoint / --region");

// Flags first: a bad flag or --help answers before the heavy imports load.
const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { auditTable, repairCounters } = await import("./audit-report.js");

let local: DynamoLocal | undefined;
let client: Client;
if (endpoint) client = makeLocalClient(endpoint);
else if (region) client = new DynamoDBClient({ region });
else {
  const started = await startDynamoLocal({ dataDir: ".data/dynamodb" }).catch((error: Error) => (error.name === "JavaMissingError" ? fail(error.message) : Promise.reject(error)));
  local = started;
  client = makeLocalClient(started.endpoint);
}
try {
  const settled = values["repair-counters"] ? await repairCounters(client, table!) : true;
  const report = await auditTable(client, table!, { sweepIntervalMs: sweepMinutes * 60_000 });
  process.exitCode = report.violations.length > 0 || !settled ? 1 : 0;
} catch (error) {
  console.error(`audit failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 2;
} finally {
  client.destroy();
  await local?.stop();
}
