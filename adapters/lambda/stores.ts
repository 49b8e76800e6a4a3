/** The store layer a Lambda runs on: DynamoDB (deployed), or memory (experiments only; state dies with the instance). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Layer } from "effect";
import { dynamoStores } from "../dynamodb/layer.js";
import { memoryStores } from "../memory/layer.js";
import type { StoreServices } from "../http/runtime.js";

export interface StoreConfig {
  readonly store: "dynamodb" | "memory";
  readonly tableName: string;
  readonly dynamodbEndpoint: string | undefined;
}

export const storesFor = (config: StoreConfig): Layer.Layer<StoreServices> => {
  if (config.store === "memory") return memoryStores();
  // Region and credentials come from the Lambda environment; the endpoint only for DynamoDB Local.
  // maxAttempts 1: our retry loop counts attempts, whatever SDK version the runtime provides.
  const client = new DynamoDBClient({ maxAttempts: 1, ...(config.dynamodbEndpoint === undefined ? {} : { endpoint: config.dynamodbEndpoint }) });
  return dynamoStores({ client, tableName: config.tableName });
};
