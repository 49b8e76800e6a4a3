import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTable } from "../../adapters/dynamodb/create-table.js";
import { JavaMissingError, makeLocalClient, startDynamoLocal, type DynamoLocal } from "../../adapters/dynamodb/local.js";
import { tableDefinition } from "../../adapters/dynamodb/table.js";
import { deleteTable, freshTable } from "../support/dynamo.js";

/** Command lines of java processes (not their watchdog shells) serving DynamoDB Local on `port`. */
const javaOnPort = async (port: number): Promise<string[]> => {
  try {
    const { stdout } = await promisify(execFile)("pgrep", ["-af", `DynamoDBLocal\\.jar .*-port ${port} `]);
    return stdout.split("\n").filter((line) => /^\d+ java /.test(line));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

const eventually = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
};

const put = (tableName: string, pk: string) => ({
  Put: { TableName: tableName, Item: { PK: { S: pk }, SK: { S: "A" } }, ConditionExpression: "attribute_not_exists(PK)" },
});

describe("DynamoLocal.start", () => {
  let engine: DynamoLocal;
  beforeAll(async () => {
    engine = await startDynamoLocal();
  });
  afterAll(() => engine.stop());

  it("runs an in-memory engine that cancels a whole transaction when one condition fails, with a reason per item", async () => {
    const client = makeLocalClient(engine.endpoint);
    await createTable(client, "transactions");
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put("transactions", "taken")] }));

    const attempt = client.send(
      new TransactWriteItemsCommand({ TransactItems: [put("transactions", "taken"), put("transactions", "fresh")] }),
    );

    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code);
    expect(reasons).toEqual(["ConditionalCheckFailed", "None"]);
    const fresh = await client.send(new GetItemCommand({ TableName: "transactions", Key: { PK: { S: "fresh" }, SK: { S: "A" } } }));
    expect(fresh.Item).toBeUndefined();
    client.destroy();
  });

  it("refuses a port that is already taken instead of mistaking the engine there for its own", async () => {
    await expect(startDynamoLocal({ port: engine.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it("keeps tables and items in a persistent data directory across stop and start", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "dynamo-local-"));
    const key = { PK: { S: "kept" }, SK: { S: "A" } };
    try {
      const first = await startDynamoLocal({ dataDir });
      const writer = makeLocalClient(first.endpoint);
      await createTable(writer, "persisted");
      await writer.send(new PutItemCommand({ TableName: "persisted", Item: key }));
      writer.destroy();
      await first.stop();

      const second = await startDynamoLocal({ dataDir });
      const reader = makeLocalClient(second.endpoint);
      const read = await reader.send(new GetItemCommand({ TableName: "persisted", Key: key })).finally(() => second.stop());
      reader.destroy();
      expect(read.Item).toEqual(key);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("leaves no java behind when its parent node process is SIGKILLed (invariant: no orphaned java)", async () => {
    const launcher = new URL("../../adapters/dynamodb/local.ts", import.meta.url).href;
    const script = `const { startDynamoLocal } = await import(${JSON.stringify(launcher)});
      console.log((await startDynamoLocal()).port);`;
    const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: "pipe" });
    try {
      const { value } = await createInterface({ input: parent.stdout })[Symbol.asyncIterator]().next();
      const port = Number(value);
      expect(await javaOnPort(port)).toHaveLength(1);

      parent.kill("SIGKILL");

      expect(await eventually(async () => (await javaOnPort(port)).length === 0, 5_000)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("throws a one-line JavaMissingError that points to the memory store when java is not on PATH", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    const error = await startDynamoLocal().catch((e: unknown) => e).finally(() => (process.env.PATH = path));
    expect(error).toBeInstanceOf(JavaMissingError);
    expect((error as Error).message).toMatch(/^Java 17\+ .*CARTWRIGHT_STORE=memory npm start[^\n]*$/);
  });
});

describe("DynamoLocal.stop", () => {
  it("resolves only once no java process serves its port", async () => {
    const engine = await startDynamoLocal();
    expect(await javaOnPort(engine.port)).toHaveLength(1);

    await engine.stop();

    expect(await javaOnPort(engine.port)).toEqual([]);
  });
});

describe("DynamoLocal.createTable", () => {
  it("builds exactly the keys, indexes and TTL attribute of tableDefinition", async () => {
    const table = await freshTable();
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    const ttl = await table.client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    await deleteTable(table);

    const keys = (hash: string, range: string) => [
      { AttributeName: hash, KeyType: "HASH" },
      { AttributeName: range, KeyType: "RANGE" },
    ];
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    expect(Table?.KeySchema).toEqual(keys(tableDefinition.partitionKey, tableDefinition.sortKey));
    expect(new Set(Table?.AttributeDefinitions?.map((a) => `${a.AttributeName}:${a.AttributeType}`))).toEqual(
      new Set(tableDefinition.attributes.map((a) => `${a.name}:${a.type}`)),
    );
    const byName = (a: { name?: string }, b: { name?: string }) => String(a.name).localeCompare(String(b.name));
    const indexes = Table?.GlobalSecondaryIndexes?.map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection }));
    const expected = tableDefinition.globalSecondaryIndexes.map((i) => ({
      name: i.name,
      keys: keys(i.partitionKey, i.sortKey),
      projection: { ProjectionType: "ALL" },
    }));
    expect(indexes?.sort(byName)).toEqual(expected.sort(byName));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: tableDefinition.ttlAttribute });
  });
});
