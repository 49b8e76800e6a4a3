import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { Effect, Either, Schema } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { chunk, entryOf, eventBridgeBus, maxBytesPerCall } from "../../adapters/events/eventbridge.js";
import { CheckoutOps, DomainEvent, type IdempotencyKey, type OrderId, type Timestamp } from "../../domain/index.js";
import { startFakeEventBridge, type FakeEventBridge } from "../support/fake-eventbridge.js";
import { customer, line } from "../support/fixtures.js";

const orderPlaced = (i: number, lines = 1): DomainEvent => {
  const cart = { customerId: customer("c"), lines: Array.from({ length: lines }, (_, n) => line(`p${n}`, { expiresAt: 9_000 as never })) };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: `o${i}` as OrderId, now: (1_000 + i) as Timestamp }));
  return plan.events[0]!;
};

let fake: FakeEventBridge | undefined;
afterEach(() => fake?.close());
const busAt = (endpoint: string) =>
  eventBridgeBus(new EventBridgeClient({ endpoint, region: "local", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 }), "cartwright-test");

describe("eventBridgeBus.publish", () => {
  it("sends at most 10 entries and 256 KB a call, detail-type the event type, source cartwright.orders, detail the event", async () => {
    fake = await startFakeEventBridge();
    const events = Array.from({ length: 23 }, (_, i) => orderPlaced(i));

    expect(await Effect.runPromise(busAt(fake.endpoint).publish(events))).toEqual({ failed: [] });

    expect(fake.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(fake.accepted[0]).toMatchObject({ Source: "cartwright.orders", DetailType: "OrderPlaced", EventBusName: "cartwright-test" });
    expect(Schema.decodeUnknownSync(DomainEvent)(JSON.parse(fake.accepted[0]!.Detail))).toEqual(events[0]);
    const big = Array.from({ length: 10 }, (_, i) => entryOf("b", orderPlaced(i, 40)));
    expect(chunk(big).every((c) => c.length <= 10 && c.reduce((n, e) => n + Buffer.byteLength(`${e.Source}${e.DetailType}${e.Detail}`) + 14, 0) <= maxBytesPerCall)).toBe(true);
  });

  it("names the entries a 200 answer refused (FailedEntryCount > 0) and those of a call that failed, and only those", async () => {
    fake = await startFakeEventBridge((entry) => entry.Detail.includes('"orderId":"o3"'), (call) => call === 2);
    const events = Array.from({ length: 25 }, (_, i) => orderPlaced(i));

    const { failed } = await Effect.runPromise(busAt(fake.endpoint).publish(events));

    expect(failed).toEqual(["o3:1", ...events.slice(10, 20).map((e) => e.eventId)]);
    expect(fake.accepted).toHaveLength(25 - 11);
  });
});
