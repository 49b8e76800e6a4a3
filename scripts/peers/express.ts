/**
 * Benchmark peer: the Express app a team would otherwise write, on Lambda through serverless-http,
 * serving GET /api/products/:id from the same table. Bundled like Cartwright's functions; never deployed.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import express from "express";
import serverless from "serverless-http";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1, ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}) }));
const app = express();

app.get("/api/products/:id", async (req, res, next) => {
  try {
    const { Item } = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: `PRODUCT#${req.params.id}`, SK: "PRODUCT" }, ConsistentRead: true }));
    if (!Item) return void res.status(404).json({ error: "not found" });
    res.json({ id: Item.id, name: Item.name, category: Item.category, description: Item.description, price: Item.price, available: Item.stock - Item.reserved });
  } catch (error) {
    next(error);
  }
});

export const handler = serverless(app);
