/**
 * `npm run bench:keys`: what reading the signing keys from SSM adds to a cold start. The built API bundle in
 * fresh processes (interleaved, 12 each), against DynamoDB Local and a local stand-in for SSM
 * (AWS_ENDPOINT_URL_SSM), comparing the key from the environment with the key from the parameter, for a
 * request that needs it (GET /api/cart with a token) and one that does not (GET /api/products/:id).
 * The stand-in answers in well under a millisecond; on AWS add one SSM round trip (a few ms in-region).
 */
import type { Currency, Money, UserId } from "../domain/index.js";
import type { BundleReport } from "./build.js";
import { numberFlag, parseCli } from "./cli.js";

const usage = "npm run bench:keys -- [--cold-runs N (12)]";
const runs = numberFlag(usage, "cold-runs", parseCli(usage, { options: { "cold-runs": { type: "string" } } }).values["cold-runs"], 12);
// Flags first: a bad flag or --help answers before the heavy imports load.
const { Layer, ManagedRuntime } = await import("effect");
const { createTable } = await import("../adapters/dynamodb/create-table.js");
const { dynamoStores } = await import("../adapters/dynamodb/layer.js");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { makeTokens } = await import("../adapters/http/auth/tokens.js");
const { RandomIds } = await import("../adapters/system.js");
const { createProduct } = await import("../domain/index.js");
const { httpApiEvent } = await import("../tests/lambda/events.js");
const { startFakeSsm } = await import("../tests/support/fake-ssm.js");
const { buildLambdas } = await import("./build.js");
const { coldStart, median } = await import("./bench/measure.js");
const secret = "bench-signing-key-bench-signing-key-bench";
const [api] = (await buildLambdas({ externalSdk: true, only: ["api"] })) as [BundleReport];
const local = await startDynamoLocal();
const ssm = await startFakeSsm();
try {
  const client = makeLocalClient(local.endpoint);
  await createTable(client, "bench");
  const runtime = ManagedRuntime.make(Layer.merge(dynamoStores({ client, tableName: "bench" }), RandomIds));
  const product = await runtime.runPromise(createProduct({ name: "Tea", category: "tea", price: { amount: 100, currency: "EUR" as Currency } as Money, stock: 5 }));
  await runtime.dispose();
  ssm.parameters.set("/cartwright/bench/jwt-signing-keys", JSON.stringify({ current: secret }));
  const token = await makeTokens({ secret, issuer: "cartwright", audience: "cartwright-api", ttlSeconds: 3600 }).issue({ id: "bench-user" as UserId, role: "customer" });
  const base = { PATH: process.env.PATH, CARTWRIGHT_STORE: "dynamodb", TABLE_NAME: "bench", CORS_ORIGINS: "https://shop.example", DYNAMODB_ENDPOINT: local.endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", LOG_LEVEL: "warn" };
  const fromEnv = { ...base, JWT_SECRET: secret };
  const fromSsm = { ...base, JWT_SECRET_PARAMETER: "/cartwright/bench/jwt-signing-keys", AWS_ENDPOINT_URL_SSM: ssm.endpoint };
  const cart = httpApiEvent("GET", "/api/cart", { headers: { authorization: `Bearer ${token}` } });
  const productGet = httpApiEvent("GET", `/api/products/${product.id}`);
  const variants = [
    { name: "GET /api/cart, key from the environment", event: cart, env: fromEnv },
    { name: "GET /api/cart, key from SSM", event: cart, env: fromSsm },
    { name: "GET /api/products/:id, key from the environment", event: productGet, env: fromEnv },
    { name: "GET /api/products/:id, key from SSM", event: productGet, env: fromSsm },
  ];
  const totals = variants.map(() => [] as Array<number>);
  for (const v of variants) await coldStart(api.file, v.event, v.env);
  for (let round = 0; round < runs; round++)
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length;
      const s = await coldStart(api.file, variants[i]!.event, variants[i]!.env);
      totals[i]!.push(s.init + s.firstInvoke);
    }
  console.log(`\nCold start (init + first invoke), median of ${runs} fresh processes each, interleaved:`);
  for (const [i, v] of variants.entries()) console.log(`  ${v.name.padEnd(48)} ${median(totals[i]!).toFixed(1)} ms`);
  console.log(`\nSSM read adds: ${(median(totals[1]!) - median(totals[0]!)).toFixed(1)} ms to a request that needs the key, ${(median(totals[3]!) - median(totals[2]!)).toFixed(1)} ms to one that does not`);
  console.log(`SSM calls made: ${ssm.calls.length} (one per cold process that needed or prefetched the key)`);
  client.destroy();
} finally {
  await ssm.close();
  await local.stop();
}
