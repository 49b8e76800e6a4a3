/**
 * The stores' adapter marshals documents itself (adapters/dynamodb/client.ts) instead of sending them through a
 * DocumentClient: on DynamoDB Local, what it writes, what it reads back and what it refuses must be what the
 * DocumentClient (its default rules) would write, read and refuse, for every shape of value.
 */
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, NumberValue, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Effect, Exit } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDynamo } from "../../adapters/dynamodb/client.js";
import { deleteTable, type FreshTable, freshTable } from "../support/dynamo.js";

let table: FreshTable;
beforeAll(async () => {
  table = await freshTable();
});
afterAll(() => deleteTable(table));

/** Every kind of value a document can hold, nested ones, and what the DocumentClient leaves out (undefined, functions). */
const stored: Record<string, unknown> = {
  str: "x",
  empty: "",
  num: 1.5,
  negativeZero: -0,
  bigint: 12345678901234567890n,
  numberValue: NumberValue.from("12345678901234567890.5"),
  bool: false,
  nul: null,
  bytes: new Uint8Array([1, 2]),
  buffer: Buffer.from("hi"),
  strings: new Set(["a", "b"]),
  numbers: new Set([1, 2]),
  binaries: new Set([new Uint8Array([3])]),
  list: [1, "a", null, [], {}, { m: new Set(["z"]) }],
  map: { a: { b: { c: [1, { d: "" }] } } },
  jsMap: new Map([["k", 1]]),
  undefinedTop: undefined,
  fn: () => 1,
  listWithFn: [1, () => 2],
  mapWithFn: { a: 1, f: () => 2 },
};
/** Values the DocumentClient's default rules refuse before anything is sent. */
const refused: Record<string, unknown> = {
  nestedUndefined: { a: undefined, b: 1 },
  listUndefined: [1, undefined],
  emptySet: new Set(),
  date: new Date(0),
  unsafeInteger: 2 ** 60,
  nan: Number.NaN,
  classInstance: new (class Thing {
    a = 1;
  })(),
};

const outcome = async (f: () => Promise<unknown>) => {
  try {
    return { value: await f() };
  } catch (error) {
    return { refused: String((error as Error).message ?? error).split("\n")[0] };
  }
};
const effect = (e: Effect.Effect<unknown, unknown>) => () =>
  Effect.runPromiseExit(e).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value;
    throw new Error(String((exit.cause as { defect?: { message?: string } }).defect?.message ?? exit.cause));
  });
const raw = async (PK: string, SK: string) => (await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: { PK: { S: PK }, SK: { S: SK } }, ConsistentRead: true }))).Item;

describe("the adapter's documents on DynamoDB Local", () => {
  it("writes every value as the DocumentClient does (a transaction's Put and an update), leaving out what it leaves out", async () => {
    const doc = DynamoDBDocumentClient.from(table.client);
    const dynamo = makeDynamo({ client: table.client, tableName: table.tableName });
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table.tableName, Item: { PK: "doc", SK: "put", ...stored } } }] }));
    await Effect.runPromise(dynamo.transact("test", [{ Put: { TableName: table.tableName, Item: { PK: "ours", SK: "put", ...stored } } }]));
    expect({ ...(await raw("ours", "put")), PK: { S: "doc" } }).toEqual(await raw("doc", "put"));

    const set = Object.keys(stored).map((_, i) => `#a${i} = :v${i}`).join(", ");
    const update = (PK: string) => ({
      Key: { PK, SK: "update" },
      UpdateExpression: `SET ${set}`,
      ExpressionAttributeNames: Object.fromEntries(Object.keys(stored).map((k, i) => [`#a${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(Object.entries(stored).map(([, v], i) => [`:v${i}`, v === undefined || typeof v === "function" ? "left out" : v])),
    });
    await doc.send(new UpdateCommand({ TableName: table.tableName, ...update("doc") }));
    await Effect.runPromise(dynamo.update("test", update("ours")));
    expect({ ...(await raw("ours", "update")), PK: { S: "doc" } }).toEqual(await raw("doc", "update"));
  });

  it("reads every value back as the DocumentClient does (GetItem, UpdateItem's new item, Query and its page key)", async () => {
    // A number with more digits than a JS number or BigInt holds is written (above) but read by neither.
    const { numberValue: _, ...readable } = stored;
    const doc = DynamoDBDocumentClient.from(table.client);
    const dynamo = makeDynamo({ client: table.client, tableName: table.tableName });
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table.tableName, Item: { PK: "read", SK: "a", ...readable } } }, { Put: { TableName: table.tableName, Item: { PK: "read", SK: "b", n: 1 } } }] }));
    const key = { PK: "read", SK: "a" };
    expect(await Effect.runPromise(dynamo.get("test", { Key: key, ConsistentRead: true }))).toEqual((await doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item);
    const update = { Key: { PK: "read", SK: "b" }, UpdateExpression: "SET n = n + :one", ExpressionAttributeValues: { ":one": 1 }, ReturnValues: "ALL_NEW" as const };
    const updated = await Effect.runPromise(dynamo.update("test", update));
    expect(updated).toEqual({ PK: "read", SK: "b", n: 2 });
    expect((await doc.send(new UpdateCommand({ TableName: table.tableName, ...update }))).Attributes).toEqual({ ...updated, n: 3 });
    const query = { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": "read" }, Limit: 1, ConsistentRead: true };
    const theirs = await doc.send(new QueryCommand({ TableName: table.tableName, ...query }));
    const ours = await Effect.runPromise(dynamo.query("test", query));
    expect([ours.Items, ours.LastEvaluatedKey]).toEqual([theirs.Items, theirs.LastEvaluatedKey]);
    const next = { ...query, ExclusiveStartKey: ours.LastEvaluatedKey };
    expect((await Effect.runPromise(dynamo.query("test", next))).Items).toEqual((await doc.send(new QueryCommand({ TableName: table.tableName, ...next }))).Items);
  });

  it("refuses, before sending, every value the DocumentClient refuses, with its message", async () => {
    const doc = DynamoDBDocumentClient.from(table.client);
    const dynamo = makeDynamo({ client: table.client, tableName: table.tableName, retry: { attempts: 1 } });
    for (const [name, value] of Object.entries(refused)) {
      const Key = { PK: "refused", SK: name };
      const theirs = await outcome(() => doc.send(new UpdateCommand({ TableName: table.tableName, Key, UpdateExpression: "SET v = :v", ExpressionAttributeValues: { ":v": value } })));
      const ours = await outcome(effect(dynamo.update("test", { Key, UpdateExpression: "SET v = :v", ExpressionAttributeValues: { ":v": value } })));
      expect({ name, ...ours }).toEqual({ name, ...theirs });
      expect(theirs).toHaveProperty("refused");
      expect(await raw("refused", name)).toBeUndefined();
    }
  });
});
