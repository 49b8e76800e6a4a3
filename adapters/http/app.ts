/** The one Fastify app: `npm start` listens with it, the Lambda entry wraps it. */
import { randomUUID } from "node:crypto";
import cors from "@fastify/cors";
import { destination } from "pino";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from "fastify";
import type { ScryptParams } from "./auth/password.js";
import type { SourcedTokenSettings, TokenSettings } from "./auth/tokens.js";
import { identityOf, type CognitoAuth } from "../identity/of.js";
import { serveDocs, type DocsOptions } from "./docs.js";
import { frameworkErrors, installErrorHandling } from "./error-handler.js";
import type { MediaUploads, RouteDeps } from "./route.js";
import { declareRoutes } from "./routes/index.js";
import { type AppRuntime, runWith } from "./runtime.js";
import { noCompilers } from "./schema-compilers.js";
import { corsPolicy } from "./cors.js";
import { sendSecurityHeaders } from "./security-headers.js";
import { type AuthLimits, defaultAuthLimits } from "./routes/auth.js";
import { defaultRequestTimeoutMs } from "../deadline.js";
import { mappedErr } from "./mapped-stacks.js";
import { RequestBodyTooDeep } from "./errors.js";
import { maxJsonDepth, nestsDeeperThan } from "./json-depth.js";

export interface AppOptions {
  readonly runtime: AppRuntime;
  /** The store budget of a request without a caller's deadline (`REQUEST_TIMEOUT_MS`, 8 s by default). */
  readonly requestTimeoutMs?: number;
  /** The built-in accounts' token settings, or the Cognito user pool that signs users in instead. */
  readonly auth: TokenSettings | SourcedTokenSettings | CognitoAuth;
  /** Browser origins allowed by CORS; empty: no cross-origin access. */
  readonly corsOrigins: ReadonlyArray<string>;
  /** pino options (JSON to stdout by default); false silences logs (tests). */
  readonly logger?: FastifyServerOptions["logger"];
  /** Login/register attempts per IP, and login attempts per account, per window (defaults: 10 a minute, 10 per 15 minutes). */
  readonly authLimits?: Partial<AuthLimits>;
  readonly scrypt?: ScryptParams;
  readonly docs?: DocsOptions;
  /** Product image uploads (a media bucket); without it POST …/images answers 503 uploads_disabled. */
  readonly media?: MediaUploads | undefined;
}

export const bodyLimit = 64 * 1024;

// API Gateway's ids are base64 ("HhcmqjRzoAMEVUQ="); on Lambda the entry puts the gateway's id here (adapters/lambda/api.ts).
const idPattern = /^[\w.:=+/-]{1,128}$/;
const requestId = (header: string | string[] | undefined): string => (typeof header === "string" && idPattern.test(header) ? header : randomUUID());

/** The id a client sent (on Lambda, beside the gateway's): logged, never the request's id. */
const clientRequestId = (request: FastifyRequest): string | undefined => {
  const header = request.headers["x-client-request-id"];
  return typeof header === "string" && idPattern.test(header) ? header : undefined;
};

/** Never in a log line: credentials, tokens, password hashes (bodies are not logged at all). */
export const redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  "*.password",
  "*.passwordHash",
  "*.token",
  "password",
  "passwordHash",
  "token",
];

// Written synchronously: a Lambda instance is frozen once it answers, so a line still queued would wait for the next
// invoke; and one write costs less than handing it to libuv's thread pool and its callback.
const stdoutLines = destination({ dest: 1, sync: true });

const loggerOptions = (logger: AppOptions["logger"]): FastifyServerOptions["logger"] =>
  logger === false
    ? false
    : { level: "info", stream: stdoutLines, ...(typeof logger === "object" ? logger : {}), serializers: { err: mappedErr }, redact: { paths: redactedPaths, censor: "[redacted]" } };

/** One log line per request, when it completes: method, route, status, latency (and the request id, as every line). */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const client = clientRequestId(request);
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? "(no route)",
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(client === undefined ? {} : { clientRequestId: client }),
    };
    if (error) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.info(line, "request completed");
  }
}

/** JSON only: other media types (text/plain included) are 415; a body nested deeper than any route needs is refused unparsed. */
const jsonOrNothing = (app: FastifyInstance) => {
  const json = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  // An empty body with a JSON content type (fetch DELETEs, curl -H) is no body, not malformed JSON.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (text === "") return done(null, undefined);
    if (nestsDeeperThan(text, maxJsonDepth)) return done(new RequestBodyTooDeep({ maxDepth: maxJsonDepth }), undefined);
    return json(request, text, done);
  });
};

export const buildApp = async (options: AppOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: loggerOptions(options.logger),
    logController: new OneLinePerRequest(),
    bodyLimit,
    genReqId: (req) => requestId(req.headers["x-request-id"]),
    frameworkErrors,
    schemaController: noCompilers,
  });
  jsonOrNothing(app);
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request, reply) => void reply.header("x-request-id", request.id));
  installErrorHandling(app, bodyLimit);

  // helmet's headers for our options, as a constant (tests/http/security-headers.test.ts holds it to helmet's output).
  sendSecurityHeaders(app);
  await app.register(cors, {
    origin: options.corsOrigins.length === 0 ? false : [...options.corsOrigins],
    methods: [...corsPolicy.methods],
    allowedHeaders: [...corsPolicy.allowedHeaders],
    exposedHeaders: [...corsPolicy.exposedHeaders],
    maxAge: corsPolicy.maxAgeSeconds,
  });
  serveDocs(app, options.docs);

  const deps: RouteDeps = { run: runWith(options.runtime), identity: identityOf(options.auth), requestTimeoutMs: options.requestTimeoutMs ?? defaultRequestTimeoutMs, media: options.media };
  declareRoutes(app, deps, { limits: { ...defaultAuthLimits, ...options.authLimits }, scrypt: options.scrypt });
  return app;
};
