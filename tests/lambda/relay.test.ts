import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { marshall } from "@aws-sdk/util-dynamodb";
import { Either } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventItem, productItem } from "../../adapters/dynamodb/items.js";
import { CheckoutOps, type IdempotencyKey, type OrderId, OrderOps, type Timestamp } from "../../domain/index.js";
import { buildLambdas, type BundleReport } from "../../scripts/build.js";
import { startFakeEventBridge, type FakeEventBridge } from "../support/fake-eventbridge.js";
import { customer, line, product } from "../support/fixtures.js";

let outDir: string;
let bundle: BundleReport;
let bus: FakeEventBridge;

const checkout = (orderId: string) => {
  const cart = { customerId: customer("c"), lines: [line("p", { expiresAt: 9_000 as never })] };
  return Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: orderId as OrderId, now: 1_000 as Timestamp }));
};
const placed = (orderId: string) => checkout(orderId).events[0]!;
const paid = (orderId: string) => Either.getOrThrow(OrderOps.transition(checkout(orderId).order, "paid", { userId: customer("admin"), role: "admin" }, 2_000 as Timestamp)).events[0]!;
const record = (eventName: string, sequence: string, item: Record<string, unknown>) => ({
  eventID: sequence,
  eventName,
  eventSource: "aws:dynamodb",
  dynamodb: { SequenceNumber: sequence, NewImage: marshall(item, { removeUndefinedValues: true }) },
});

beforeAll(async () => {
  await mkdir(join(import.meta.dirname, "../../dist"), { recursive: true });
  outDir = await mkdtemp(join(import.meta.dirname, "../../dist/.test-cartwright-relay-")); // inside the repo: @aws-sdk/* resolves from node_modules
  [[bundle], bus] = (await Promise.all([buildLambdas({ outDir, only: ["relay"] }), startFakeEventBridge((e) => e.Detail.includes('"eventId":"o-refused:1"'))])) as [
    [BundleReport],
    FakeEventBridge,
  ];
});
afterAll(async () => {
  await bus.close();
  await rm(outDir, { recursive: true, force: true });
});

describe("the built relay handler (dist/lambda/relay/index.mjs)", () => {
  it("publishes outbox inserts to the bus and reports as batch item failures only the records whose events were refused or unreadable", async () => {
    Object.assign(process.env, { EVENT_BUS_NAME: "cartwright-test", AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint, AWS_REGION: "eu-west-1" });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    const { handler } = (await import(pathToFileURL(bundle.file).href)) as { handler: (event: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> };

    const answer = await handler({
      Records: [
        record("INSERT", "100", eventItem(placed("o-1"))),
        record("MODIFY", "101", productItem(product("p"))),
        record("INSERT", "102", eventItem(placed("o-refused"))),
        record("INSERT", "103", { PK: "EVENT#bad", SK: "EVENT", event: { garbage: true } }),
        record("INSERT", "104", eventItem(placed("o-2"))),
      ],
    });

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "102" }, { itemIdentifier: "103" }] });
    expect(bus.accepted.map((e) => JSON.parse(e.Detail).orderId)).toEqual(["o-1", "o-2"]);
    expect(bus.accepted[0]).toMatchObject({ EventBusName: "cartwright-test", Source: "cartwright.orders", DetailType: "OrderPlaced" });
  });

  it("does not publish an order's later event past one the bus refused: both are reported, to be retried in sequence (invariant: in order per order)", async () => {
    const { handler } = (await import(pathToFileURL(bundle.file).href)) as { handler: (event: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> };
    const before = bus.accepted.length;

    const answer = await handler({
      Records: [record("INSERT", "200", eventItem(placed("o-refused"))), record("INSERT", "201", eventItem(paid("o-refused"))), record("INSERT", "202", eventItem(paid("o-3")))],
    });

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "200" }, { itemIdentifier: "201" }] });
    expect(bus.accepted.slice(before).map((e) => JSON.parse(e.Detail).eventId)).toEqual(["o-3:2"]);
  });
});
