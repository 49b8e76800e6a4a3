/**
 * Benchmark peer: the least a Lambda can do for GET /api/products/:id: one consistent GetItem, JSON out.
 * Bundled like Cartwright's functions (`npm run bench:lambda`); never deployed.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1, ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}) }));

export const handler = async (event: { rawPath: string }) => {
  const id = decodeURIComponent(event.rawPath.split("/").pop() ?? "");
  const { Item } = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: `PRODUCT#${id}`, SK: "PRODUCT" }, ConsistentRead: true }));
  if (!Item) return { statusCode: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "not found" }) };
  const body = { id: Item.id, name: Item.name, category: Item.category, description: Item.description, price: Item.price, available: Item.stock - Item.reserved };
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
};
