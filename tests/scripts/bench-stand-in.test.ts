import { GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLocalClient } from "../../adapters/dynamodb/local.js";
import { startStandIn, type StandIn } from "../../scripts/bench/stand-in.js";

// bench:lambda --store=stand-in: every handler reads the seeded item from it as it would from DynamoDB.
describe("the bench's stand-in store endpoint", () => {
  const item = { PK: { S: "PRODUCT#p1" }, SK: { S: "PRODUCT" }, name: { S: "Bench Tea" }, stock: { N: "10" } };
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn(item);
  });
  afterAll(async () => {
    await standIn.stop();
  });

  it("answers the seeded item to a signed GetItem of its key and to a Query of its partition, and nothing to any other key", async () => {
    const client = makeLocalClient(standIn.endpoint);
    try {
      expect((await client.send(new GetItemCommand({ TableName: "bench", Key: { PK: item.PK, SK: item.SK }, ConsistentRead: true }))).Item).toEqual(item);
      expect((await client.send(new GetItemCommand({ TableName: "bench", Key: { PK: item.PK, SK: { S: "IMAGES" } } }))).Item).toBeUndefined();
      const page = { TableName: "bench", KeyConditionExpression: "PK = :pk AND SK BETWEEN :a AND :b" };
      const values = (pk: string) => ({ ":pk": { S: pk }, ":a": { S: "IMAGES" }, ":b": { S: "PRODUCT" } });
      expect((await client.send(new QueryCommand({ ...page, ExpressionAttributeValues: values("PRODUCT#p1") }))).Items).toEqual([item]);
      expect((await client.send(new QueryCommand({ ...page, ExpressionAttributeValues: values("PRODUCT#p2") }))).Items).toEqual([]);
      expect((await client.send(new QueryCommand({ ...page, IndexName: "GSI3", ExpressionAttributeValues: values("PRODUCT#p1") }))).Items).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it("refuses any other operation as DynamoDB refuses a bad request, so a handler that writes cannot pass for one that reads", async () => {
    const client = makeLocalClient(standIn.endpoint);
    try {
      await expect(client.send(new PutItemCommand({ TableName: "bench", Item: item }))).rejects.toMatchObject({ name: "ValidationException" });
    } finally {
      client.destroy();
    }
  });
});
