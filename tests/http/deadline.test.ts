/**
 * A frozen store (a server that accepts connections and never answers, like DynamoDB Local under SIGSTOP):
 * requests answer the 503 problem within their deadline instead of hanging through every retry.
 * Short deadlines stand in for the real ones; the bounds asserted are far from the old 15 s.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Effect, Either } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentDeadline, lambdaDeadline } from "../../adapters/deadline.js";
import { type Failure, makeDynamo } from "../../adapters/dynamodb/client.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeLocalClient } from "../../adapters/dynamodb/local.js";
import { httpApiEvent, lambdaContext, type HttpApiResult } from "../lambda/events.js";
import { makeTestApi, problemOf } from "./support.js";

let frozen: Server;
let endpoint: string;
const sockets = new Set<Socket>();
beforeAll(async () => {
  frozen = createServer((socket) => void sockets.add(socket)); // reads nothing, answers nothing
  await new Promise<void>((ready) => frozen.listen(0, "127.0.0.1", ready));
  endpoint = `http://127.0.0.1:${(frozen.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((done) => frozen.close(done));
});

describe("Deadline-aware store calls", () => {
  it("stop retrying when the deadline is spent, naming the cause (no attempt or backoff runs past it)", async () => {
    const dynamo = makeDynamo({ client: makeLocalClient(endpoint), tableName: "t" });
    const started = Date.now();
    const result = await Effect.runPromise(Effect.either(Effect.locally(dynamo.get("Test.get", { Key: { PK: "x", SK: "y" } }), currentDeadline, started + 300)));
    const elapsed = Date.now() - started;
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "PersistenceUnavailable", operation: "Test.get", reason: expect.stringMatching(/deadline/) });
    expect(elapsed).toBeLessThan(1_500);
  });

  it("report a write sent to the frozen store as outcome unknown (it may apply it when it thaws), a read as not applied", async () => {
    const dynamo = makeDynamo({ client: makeLocalClient(endpoint), tableName: "t" });
    const outcomeOf = async <A>(effect: Effect.Effect<A, Failure>) => {
      const result = await Effect.runPromise(Effect.either(Effect.locally(effect, currentDeadline, Date.now() + 300)));
      return Either.isLeft(result) && result.left._tag === "PersistenceUnavailable" ? result.left.outcome : "no PersistenceUnavailable";
    };
    const write = await outcomeOf(dynamo.transact("Test.transact", [{ Put: { TableName: "t", Item: { PK: "x", SK: "y" } } }]));
    const update = await outcomeOf(dynamo.update("Test.update", { Key: { PK: "x", SK: "y" }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": 1 } }));
    const read = await outcomeOf(dynamo.get("Test.get", { Key: { PK: "x", SK: "y" } }));
    expect([write, update, read]).toEqual(["unknown", "unknown", "not_applied"]);
  });

  it("report a write whose deadline is spent before its first attempt, or whose connection is refused, as not applied", async () => {
    const closed = createServer();
    await new Promise<void>((ready) => closed.listen(0, "127.0.0.1", ready));
    const refusing = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((done) => closed.close(done));
    const put = (at: string, deadline: number) =>
      Effect.runPromise(Effect.either(Effect.locally(makeDynamo({ client: makeLocalClient(at), tableName: "t" }).transact("Test.transact", [{ Put: { TableName: "t", Item: { PK: "x", SK: "y" } } }]), currentDeadline, deadline)));
    const spent = await put(endpoint, Date.now());
    const refused = await put(refusing, Date.now() + 300);
    expect(spent).toMatchObject({ _tag: "Left", left: { outcome: "not_applied", reason: expect.stringMatching(/before attempt 1/) } });
    expect(refused).toMatchObject({ _tag: "Left", left: { outcome: "not_applied" } });
  });

  it("make a request answer the 503 problem with Retry-After within its deadline (REQUEST_TIMEOUT_MS locally)", async () => {
    const api = await makeTestApi({ stores: dynamoStores({ client: makeLocalClient(endpoint), tableName: "t" }), requestTimeoutMs: 400 });
    const started = Date.now();
    const res = await api.request({ url: "/api/products/p1" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(problemOf(res)).toMatchObject({ status: 503, code: "store_unavailable" });
    expect(res.headers["retry-after"]).toBe("2");
    await api.close();
  });

  it("make a Lambda invoke with little time left answer the 503 problem before the function would time out", async () => {
    Object.assign(process.env, {
      CARTWRIGHT_STORE: "dynamodb",
      TABLE_NAME: "t",
      JWT_SECRET: "deadline-test-secret-deadline-test-secret",
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      LOG_LEVEL: "fatal",
    });
    const { handler } = (await import("../../adapters/lambda/api.js")) as unknown as { handler: (e: unknown, c: unknown) => Promise<HttpApiResult> };
    const remaining = 2_500;
    const invokedAt = Date.now();
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => remaining - (Date.now() - invokedAt) };
    const res = await handler(httpApiEvent("GET", "/api/products/p1"), context);
    const took = Date.now() - invokedAt;
    expect([res.statusCode, JSON.parse(res.body).code]).toEqual([503, "store_unavailable"]);
    expect(took).toBeLessThan(remaining - 1_000);
  });

  it("give a Lambda invocation its remaining time less a margin of 1.5 s", () => {
    expect(lambdaDeadline({ getRemainingTimeInMillis: () => 10_000 }, 0)).toBe(8_500);
    expect(lambdaDeadline({ getRemainingTimeInMillis: () => 500 }, 0)).toBe(100);
  });
});
