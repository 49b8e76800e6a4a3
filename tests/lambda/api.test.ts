import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProduct, registerUser, type Currency, type Money } from "../../domain/index.js";
import { hashPassword } from "../../adapters/http/auth/password.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { RandomIds, SystemClock } from "../../adapters/system.js";
import { buildLambdas, type BundleReport } from "../../scripts/build.js";
import { trainLocally } from "../../scripts/code-cache.js";
import { localPaths } from "../../adapters/local/pages.js";
import { signStripePayload } from "../../adapters/payments/webhook.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { httpApiEvent, lambdaContext, type EventOptions, type HttpApiResult } from "./events.js";

type Handler = (event: unknown, context: unknown) => Promise<HttpApiResult>;

let outDir: string;
let bundle: BundleReport;
let table: FreshTable;
let handler: Handler;
const env = (t: FreshTable) => ({
  CARTWRIGHT_STORE: "dynamodb",
  TABLE_NAME: t.tableName,
  JWT_SECRET: "lambda-test-secret-lambda-test-secret",
  CORS_ORIGINS: "https://shop.example",
  HOLD_TTL_SECONDS: "900",
  DYNAMODB_ENDPOINT: t.endpoint,
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  // The simulated provider's verification is Stripe's scheme: enough to check webhooks through the handler.
  PAYMENT_PROVIDER: "simulated",
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  // As a stack whose file sets api.docs: true (off by default on Lambda).
  API_DOCS: "true",
});
const webhookSecret = `whsec_${"lambda".repeat(3)}`;

beforeAll(async () => {
  await mkdir(join(import.meta.dirname, "../../dist"), { recursive: true });
  outDir = await mkdtemp(join(import.meta.dirname, "../../dist/.test-cartwright-lambda-"));  // inside the repo: the bundle resolves @aws-sdk/* from node_modules, as Lambda does from its runtime
  const [reports, fresh] = await Promise.all([buildLambdas({ outDir, only: ["api"] }), freshTable()]);
  [bundle, table] = [reports[0] as BundleReport, fresh];
  const seed = ManagedRuntime.make(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName }), RandomIds, SystemClock));
  const price = { amount: 2490, currency: "EUR" as Currency } as Money;
  await seed.runPromise(createProduct({ id: "beans" as never, name: "Beans", category: "coffee", price, stock: 4 }));
  const passwordHash = await hashPassword("admin-password", { N: 1024, r: 8, p: 1 });
  await seed.runPromise(registerUser({ email: "admin@example.com", name: "Admin", passwordHash, role: "admin" }));
  await seed.dispose();
  Object.assign(process.env, env(table));
  ({ handler } = (await import(pathToFileURL(bundle.file).href)) as { handler: Handler });
});
afterAll(async () => {
  await deleteTable(table);
  await rm(outDir, { recursive: true, force: true });
});

const invoke = async (method: string, path: string, options?: EventOptions) => {
  const res = await handler(httpApiEvent(method, path, options), lambdaContext());
  const json = /json/.test(res.headers["content-type"] ?? "") && res.body ? JSON.parse(res.body) : undefined;
  return { ...res, json };
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("the built API handler (dist/lambda/api/index.cjs) with API Gateway v2 events", () => {
  it("is a bootstrap and one CommonJS bundle, the AWS SDK in it, under the size budget, with its source map", () => {
    expect(bundle.files.map((f) => basename(f))).toEqual(["index.cjs", "app.js"]);
    expect(bundle.mapBytes).toBeGreaterThan(0);
    expect(Object.keys(bundle.metafile.inputs).filter((path) => path.endsWith("@aws-sdk/client-dynamodb/dist-cjs/index.js"))).toHaveLength(1);
    expect(bundle.bytes).toBeLessThan(3 * 1024 * 1024);
  });

  it("trains a code cache through a training invocation, which the next cold start accepts and serves the catalog with", async () => {
    const childEnv = { PATH: process.env.PATH, ...env(table) };
    const trained = await trainLocally(bundle.dir, childEnv);
    expect([trained.loadedWith, trained.nodeVersion]).toEqual(["absent", process.version]);
    const child = join(import.meta.dirname, "../../scripts/bench/cold-child.mjs");
    const answer = join(outDir, "answer.json");
    const { stdout } = await promisify(execFile)(process.execPath, [child, bundle.file, JSON.stringify(httpApiEvent("GET", "/api/products/beans")), answer], { env: childEnv });
    expect(stdout).toContain('"codeCache":"accepted"');
    expect(JSON.parse(JSON.parse(await readFile(answer, "utf8")).body)).toMatchObject({ id: "beans", price: { amount: 2490, currency: "EUR" } });
  });

  it("answers health, readiness and the catalog from DynamoDB, tagging responses with the gateway's request id", async () => {
    expect((await invoke("GET", "/health")).json).toEqual({ status: "ok" });
    expect((await invoke("GET", "/health/ready")).json).toEqual({ status: "ready" });
    const list = await invoke("GET", "/api/products?category=coffee&limit=5");
    expect(list.json.items).toEqual([expect.objectContaining({ id: "beans", available: 4, price: { amount: 2490, currency: "EUR" } })]);
    const event = httpApiEvent("GET", "/health");
    expect((await handler(event, lambdaContext())).headers["x-request-id"]).toBe(event.requestContext.requestId);
  });

  it("keeps API Gateway's request id when the client sends its own x-request-id (invariant: a client never picks the request id)", async () => {
    const event = httpApiEvent("GET", "/health", { headers: { "x-request-id": "client-picked-id" } });
    const res = await handler(event, lambdaContext());
    expect(res.headers["x-request-id"]).toBe(event.requestContext.requestId);
    // API Gateway's ids are base64: kept as they are, not replaced by a random one.
    const plain = httpApiEvent("GET", "/health");
    const gateway = { ...plain, requestContext: { ...plain.requestContext, requestId: "HhcmqjRzoAMEVUQ=" } };
    expect((await handler(gateway, lambdaContext())).headers["x-request-id"]).toBe("HhcmqjRzoAMEVUQ=");
  });

  it("registers, fills a cart and checks out once per Idempotency-Key", async () => {
    const reg = await invoke("POST", "/auth/register", { body: { email: "lambda@example.com", password: "lambda-pass", name: "L" } });
    expect(reg.statusCode).toBe(201);
    const auth = bearer(reg.json.token);
    expect((await invoke("POST", "/api/cart/items", { headers: auth, body: { productId: "beans", quantity: 2 } })).json.subtotal.amount).toBe(4980);
    const headers = { ...auth, "idempotency-key": "lambda-key-1" };
    const order = await invoke("POST", "/api/orders", { headers });
    const replay = await invoke("POST", "/api/orders", { headers });
    expect([order.statusCode, replay.statusCode, replay.headers["idempotent-replayed"]]).toEqual([201, 201, "true"]);
    expect(replay.json.id).toBe(order.json.id);
  });

  it("answers errors as problem+json: malformed JSON 400, unknown route 404, no token 401, customer on admin 403", async () => {
    const malformed = await invoke("POST", "/auth/login", { rawBody: '{"email":' });
    expect([malformed.statusCode, malformed.headers["content-type"], malformed.json.code]).toEqual([400, "application/problem+json; charset=utf-8", "malformed_json"]);
    expect((await invoke("GET", "/nope")).json).toMatchObject({ status: 404, code: "route_not_found" });
    expect((await invoke("GET", "/api/cart")).json).toMatchObject({ status: 401, code: "unauthenticated" });
    const reg = await invoke("POST", "/auth/register", { body: { email: "c2@example.com", password: "c2-password", name: "C" } });
    expect((await invoke("GET", "/api/admin/orders", { headers: bearer(reg.json.token) })).json).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("loads the S3 client and the upload form signer on the first upload only: none of them at cold start", () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.filter((i) => /@aws-sdk\/(client-s3|s3-presigned-post)\/|adapters\/media\/(upload-signer|presign|s3)\.ts/.test(i))).toEqual([]);
    expect(inputs.some((i) => i.includes("adapters/media/uploads.ts"))).toBe(true);
  });

  it("serves none of npm start's local pages (index, inbox, a mail, webhook log), and bundles none of their code", async () => {
    for (const path of [...localPaths, "/local/inbox/x.eml"]) expect((await invoke("GET", path)).json).toMatchObject({ status: 404, code: "route_not_found" });
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.filter((i) => i.includes("adapters/local/") || i.includes("mailparser"))).toEqual([]);
    expect(inputs.some((i) => i.includes("adapters/http/app.ts"))).toBe(true);
  });

  it("lets an admin log in and add stock (the order above sold 2 of the 4)", async () => {
    const login = await invoke("POST", "/auth/login", { body: { email: "admin@example.com", password: "admin-password" } });
    const res = await invoke("POST", "/api/admin/products/beans/stock", { headers: { ...bearer(login.json.token), "idempotency-key": "lambda-restock-1" }, body: { delta: 6 } });
    expect(res.json).toMatchObject({ id: "beans", stock: 8, reserved: 0 });
  });

  it("serves the OpenAPI document and Swagger UI from the assets copied beside the bundle", async () => {
    const spec = await invoke("GET", "/openapi.json");
    expect(Object.keys(spec.json.paths)).toContain("/api/orders/{id}/cancel");
    const page = await invoke("GET", "/docs");
    expect(page.body).toContain("/docs/static/swagger-ui-bundle.js");
    const script = await invoke("GET", "/docs/static/swagger-ui-bundle.js");
    expect([script.statusCode, script.body.length > 100_000]).toEqual([200, true]);
    const icon = await invoke("GET", "/docs/static/favicon-32x32.png");
    expect([icon.statusCode, icon.isBase64Encoded]).toEqual([200, true]);
  });

  it("verifies a payment webhook on the raw bytes API Gateway hands over base64-encoded, and refuses them altered", async () => {
    const payload = JSON.stringify({ id: "evt_lambda", object: "event", type: "charge.succeeded", data: { object: { object: "charge" } } }, null, 2);
    const signature = await signStripePayload(payload, webhookSecret);
    const event = (body: string) => ({
      ...httpApiEvent("POST", "/webhooks/payments", { headers: { "content-type": "application/json", "stripe-signature": signature } }),
      body: Buffer.from(body).toString("base64"),
      isBase64Encoded: true,
    });
    const ok = await handler(event(payload), lambdaContext());
    expect([ok.statusCode, JSON.parse(ok.body)]).toEqual([200, { received: true, outcome: "ignored", reason: "charge.succeeded is not acted on" }]);
    const altered = await handler(event(JSON.stringify(JSON.parse(payload))), lambdaContext());
    expect([altered.statusCode, JSON.parse(altered.body).code]).toEqual([400, "webhook_rejected"]);
  });

  it("fails its cold start with one line naming a missing variable", async () => {
    const { JWT_SECRET: _, ...withoutSecret } = env(table);
    const run = promisify(execFile)(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(bundle.file).href)})`], {
      env: { PATH: process.env.PATH, ...withoutSecret },
    });
    const failure = await run.then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain('{"level":"fatal","msg":"Invalid configuration: JWT_SECRET is required"}');
  });
});
