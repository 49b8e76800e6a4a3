/**
 * Benchmark peer: the smallest Fastify app on Lambda (@fastify/aws-lambda, no plugins, no logger, no
 * schemas, the same schema compilers left out), serving GET /api/products/:id from the same table. It is the floor under any Fastify-based
 * API, Cartwright's included. Bundled like Cartwright's functions; never deployed.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import awsLambdaFastify from "@fastify/aws-lambda";
import Fastify from "fastify";
import { noCompilers } from "../../adapters/http/schema-compilers.js";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1, ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}) }));
// Bundled like ours, without Ajv and fast-json-stringify (it declares no schemas).
const app = Fastify({ schemaController: noCompilers });

app.get<{ Params: { id: string } }>("/api/products/:id", async (req, reply) => {
  const { Item } = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: `PRODUCT#${req.params.id}`, SK: "PRODUCT" }, ConsistentRead: true }));
  if (!Item) return reply.code(404).send({ error: "not found" });
  return { id: Item.id, name: Item.name, category: Item.category, description: Item.description, price: Item.price, available: Item.stock - Item.reserved };
});

export const handler = awsLambdaFastify(app);
await app.ready();
