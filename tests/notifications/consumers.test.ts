import { Either, type Layer } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { memoryStores } from "../../adapters/memory/layer.js";
import type { EventReceipts, UserStore } from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { consumerHarness } from "./harness.js";

const subjects = (h: { sent: ReadonlyArray<{ subject: string }> }) => h.sent.map((m) => m.subject.split(" ")[0] === "Order" ? m.subject.split(" ").at(-1) : m.subject.split(" ")[0]);

describe("emailCustomer and notifyPartners", () => {
  it("send one email and one webhook call for an event delivered three times (invariant: effect exactly once)", async () => {
    const h = await consumerHarness(memoryStores());
    const [placed, paid] = h.order(["paid"]);
    await h.consume(placed!);
    for (let i = 0; i < 3; i++) expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect(h.sent.map((m) => m.subject)).toEqual([expect.stringContaining("confirmed"), expect.stringContaining("Payment received")]);
    expect(h.calls.map((c) => [c.partner, c.type])).toEqual([["warehouse", "OrderPaid"]]);
  });

  it("make an event that arrives ahead of its predecessor wait, then act on both in sequence (invariant: nothing dropped, in order per order)", async () => {
    const h = await consumerHarness(memoryStores());
    const [placed, paid, cancelled] = h.order(["paid", "cancelled"]);
    await h.consume(placed!);
    expect(await h.consume(cancelled!)).toMatchObject([
      { _tag: "Left", left: { _tag: "NotificationOutOfOrder", consumer: "email", sequence: 3, expected: 2 } },
      { _tag: "Left", left: { _tag: "NotificationOutOfOrder", consumer: "fulfilment", sequence: 3, expected: 2 } },
    ]);
    expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect((await h.consume(cancelled!)).every(Either.isRight)).toBe(true);
    expect(subjects(h)).toEqual(["confirmed", "Payment", "cancelled"]);
    expect(h.calls.map((c) => [c.partner, c.type])).toEqual([["warehouse", "OrderPaid"], ["warehouse", "OrderCancelled"]]);
  });

  it("fail, record nothing as done, and succeed on the redelivery once the mail service or partner is back (nothing lost)", async () => {
    const h = await consumerHarness(memoryStores());
    const [placed, paid] = h.order(["paid"]);
    await h.consume(placed!);
    h.faults.mail = 1;
    h.faults.partner = 1;
    expect(await h.consume(paid!)).toMatchObject([
      { _tag: "Left", left: { _tag: "NotificationFailed", consumer: "email", reason: "SES throttled" } },
      { _tag: "Left", left: { _tag: "NotificationFailed", reason: "partner answered 500" } },
    ]);
    expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect(h.sent).toHaveLength(2);
    expect(h.calls.map((c) => [c.partner, c.type])).toEqual([["warehouse", "OrderPaid"]]);
  });

  it("send a cancellation to no partner when the order was never paid (nobody was told of it)", async () => {
    const h = await consumerHarness(memoryStores());
    for (const e of h.order(["cancelled"])) expect((await h.consume(e)).every(Either.isRight)).toBe(true);
    expect(h.calls).toEqual([]);
  });
});

let table: FreshTable;
beforeAll(async () => void (table = await freshTable()));
afterAll(() => deleteTable(table));

const storesOf: Record<string, () => Layer.Layer<UserStore | EventReceipts>> = {
  memory: () => memoryStores(),
  "DynamoDB Local": () => dynamoStores({ client: table.client, tableName: table.tableName }),
};

describe.each(Object.keys(storesOf))("the consumers on %s receipts (issue 17 regressions)", (store) => {
  const harness = () => consumerHarness(storesOf[store]!());

  it("still send the OrderPlaced email that failed once after OrderPaid was delivered meanwhile (invariant: no event dropped)", async () => {
    const h = await harness();
    const [placed, paid] = h.order(["paid"]);
    h.faults.mail = 1;
    expect(await h.email(placed!)).toMatchObject({ _tag: "Left", left: { _tag: "NotificationFailed" } });
    expect(await h.email(paid!)).toMatchObject({ _tag: "Left", left: { _tag: "NotificationOutOfOrder", sequence: 2, expected: 1 } });
    expect(await h.email(placed!)).toMatchObject({ _tag: "Right", right: "done" });
    expect(await h.email(paid!)).toMatchObject({ _tag: "Right", right: "done" });
    expect(subjects(h)).toEqual(["confirmed", "Payment"]);
  });

  it("still send the paid email that failed once after the order was packed meanwhile (an event without an email waits too)", async () => {
    const h = await harness();
    const [placed, paid, packed] = h.order(["paid", "packed"]);
    await h.email(placed!);
    h.faults.mail = 1;
    expect(Either.isLeft(await h.email(paid!))).toBe(true);
    expect(await h.email(packed!)).toMatchObject({ _tag: "Left", left: { _tag: "NotificationOutOfOrder", sequence: 3, expected: 2 } });
    expect(await h.email(paid!)).toMatchObject({ _tag: "Right", right: "done" });
    expect(await h.email(packed!)).toMatchObject({ _tag: "Right", right: "skipped" });
    expect(await h.email(paid!)).toMatchObject({ _tag: "Right", right: "duplicate" });
    expect(subjects(h)).toEqual(["confirmed", "Payment"]);
  });

  it("hold the delivery partner's call until the warehouse's, which failed, went through (invariant: partners hear an order in sequence)", async () => {
    const h = await harness();
    const [placed, paid, packed] = h.order(["paid", "packed"]);
    await h.fulfilment(placed!);
    h.faults.partner = 1;
    expect(Either.isLeft(await h.fulfilment(paid!))).toBe(true);
    expect(Either.isLeft(await h.fulfilment(packed!))).toBe(true);
    expect(Either.isRight(await h.fulfilment(paid!))).toBe(true);
    expect(Either.isRight(await h.fulfilment(packed!))).toBe(true);
    expect(h.calls.map((c) => [c.partner, c.type])).toEqual([["warehouse", "OrderPaid"], ["delivery", "OrderPacked"]]);
  });

  it("tell the warehouse of the cancellation of an order it was told to pick (invariant: partners hear every change to what they were told)", async () => {
    const h = await harness();
    for (const e of h.order(["paid", "cancelled"])) expect(Either.isRight(await h.fulfilment(e))).toBe(true);
    expect(h.calls.map((c) => [c.partner, c.type])).toEqual([["warehouse", "OrderPaid"], ["warehouse", "OrderCancelled"]]);
  });

  it("abort a send that would outlast the invocation, so its redelivery sends the only email (invariant: no duplicate from a deadline)", async () => {
    const h = await harness();
    const [placed] = h.order([]);
    const started = Date.now();
    h.deadline.at = started + 2_200;
    h.faults.mailMs = 2_500;
    expect(await h.email(placed!)).toMatchObject({ _tag: "Left", left: { _tag: "NotificationFailed", reason: expect.stringContaining("invocation deadline") } });
    h.clock.advance(5 * 60_000); // past any lease: the message comes back after its visibility timeout
    h.deadline.at = undefined;
    h.faults.mailMs = 0;
    expect(await h.email(placed!)).toMatchObject({ _tag: "Right", right: "done" });
    await new Promise((resolve) => setTimeout(resolve, started + 2_600 - Date.now())); // an unaborted send would have finished
    expect(subjects(h)).toEqual(["confirmed"]);
  });

  it("start no effect with too little of the invocation left, and send on a later delivery", async () => {
    const h = await harness();
    const [placed] = h.order([]);
    h.deadline.at = Date.now() + 1_500;
    expect(await h.email(placed!)).toMatchObject({ _tag: "Left", left: { _tag: "NotificationOutOfTime", consumer: "email" } });
    expect(h.sent).toEqual([]);
    h.deadline.at = undefined;
    expect(await h.email(placed!)).toMatchObject({ _tag: "Right", right: "done" });
    expect(h.sent).toHaveLength(1);
  });
});
