import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Effect, Either } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { httpWebhooks } from "../../adapters/webhooks/http.js";
import { sign, verifyWebhookSignature } from "../../adapters/webhooks/signature.js";
import { CheckoutOps, type IdempotencyKey, type OrderEvent, type OrderId, type Timestamp } from "../../domain/index.js";
import { customer, line } from "../support/fixtures.js";

const secret = "partner-shared-secret-for-tests-000";
const placed = Either.getOrThrow(
  CheckoutOps.plan({ cart: { customerId: customer("c"), lines: [line("p", { expiresAt: 9_000 as never })] }, key: "key-00000001" as IdempotencyKey, orderId: "o-1" as OrderId, now: 1 as Timestamp }),
).events[0] as OrderEvent;

/** A partner that answers each call with the next status of `script` (0: never answers). */
const partner = async (script: ReadonlyArray<number>) => {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Array<Buffer> = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const status = script[received.length - 1] ?? 200;
    if (status !== 0) res.writeHead(status).end();
  }).listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
};
const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((done) => (s.close(done), s.closeAllConnections())))));

const notify = (url: string) => Effect.runPromise(Effect.either(httpWebhooks({ urls: { warehouse: url }, secret, attempts: 3, timeoutMs: 300, backoffMs: 10 }).notify("warehouse", placed)));

describe("httpWebhooks.notify", () => {
  it("POSTs the event as JSON with a signature the documented scheme verifies, and which fails for an altered body or timestamp", async () => {
    const p = await partner([200]);
    expect(Either.isRight(await notify(p.url))).toBe(true);
    const [{ headers, body }] = p.received as [{ headers: IncomingHttpHeaders; body: string }];
    expect(headers).toMatchObject({ "content-type": "application/json", "cartwright-event-id": "o-1:1", "cartwright-event-type": "OrderPlaced" });
    expect(JSON.parse(body)).toMatchObject({ type: "OrderPlaced", orderId: "o-1", sequence: 1 });
    const header = String(headers["cartwright-signature"]);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    const call = { signature: header, eventId: String(headers["cartwright-event-id"]), rawBody: body };
    expect(headers["cartwright-recipient"]).toBe("warehouse");
    expect(verifyWebhookSignature(secret, "warehouse", call, t)).toBe(true);
    expect(verifyWebhookSignature(secret, "warehouse", { ...call, rawBody: body.replace("o-1", "o-2") }, t)).toBe(false);
    expect(verifyWebhookSignature(secret, "warehouse", { ...call, signature: header.replace(`t=${t}`, `t=${t + 1}`) }, t)).toBe(false);
    expect(verifyWebhookSignature(secret, "warehouse", { ...call, eventId: "o-1:9" }, t)).toBe(false);
    expect(verifyWebhookSignature(secret, "delivery", call, t)).toBe(false);
    expect(verifyWebhookSignature(secret, "warehouse", call, t + 301)).toBe(false);
    expect(verifyWebhookSignature("another-secret-of-enough-length-00", "warehouse", call, t)).toBe(false);
    expect(sign(secret, t, "o-1:1", "warehouse", body)).toBe(header);
  });

  it("retries a partner answering 500 or not answering in time, and succeeds when it recovers", async () => {
    const p = await partner([500, 0, 200]);
    expect(Either.isRight(await notify(p.url))).toBe(true);
    expect(p.received).toHaveLength(3);
  });

  it("fails once its attempts are spent, so the queue redelivers and finally dead-letters the message", async () => {
    const p = await partner([500, 503, 502]);
    expect(await notify(p.url)).toMatchObject({ _tag: "Left", left: { _tag: "NotificationFailed", eventId: "o-1:1" } });
    expect(p.received).toHaveLength(3);
  });

  it("does not retry a partner that refuses the call (4xx other than 408 and 429)", async () => {
    const p = await partner([404]);
    expect(await notify(p.url)).toMatchObject({ _tag: "Left", left: { reason: "partner refused with 404" } });
    expect(p.received).toHaveLength(1);
  });

  it("stops at the consumer's deadline: the call in flight is aborted and no retry starts (invariant: no effect outlives its invocation)", async () => {
    const p = await partner([0, 0, 0]);
    // Unbounded, this call would time out at 300 ms and be retried twice within the wait below.
    const slow = httpWebhooks({ urls: { warehouse: p.url }, secret, attempts: 3, timeoutMs: 300, backoffMs: 10 }).notify("warehouse", placed);
    expect(await Effect.runPromise(Effect.either(Effect.timeout(slow, "100 millis")))).toMatchObject({ _tag: "Left", left: { _tag: "TimeoutException" } });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(p.received).toHaveLength(1);
  });
});
