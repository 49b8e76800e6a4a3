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
import { lambdaDeadline, requestDeadline } from "../deadline.js";
import { storesFor } from "./stores.js";
import { mediaSettings } from "../media/settings.js";
import { mediaUploads } from "../media/uploads.js";

const config = coldStartConfig(() => loadConfig(process.env, "lambda"));
const media = coldStartConfig(() => mediaUploads(mediaSettings(process.env)));
const runtime = makeAppRuntime({
  stores: storesFor(config),
  holdTtlMs: config.holdTtlMs,
  maxUnitsPerProduct: config.maxUnitsPerProduct,
  maxUnpaidOrders: config.maxUnpaidOrders,
  gateway: paymentsFor(config.payments.settings).layer,
  paymentPolicy: paymentPolicy(config.payments.windowMs, config.payments.manualPayments),
});

// The build copies Swagger UI's assets beside the bundle; unbundled, the package serves its own.
const swaggerUiDir = join(dirname(fileURLToPath(import.meta.url)), "swagger-ui");

const app = await buildApp({
  runtime,
  auth: tokenSettingsOf(config.jwt),
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

type GatewayEvent = { readonly headers?: Record<string, string | undefined>; readonly requestContext?: { readonly requestId?: string } };

/**
 * API Gateway's request id is the request's id (responses, every log line): a client's `x-request-id` would
 * otherwise win inside @fastify/aws-lambda. The client's own id is kept beside it, as `x-client-request-id`.
 */
export const withGatewayRequestId = <E extends GatewayEvent>(event: E): E => {
  const id = event.requestContext?.requestId;
  if (id === undefined) return event;
  const headers = Object.entries(event.headers ?? {}).filter(([name]) => !["x-request-id", "x-client-request-id"].includes(name.toLowerCase()));
  const client = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === "x-request-id")?.[1];
  return { ...event, headers: { ...Object.fromEntries(headers), "x-request-id": id, ...(client === undefined ? {} : { "x-client-request-id": client }) } };
};

/** Each invocation's use cases stop using the store before the function would time out (a 503 problem instead). */
export const handler: typeof proxy = ((event: Parameters<typeof proxy>[0], context: Parameters<typeof proxy>[1]) =>
  requestDeadline.run(lambdaDeadline(context), () => proxy(withGatewayRequestId(event as GatewayEvent) as typeof event, context))) as typeof proxy;

await app.ready();
