/** Lambda entry (API Gateway HTTP API, payload v2): the same Fastify app as `npm start`, built once per cold start. */
import { tokenSettingsOf } from "../signing-keys.js";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import awsLambdaFastify from "@fastify/aws-lambda";
import { loadConfig } from "../config.js";
import { buildApp } from "../http/app.js";
import { makeAppRuntime } from "../http/runtime.js";
import { paymentsFor } from "../payments/layer.js";
import { paymentPolicy } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { lambdaDeadline, oneRequestAtATime, requestDeadline } from "../deadline.js";
import { storesFor } from "./stores.js";
import { mediaSettings } from "../media/settings.js";
import { mediaUploads } from "../media/uploads.js";

oneRequestAtATime();
const config = coldStartConfig(() => loadConfig(process.env, "lambda"));
const media = coldStartConfig(() => mediaUploads(mediaSettings(process.env)));
const runtime = makeAppRuntime({
  stores: storesFor(config),
  holdTtlMs: config.holdTtlMs,
  maxUnitsPerProduct: config.maxUnitsPerProduct,
  maxUnpaidOrders: config.maxUnpaidOrders,
  maxHoldAgeMs: config.maxHoldAgeMs,
  gateway: paymentsFor(config.payments.settings).layer,
  paymentPolicy: paymentPolicy(config.payments.windowMs, config.payments.manualPayments),
});

// The build copies Swagger UI's assets beside the bundle; unbundled, the package serves its own.
const swaggerUiDir = join(dirname(fileURLToPath(import.meta.url)), "swagger-ui");

/** The app is built on the first invoke: CommonJS (the bundle a code cache can serve) has no top-level await. */
const start = async () => {
  const app = await buildApp({
    runtime,
    auth: config.cognito ? { cognito: config.cognito } : tokenSettingsOf(config.jwt),
    corsOrigins: config.corsOrigins,
    logger: { level: config.logLevel },
    authLimits: config.authLimits,
    docs: { enabled: config.docs, staticDir: existsSync(swaggerUiDir) ? swaggerUiDir : undefined },
    media,
  });
  const proxy = awsLambdaFastify(app, {
    binaryMimeTypes: ["image/png"],
    // Query values are taken as sent: "a,b" is one value, as it is locally.
    parseCommaSeparatedQueryParams: false,
    decorateRequest: false,
  });
  await app.ready();
  return proxy;
};
type Proxy = Awaited<ReturnType<typeof start>>;
let started: Promise<Proxy> | undefined;
const ready = () =>
  (started ??= start().catch((error: unknown) => {
    started = undefined;
    throw error;
  }));

type GatewayEvent = { readonly headers?: Record<string, string | undefined>; readonly requestContext?: { readonly requestId?: string } };

/**
 * API Gateway's request id is the request's id (responses, every log line): a client's `x-request-id` would
 * otherwise win inside @fastify/aws-lambda. The client's own id is kept beside it, as `x-client-request-id`.
 */
export const withGatewayRequestId = <E extends GatewayEvent>(event: E): E => {
  const id = event.requestContext?.requestId;
  if (id === undefined) return event;
  // One pass over the headers: this runs on every invoke.
  const headers: Record<string, string | undefined> = {};
  let client: string | undefined;
  for (const name in event.headers) {
    const lower = name.toLowerCase();
    if (lower === "x-request-id") client ??= event.headers[name];
    else if (lower !== "x-client-request-id") headers[name] = event.headers[name];
  }
  headers["x-request-id"] = id;
  if (client !== undefined) headers["x-client-request-id"] = client;
  return { ...event, headers };
};

/** Each invocation's use cases stop using the store before the function would time out (a 503 problem instead). */
export const handler = async (event: Parameters<Proxy>[0], context: Parameters<Proxy>[1]): Promise<Awaited<ReturnType<Proxy>>> => {
  const deadline = lambdaDeadline(context);
  const proxy = await ready();
  return requestDeadline.run(deadline, () => proxy(withGatewayRequestId(event as GatewayEvent) as typeof event, context)) as Promise<Awaited<ReturnType<Proxy>>>;
};

/** What a code cache is trained on (bootstrap.ts): read-only requests through the app, the store included. */
export const trainingEvents = ["/health", "/api/products?limit=1", "/api/products/code-cache-training"].map((path) => ({
  version: "2.0",
  routeKey: "$default",
  rawPath: path.split("?")[0],
  rawQueryString: path.split("?")[1] ?? "",
  headers: { host: "training.invalid", accept: "application/json" },
  requestContext: { http: { method: "GET", path: path.split("?")[0], protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "code-cache-training" }, requestId: `code-cache-training-${path}`, routeKey: "$default", stage: "$default", timeEpoch: 0 },
  isBase64Encoded: false,
}));
