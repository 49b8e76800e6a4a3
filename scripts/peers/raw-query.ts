/**
 * Benchmark peer: the raw handler making the product page's own store request (`npm run bench:lambda`): one consistent
 * Query of the product's partition (the product and its images record, as Cartwright reads them), JSON out. It
 * separates what DynamoDB Local spends on a Query rather than a GetItem from the framework's own overhead.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1, ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}) }));

export const handler = async (event: { rawPath: string }) => {
  const id = decodeURIComponent(event.rawPath.split("/").pop() ?? "");
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :images AND :product",
      ExpressionAttributeValues: { ":pk": `PRODUCT#${id}`, ":images": "IMAGES", ":product": "PRODUCT" },
      ConsistentRead: true,
    }),
  );
  const Item = Items.find((item) => item.SK === "PRODUCT");
  if (!Item) return { statusCode: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "not found" }) };
  const images = Items.find((item) => item.SK === "IMAGES")?.images ?? [];
  const body = { id: Item.id, name: Item.name, category: Item.category, description: Item.description, price: Item.price, available: Item.stock - Item.reserved, images };
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
};
