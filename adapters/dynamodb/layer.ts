import { Layer } from "effect";
import { DynamoCartStore } from "./cart-store.js";
import { type DynamoOptions, makeDynamo } from "./client.js";
import { DynamoIdempotencyStore, DynamoOrderStore, DynamoPaymentEventLog } from "./order-store.js";
import { DynamoProductStore } from "./product-store.js";
import { DynamoAttemptCounter, DynamoUserStore } from "./user-store.js";
import { DynamoEventLog } from "./event-log.js";
import { DynamoReceipts } from "./receipts.js";
import { DynamoImageStore } from "./image-store.js";

/**
 * Every store port over one DynamoDB table (the counterpart of `memoryStores`).
 * The SDK client's own retries are bypassed per request; `retry` is the only retry
 * layer (5 attempts, 25 ms base, 500 ms cap, 3 s per attempt by default). The client stays the caller's:
 * building or releasing the layer never destroys it.
 */
export const dynamoStores = (options: DynamoOptions) => {
  const dynamo = makeDynamo(options);
  return Layer.mergeAll(
    DynamoProductStore(dynamo),
    DynamoCartStore(dynamo),
    DynamoOrderStore(dynamo),
    DynamoIdempotencyStore(dynamo),
    DynamoUserStore(dynamo),
    DynamoEventLog(dynamo),
    DynamoReceipts(dynamo),
    DynamoPaymentEventLog(dynamo),
    DynamoAttemptCounter(dynamo),
    DynamoImageStore(dynamo),
  );
};

export type { DynamoOptions } from "./client.js";
export type { RetryPolicy } from "./retry.js";
export { makeCapacityRecorder, type CapacityRecorder, type CapacityTotals } from "./capacity.js";
