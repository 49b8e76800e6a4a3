/** A uniquely named Cartwright table on the run's shared DynamoDB Local, so test files stay isolated. */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { createTable } from "../../adapters/dynamodb/create-table.js";
import { makeLocalClient } from "../../adapters/dynamodb/local.js";

export interface FreshTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly endpoint: string;
}

export const freshTable = async (): Promise<FreshTable> => {
  const endpoint = inject("dynamoEndpoint");
  if (!endpoint) {
    const why = inject("dynamoStartError") ?? "tests/support/dynamo-global-setup.ts is not in test.globalSetup";
    throw new Error(`This test needs DynamoDB Local, which did not start: ${why}`);
  }
  const client = makeLocalClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  await createTable(client, tableName);
  return { client, tableName, endpoint };
};

/** Deletes the table and releases its client. */
export const deleteTable = async ({ client, tableName }: FreshTable): Promise<void> => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
};

/**
 * For tests that race many writes on one item: a loaded 2-core machine makes DynamoDB Local slow, not wrong, and a
 * 3 s attempt limit would turn that into 503s these tests are not about (tests/dynamodb/fault.test.ts and
 * tests/http/deadline.test.ts test the limits themselves).
 */
export const patientRetry = { attemptTimeoutMs: 30_000 } as const;
