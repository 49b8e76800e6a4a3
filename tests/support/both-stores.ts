/** The two store layers a behaviour is tested on; the DynamoDB Local tables made for a file are deleted after it. */
import { afterAll } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { memoryStores } from "../../adapters/memory/layer.js";
import { deleteTable, freshTable, type FreshTable } from "./dynamo.js";

export const bothStores = () => {
  const tables: Array<FreshTable> = [];
  afterAll(() => Promise.all(tables.map(deleteTable)));
  return {
    memory: async () => memoryStores(),
    "DynamoDB Local": async () => {
      const t = await freshTable();
      tables.push(t);
      return dynamoStores({ client: t.client, tableName: t.tableName });
    },
  } as const;
};
