import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Either, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeManualClock, memoryStores } from "../../adapters/memory/layer.js";
import { HttpWebhooks } from "../../adapters/webhooks/http.js";
import { verifyWebhookSignature } from "../../adapters/webhooks/signature.js";
import { CheckoutOps, type DomainEvent, type IdempotencyKey, notifyPartners, type OrderId, OrderOps, partnersFor, type OrderEvent, type OrderStatus, type Timestamp } from "../../domain/index.js";
import { customer, line, uniqueId } from "../support/fixtures.js";

const secret = "partner-shared-secret-for-tests-000";
const admin = { userId: customer("admin"), role: "admin" as const };
const eventsOf = (path: ReadonlyArray<OrderStatus>): Array<OrderEvent> => {
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart: { customerId: customer("c"), lines: [line("p", { expiresAt: 9_000 as never })] }, key: "key-00000001" as IdempotencyKey, orderId: uniqueId("o") as OrderId, now: 1 as Timestamp }));
  let order = plan.order;
  const events = [plan.events[0] as OrderEvent];
  for (const to of path) {
    const t = Either.getOrThrow(OrderOps.transition(order, to, admin, 2 as Timestamp));
    events.push(t.events[0] as OrderEvent);
    order = t.order;
  }
  return events;
};

const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const server = createServer(async (req, res) => {
  const chunks: Array<Buffer> = [];
  for await (const c of req) chunks.push(c as Buffer);
  received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
  res.writeHead(200).end();
}).listen(0, "127.0.0.1");
beforeAll(async () => void (server.listening || (await once(server, "listening"))));
afterAll(() => new Promise((done) => server.close(done)));

describe("partnersFor", () => {
  it("routes each event to the partners that were told of the order: pick to the warehouse, collection to delivery, a cancellation to each partner told", () => {
    const route = (path: ReadonlyArray<OrderStatus>) => eventsOf(path).map((e) => [e.type, partnersFor(e)]);
    expect(route(["paid", "packed", "shipped", "delivered"])).toEqual([
      ["OrderPlaced", []],
      ["OrderPaid", ["warehouse"]],
      ["OrderPacked", ["delivery"]],
      ["OrderShipped", ["delivery"]],
      ["OrderDelivered", []],
    ]);
    expect(route(["cancelled"]).at(-1)).toEqual(["OrderCancelled", []]);
    expect(route(["paid", "cancelled"]).at(-1)).toEqual(["OrderCancelled", ["warehouse"]]);
  });

  it("reads whom a cancellation concerns from the order's history in the event (previousStatus), not from guesses", () => {
    const cancelled = eventsOf(["paid", "cancelled"]).at(-1) as Extract<OrderEvent, { type: "OrderCancelled" }>;
    expect(cancelled.previousStatus).toBe("paid");
    expect(partnersFor({ ...cancelled, previousStatus: "packed" })).toEqual(["warehouse", "delivery"]);
    expect(partnersFor({ ...cancelled, previousStatus: "placed" })).toEqual([]);
  });
});

describe("notifyPartners over signed webhooks", () => {
  it("sends the warehouse a signed OrderCancelled for a paid order it was told to pick (invariant: no refunded order ships)", async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const runtime = ManagedRuntime.make(Layer.mergeAll(memoryStores(), HttpWebhooks({ urls: { warehouse: url }, secret }), makeManualClock().layer));
    const events: Array<DomainEvent> = eventsOf(["paid", "cancelled"]);
    for (const e of events) await runtime.runPromise(notifyPartners(e));
    await runtime.dispose();
    expect(received.map((r) => r.headers["cartwright-event-type"])).toEqual(["OrderPaid", "OrderCancelled"]);
    const { headers, body } = received[1]!;
    const t = Number(/t=(\d+)/.exec(String(headers["cartwright-signature"]))![1]);
    const call = { signature: String(headers["cartwright-signature"]), eventId: String(headers["cartwright-event-id"]), rawBody: body };
    expect(verifyWebhookSignature(secret, "warehouse", call, t)).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ type: "OrderCancelled", orderId: (events[0] as OrderEvent).orderId, previousStatus: "paid" });
  });
});
