import { once } from "node:events";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Effect, Either } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpWebhooks } from "../../adapters/webhooks/http.js";
import { sign } from "../../adapters/webhooks/signature.js";
import { CheckoutOps, type IdempotencyKey, type OrderEvent, type OrderId, type Timestamp } from "../../domain/index.js";
import { customer, line } from "../support/fixtures.js";

type Verify = (secret: string, me: string, headers: Record<string, string | undefined>, rawBody: string, nowSeconds?: number) => boolean;

/** The verifier exactly as adapters/webhooks/README.md publishes it to partners. */
const documentedVerifier = async (): Promise<Verify> => {
  const readme = await readFile(new URL("../../adapters/webhooks/README.md", import.meta.url), "utf8");
  const block = /## Verifying a call[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error("no verifier example in adapters/webhooks/README.md");
  const file = join(await mkdtemp(join(tmpdir(), "verifier-")), "verify.mjs");
  await writeFile(file, block);
  return ((await import(pathToFileURL(file).href)) as { verify: Verify }).verify;
};

const secrets = { warehouse: "warehouse-own-secret-0000000000000000", delivery: "delivery-own-secret-00000000000000000" };
const event = Either.getOrThrow(
  CheckoutOps.plan({ cart: { customerId: customer("c"), lines: [line("p", { expiresAt: 9_000 as never })] }, key: "key-00000001" as IdempotencyKey, orderId: "o-1" as OrderId, now: 1 as Timestamp }),
).events[0] as OrderEvent;

let verify: Verify;
let received: Array<{ headers: IncomingHttpHeaders; body: string }>;
let server: ReturnType<typeof createServer>;
let url: string;
beforeAll(async () => {
  verify = await documentedVerifier();
  received = [];
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end();
  }).listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** What Cartwright sends a partner, as that partner receives it. */
const delivered = async (partner: "warehouse" | "delivery") => {
  received.length = 0;
  const webhooks = httpWebhooks({ urls: { [partner]: url }, secret: "unused", secretFor: async (p) => secrets[p], attempts: 1, timeoutMs: 2_000 });
  expect(Either.isRight(await Effect.runPromise(Effect.either(webhooks.notify(partner, event))))).toBe(true);
  const [call] = received;
  return { headers: call!.headers as Record<string, string>, body: call!.body };
};

describe("The documented webhook verifier", () => {
  it("accepts what Cartwright sends a partner, signed with that partner's own secret", async () => {
    const call = await delivered("warehouse");
    expect(call.headers["cartwright-recipient"]).toBe("warehouse");
    expect(verify(secrets.warehouse, "warehouse", call.headers, call.body)).toBe(true);
  });

  it("refuses a call the delivery partner passes on, or forges, for the warehouse (invariant: no partner can speak for another)", async () => {
    const genuine = await delivered("delivery");
    const now = Math.floor(Date.now() / 1000);
    // Passed on as received, headers and all.
    expect(verify(secrets.warehouse, "warehouse", genuine.headers, genuine.body)).toBe(false);
    // Forged as an OrderPaid for the warehouse with the only secret the delivery partner has.
    const paid = genuine.body.replace('"OrderPlaced"', '"OrderPaid"');
    const forged = { ...genuine.headers, "cartwright-recipient": "warehouse", "cartwright-event-type": "OrderPaid", "cartwright-signature": sign(secrets.delivery, now, "o-1:9", "warehouse", paid), "cartwright-event-id": "o-1:9" };
    expect(verify(secrets.warehouse, "warehouse", forged, paid)).toBe(false);
    // Even were both partners given one secret (the old scheme), a relayed call names the wrong recipient.
    const shared = "one-secret-for-both-partners-000000000";
    const relayed = { ...genuine.headers, "cartwright-signature": sign(shared, now, String(genuine.headers["cartwright-event-id"]), "delivery", genuine.body) };
    expect(verify(shared, "delivery", relayed, genuine.body)).toBe(true);
    expect(verify(shared, "warehouse", relayed, genuine.body)).toBe(false);
  });

  it("refuses a swapped dedupe key, an altered body and a replay older than 5 minutes", async () => {
    const call = await delivered("warehouse");
    const t = Number(/t=(\d+)/.exec(call.headers["cartwright-signature"]!)![1]);
    expect(verify(secrets.warehouse, "warehouse", { ...call.headers, "cartwright-event-id": "o-1:2" }, call.body)).toBe(false);
    expect(verify(secrets.warehouse, "warehouse", call.headers, call.body.replace("o-1", "o-2"))).toBe(false);
    expect(verify(secrets.warehouse, "warehouse", call.headers, call.body, t + 301)).toBe(false);
  });
});
