/**
 * `npm start`: DynamoDB Local (data kept in .data/dynamodb) + table + demo data + the API on http://localhost:$PORT,
 * and the event flow: the table's stream → relay → an in-process bus → the consumers.
 * `CARTWRIGHT_STORE=memory npm start` runs on the in-memory stores, without Java. Ctrl-C stops everything.
 */
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Layer as LayerType } from "effect";
import type { AppConfig, ConsumerConfig } from "../adapters/config.js";
import type { OutboxSource } from "../adapters/events/local-flow.js";
import type { StoreServices } from "../adapters/http/runtime.js";
import { fail, parseCli, runMain } from "./cli.js";

parseCli("PORT=3000 npm start (settings are environment variables: README.md, Configuration)", { options: {} });
// Flags first: a bad flag or --help answers before the heavy imports load.
const { tokenSettingsOf } = await import("../adapters/signing-keys.js");
const { DescribeTableCommand } = await import("@aws-sdk/client-dynamodb");
const { Effect, Layer } = await import("effect");
const { ConfigError, loadConfig, loadConsumerConfig } = await import("../adapters/config.js");
const { localSideEffects, localSubscribers } = await import("../adapters/consumers/index.js");
const { createTable, ensureStream } = await import("../adapters/dynamodb/create-table.js");
const { startLocalEvents } = await import("../adapters/events/local-flow.js");
const { dynamoStores } = await import("../adapters/dynamodb/layer.js");
const { JavaMissingError, makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { buildApp } = await import("../adapters/http/app.js");
const { s3MediaFiles } = await import("../adapters/media/image-files.js");
const { startLocalMedia } = await import("../adapters/media/local.js");
const { mediaSettings } = await import("../adapters/media/settings.js");
const { mediaUploads } = await import("../adapters/media/uploads.js");
const { makeAppRuntime } = await import("../adapters/http/runtime.js");
const { makeMemoryDb, memoryStores } = await import("../adapters/memory/layer.js");
const { demoUsers } = await import("../adapters/seed/catalog.js");
const { seedDemoData } = await import("../adapters/seed/seed.js");
const { paymentsFor } = await import("../adapters/payments/layer.js");
const { registerSimulator } = await import("../adapters/payments/simulator-route.js");
const { paymentPolicy } = await import("../adapters/system.js");
const { expireUnpaidOrders, MediaFiles, refundOwedPayments, releaseExpiredHolds, sweepImages } = await import("../domain/index.js");
const { registerLocalPages } = await import("../adapters/local/pages.js");
const { fileWebhookLog, memoryWebhookLog } = await import("../adapters/local/webhook-log.js");
const { localWebhookSecret, localWebhookSecretFile } = await import("../adapters/local/webhook-secret.js");

const dataDir = ".data/dynamodb";

interface Store {
  readonly layer: LayerType.Layer<StoreServices>;
  readonly outbox: OutboxSource;
  readonly description: string;
  readonly stop: () => Promise<void>;
}

const tableExists = async (client: DynamoDBClient, tableName: string): Promise<boolean> =>
  client.send(new DescribeTableCommand({ TableName: tableName })).then(
    () => true,
    (error: { name?: string }) => (error.name === "ResourceNotFoundException" ? false : Promise.reject(error)),
  );

const openStore = async (config: AppConfig): Promise<Store> => {
  if (config.store === "memory") {
    const db = makeMemoryDb();
    return { layer: memoryStores(db), outbox: { kind: "memory", db }, description: "in memory (gone when this process ends)", stop: async () => {} };
  }
  // DYNAMODB_ENDPOINT: use a DynamoDB someone else runs; otherwise launch DynamoDB Local on a free port.
  const local = config.dynamodbEndpoint === undefined ? await mkdir(dataDir, { recursive: true }).then(() => startDynamoLocal({ dataDir })) : undefined;
  const endpoint = config.dynamodbEndpoint ?? local?.endpoint ?? "";
  const client = makeLocalClient(endpoint);
  if (!(await tableExists(client, config.tableName))) await createTable(client, config.tableName);
  await ensureStream(client, config.tableName);
  const where = local ? `DynamoDB Local at ${endpoint}, data in ${dataDir}` : `DynamoDB at ${endpoint}`;
  return {
    layer: dynamoStores({ client, tableName: config.tableName }),
    outbox: { kind: "dynamodb", client, endpoint, tableName: config.tableName },
    description: `${where}, table ${config.tableName}`,
    stop: async () => {
      client.destroy();
      await local?.stop();
    },
  };
};

const webhooksLine = (c: ConsumerConfig) =>
  Object.keys(c.webhooks.urls).length === 0
    ? "logged, not sent (set WAREHOUSE_WEBHOOK_URL / DELIVERY_WEBHOOK_URL to POST them)"
    : `${Object.entries(c.webhooks.urls).map(([p, u]) => `${p} → ${u}`).join(", ")}, signed with each partner's secret (WAREHOUSE_WEBHOOK_SECRET / DELIVERY_WEBHOOK_SECRET, else WEBHOOK_SECRET)`;

const secretLine = (c: ConsumerConfig) => {
  const own = (["warehouse", "delivery"] as const).filter((p) => process.env[`${p.toUpperCase()}_WEBHOOK_SECRET`]);
  const from = process.env["WEBHOOK_SECRET"] ? "WEBHOOK_SECRET" : localWebhookSecretFile;
  return `${c.webhooks.secret}  (from ${from}${own.map((p) => `; ${p}: ${p.toUpperCase()}_WEBHOOK_SECRET`).join("")})`;
};

const paymentsLine = (c: AppConfig) =>
  c.payments.settings.provider === "stripe"
    ? `Stripe (${"secretKey" in c.payments.settings && c.payments.settings.secretKey.startsWith("sk_test_") ? "test mode" : "LIVE"}); forward webhooks: stripe listen --forward-to localhost:${c.port}/webhooks/payments`
    : `simulated: POST /api/orders/:id/payment, then \`npm run pay -- <orderId>\` (--fail to decline); unpaid orders cancelled after ${c.payments.windowMs / 60_000} min`;

const banner = (config: AppConfig, events: ConsumerConfig, url: string, store: string) =>
  [
    "",
    `  Cartwright API   ${url}`,
    `  Swagger UI       ${url}/docs`,
    `  OpenAPI          ${url}/openapi.json`,
    `  Store            ${store}`,
    `  Holds last       ${config.holdTtlMs / 1000} s`,
    `  Home             ${url}/  (docs, inbox, webhook log, demo logins)`,
    `  Events           ${url}/api/admin/events (admin)`,
    `  Mail             ${url}/local/inbox  (.eml files in ${events.mailDir}/)`,
    `  Partner webhooks ${url}/local/webhooks  ${webhooksLine(events)}`,
    `  Webhook secret   ${secretLine(events)}`,
    `  Payments         ${paymentsLine(config)}`,
    `  Demo logins      ${demoUsers.customer.email} / ${demoUsers.customer.password}  (customer)`,
    `                   ${demoUsers.admin.email} / ${demoUsers.admin.password}  (admin)`,
    "  Tokens           signed with a per-run random secret unless JWT_SECRET is set: log in again after a restart",
    "",
  ].join("\n");

const portInUse = (port: number) => `Port ${port} is in use: stop what listens there, or start on another one with PORT=<port> npm start`;

/** Fails fast, before DynamoDB Local and the seed, when the port is taken (listen below still catches a race). */
const checkPortFree = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" ? fail(portInUse(port)) : reject(error)));
    probe.listen({ host: "localhost", port }, () => probe.close(() => resolve()));
  });

const main = async () => {
  // Stable across restarts (kept under .data/) and printed, so a developer can verify the signatures.
  const webhookSecret = process.env["WEBHOOK_SECRET"] ? process.env["WEBHOOK_SECRET"] : await localWebhookSecret();
  const [config, eventsConfig] = (() => {
    try {
      return [loadConfig(process.env, "local"), loadConsumerConfig({ ...process.env, WEBHOOK_SECRET: webhookSecret }, "local")] as const;
    } catch (error) {
      return error instanceof ConfigError ? fail(error.message) : Promise.reject(error);
    }
  })() as readonly [AppConfig, ConsumerConfig];
  if (config.port !== 0) await checkPortFree(config.port);
  const store = await openStore(config).catch((error: unknown) => (error instanceof JavaMissingError ? fail(error.message) : Promise.reject(error)));
  const payments = paymentsFor(
    config.payments.settings.provider === "simulated" ? { ...config.payments.settings, ledgerFile: config.store === "dynamodb" ? ".data/simulated-payments.json" : undefined } : config.payments.settings,
  );
  const runtime = makeAppRuntime({
    stores: store.layer,
    holdTtlMs: config.holdTtlMs,
    maxUnitsPerProduct: config.maxUnitsPerProduct,
    maxUnpaidOrders: config.maxUnpaidOrders,
    maxHoldAgeMs: config.maxHoldAgeMs,
    gateway: payments.layer,
    paymentPolicy: paymentPolicy(config.payments.windowMs, config.payments.manualPayments),
  });
  // The S3 emulator with the validator on its events: the same upload flow as on AWS, offline.
  const settings = mediaSettings(process.env);
  const media = await startLocalMedia({
    directory: ".data/s3",
    port: config.port === 0 ? 0 : 4569,
    validator: { maxUploadBytes: settings.maxUploadBytes, run: (e) => runtime.runPromise(e) },
    onOutcome: (key, outcome) => console.log(JSON.stringify({ msg: "upload validated", key, ...outcome })),
    onError: (key, error) => console.error(JSON.stringify({ msg: "upload validation failed", key, cause: String(error) })),
  });
  const uploads = mediaUploads({ ...settings, bucket: media.bucket, endpoint: media.endpoint, baseUrl: media.baseUrl });
  const app = await buildApp({ runtime, auth: config.cognito ? { cognito: config.cognito } : tokenSettingsOf(config.jwt), corsOrigins: config.corsOrigins, logger: { level: config.logLevel }, requestTimeoutMs: config.requestTimeoutMs, authLimits: config.authLimits, docs: { enabled: config.docs }, media: uploads });
  let selfUrl = `http://localhost:${config.port}`;
  if (payments.ledger && payments.webhookSecret) registerSimulator(app, payments.ledger, payments.webhookSecret, () => selfUrl);
  const log = ({ level, msg, ...rest }: Record<string, unknown>) => app.log[level === "error" ? "error" : level === "warn" ? "warn" : "info"](rest, String(msg));
  // Kept beside the data when the data is kept (DynamoDB Local), like the mail; in memory mode it ends with the process.
  const webhookLog = config.store === "dynamodb" ? fileWebhookLog(".data/webhooks.jsonl", log) : memoryWebhookLog();
  const logins = [{ role: "customer", ...demoUsers.customer }, { role: "admin", ...demoUsers.admin }];
  registerLocalPages(app, { mailDir: eventsConfig.mailDir, webhooks: webhookLog, logins });
  // What the sweeper Lambdas do on AWS: expired holds released, unpaid orders cancelled, owed refunds made; and the image
  // sweep (expired uploads, archived products' images, owed files deleted from the emulator), every minute here.
  const imageSweep = sweepImages(1000, { archivedRetentionMs: settings.archivedRetentionDays * 24 * 60 * 60 * 1000 }).pipe(
    Effect.provideService(MediaFiles, s3MediaFiles(media.s3, media.bucket)),
  );
  const sweeper = setInterval(() => {
    runtime
      .runPromise(Effect.all([releaseExpiredHolds(1000), expireUnpaidOrders(1000), refundOwedPayments(1000), imageSweep]))
      .then(([released, unpaid, refunds, images]) => {
        const imagesDone = images.expired + images.archived + images.deleted + images.failed;
        if (released.released + unpaid.expired + refunds.settled + refunds.failed + imagesDone > 0) app.log.info({ released, unpaid, refunds, images }, "sweep");
      })
      .catch((error: unknown) => app.log.warn({ err: error }, "sweep failed"));
  }, 60_000);
  sweeper.unref();
  const logEvent = { name: "log", handle: async (e: { type: string; eventId: string }) => app.log.info({ type: e.type, eventId: e.eventId }, "event published") };
  const consumers = localSubscribers(Layer.mergeAll(store.layer, localSideEffects(eventsConfig, log, webhookLog.record)));
  const events = startLocalEvents(store.outbox, [logEvent, ...consumers.subscribers], log, { checkpointFile: ".data/stream-checkpoint.json" });

  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    clearInterval(sweeper);
    await app.close().catch(() => {});
    await events.stop().catch(() => {});
    await consumers.dispose().catch(() => {});
    await media.stop().catch(() => {});
    await runtime.dispose().catch(() => {});
    await store.stop();
    process.exit(exitCode);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    const seeded = await runtime.runPromise(seedDemoData());
    app.log.info(seeded, "demo data seeded");
    await app.listen({ host: "localhost", port: config.port });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    console.error(e.code === "EADDRINUSE" ? portInUse(config.port) : (e.message ?? String(error)));
    await shutdown("startup failure", 1);
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  selfUrl = `http://localhost:${port}`;
  console.log(banner(config, eventsConfig, selfUrl, store.description));
  console.log(`Product images: S3 emulator at ${media.endpoint} (files in .data/s3), served from ${media.baseUrl}/images/…; upload: POST /api/admin/products/{id}/images, then curl the form (Swagger: admin: catalog)`);
};

await runMain(main);
