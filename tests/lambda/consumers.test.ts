import { once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Effect, Either, Layer, Schema } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { CheckoutOps, DomainEvent, OrderOps, UserStore, type IdempotencyKey, type OrderId, type Timestamp, type UserId } from "../../domain/index.js";
import { buildLambdas, type BundleReport } from "../../scripts/build.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { customer, line } from "../support/fixtures.js";

type Handler = (event: unknown, context: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;
let outDir: string;
let bundles: Record<string, BundleReport>;
let table: FreshTable;
const mails: Array<string> = [];
/** SES refusals to come (each send answered 400 MessageRejected while above 0). */
const ses = { refusals: 0 };
const hooks: Array<string> = [];
const servers: Array<ReturnType<typeof createServer>> = [];

const listen = async (record: (url: string, body: string) => void) => {
  const server = createServer(async (req, res) => {
    const chunks: Array<Buffer> = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url?.includes("outbound-emails") && ses.refusals-- > 0)
      return void res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "MessageRejected" }).end(JSON.stringify({ message: "rejected" }));
    record(req.url ?? "", Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ MessageId: "m" }));
  }).listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const buyer = "lambda-buyer" as UserId;
const events = (orderId = "o-lambda") => {
  const cart = { customerId: buyer, lines: [line("p", { expiresAt: 9_000 as never })] };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: orderId as OrderId, now: 1 as Timestamp }));
  const paid = Either.getOrThrow(OrderOps.transition(plan.order, "paid", { userId: customer("admin"), role: "admin" }, 2 as Timestamp));
  return [plan.events[0]!, paid.events[0]!];
};
const sqsRecord = (id: string, body: string) => ({ messageId: id, receiptHandle: id, body, attributes: {}, messageAttributes: {}, md5OfBody: "", eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:eu-west-1:1:q", awsRegion: "eu-west-1" });
const fromBus = (e: DomainEvent) => JSON.stringify({ version: "0", "detail-type": e.type, source: "cartwright.orders", detail: Schema.encodeSync(DomainEvent)(e) });

beforeAll(async () => {
  await mkdir(join(import.meta.dirname, "../../dist"), { recursive: true });
  outDir = await mkdtemp(join(import.meta.dirname, "../../dist/.test-cartwright-consumers-")); // inside the repo: @aws-sdk/* resolves from node_modules
  const [reports, fresh] = await Promise.all([buildLambdas({ outDir, only: ["email", "fulfilment"] }), freshTable()]);
  bundles = Object.fromEntries(reports.map((r) => [r.name, r]));
  table = fresh;
  const stores = dynamoStores({ client: table.client, tableName: table.tableName });
  await Effect.runPromise(Effect.flatMap(UserStore, (u) => u.create({ id: buyer, email: "buyer@example.com" as never, name: "Bea", role: "customer", passwordHash: "x", createdAt: 0 as Timestamp })).pipe(Effect.provide(stores as Layer.Layer<UserStore>)));
  const sesUrl = await listen((url, body) => url.includes("outbound-emails") && mails.push(Buffer.from(JSON.parse(body).Content.Raw.Data, "base64").toString("utf8")));
  const warehouse = await listen((_url, body) => hooks.push(body));
  Object.assign(process.env, {
    CARTWRIGHT_STORE: "dynamodb",
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    MAIL_FROM: "orders@shop.example.com",
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    WAREHOUSE_WEBHOOK_URL: `${warehouse}/hook`,
    WEBHOOK_SECRET: "a-webhook-secret-of-at-least-32-chars",
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  });
});
afterAll(async () => {
  for (const s of servers) s.close();
  await deleteTable(table);
  await rm(outDir, { recursive: true, force: true });
});

describe("the built consumer handlers (dist/lambda/email, dist/lambda/fulfilment)", () => {
  it("consume each message of an SQS batch once, and report as a batch item failure only the one that fails", async () => {
    const [placed, paid] = events();
    const batch = { Records: [sqsRecord("m-1", fromBus(placed!)), sqsRecord("m-2", "{not json"), sqsRecord("m-3", fromBus(paid!)), sqsRecord("m-4", fromBus(paid!))] };
    const email = ((await import(pathToFileURL(bundles.email!.file).href)) as { handler: Handler }).handler;
    const fulfilment = ((await import(pathToFileURL(bundles.fulfilment!.file).href)) as { handler: Handler }).handler;

    expect(await email(batch, {})).toEqual({ batchItemFailures: [{ itemIdentifier: "m-2" }] });
    expect(await fulfilment(batch, {})).toEqual({ batchItemFailures: [{ itemIdentifier: "m-2" }] });

    expect(mails.map((m) => /Subject: (.*)/.exec(m)?.[1])).toEqual(["Order o-lambda confirmed", "Payment received for order o-lambda"]);
    expect(mails[0]).toContain("To: Bea <buyer@example.com>");
    expect(hooks.map((h) => JSON.parse(h).type)).toEqual(["OrderPaid"]);
  });

  it("do not run an order's later events in a batch after an earlier one of that order failed; both are redelivered and then go in sequence", async () => {
    const [placed, paid] = events("o-lambda-held");
    const email = ((await import(pathToFileURL(bundles.email!.file).href)) as { handler: Handler }).handler;
    const before = mails.length;
    ses.refusals = 1;
    const batch = { Records: [sqsRecord("h-1", fromBus(placed!)), sqsRecord("h-2", fromBus(paid!))] };
    expect(await email(batch, {})).toEqual({ batchItemFailures: [{ itemIdentifier: "h-1" }, { itemIdentifier: "h-2" }] });
    expect(mails.length - before).toBe(0);
    expect(await email(batch, {})).toEqual({ batchItemFailures: [] });
    expect(mails.slice(before).map((m) => /Subject: (.*)/.exec(m)?.[1])).toEqual(["Order o-lambda confirmed", "Payment received for order o-lambda"]);
  });

  it("take a batch's events of one order in sequence whatever order SQS gives them in (no needless wait)", async () => {
    const [placed, paid] = events("o-lambda-reversed");
    const fulfilment = ((await import(pathToFileURL(bundles.fulfilment!.file).href)) as { handler: Handler }).handler;
    const before = hooks.length;
    expect(await fulfilment({ Records: [sqsRecord("r-2", fromBus(paid!)), sqsRecord("r-1", fromBus(placed!))] }, {})).toEqual({ batchItemFailures: [] });
    expect(hooks.slice(before).map((h) => JSON.parse(h).orderId)).toEqual(["o-lambda-reversed"]);
  });

  it("start no effect with too little of the invocation left (the deadline reaches the effects), and send on the next delivery", async () => {
    const [placed] = events("o-lambda-late");
    const email = ((await import(pathToFileURL(bundles.email!.file).href)) as { handler: Handler }).handler;
    const before = mails.length;
    const batch = { Records: [sqsRecord("d-1", fromBus(placed!))] };
    expect(await email(batch, { getRemainingTimeInMillis: () => 3_000 })).toEqual({ batchItemFailures: [{ itemIdentifier: "d-1" }] });
    expect(mails.length - before).toBe(0);
    expect(await email(batch, { getRemainingTimeInMillis: () => 30_000 })).toEqual({ batchItemFailures: [] });
    expect(mails.length - before).toBe(1);
  });
});
