/**
 * `npm run bench:lambda`: bundle size, and a simulated cold start of the built API Lambda, 20 times:
 * a fresh Node process imports the bundle and handles a first request that makes one real DynamoDB Local read.
 * Flags: --bundle-sdk (bundle @aws-sdk/* instead of leaving it to the runtime), --no-source-maps (drop NODE_OPTIONS=--enable-source-maps).
 */
import { execFile } from "node:child_process";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Layer, ManagedRuntime } from "effect";
import { createProduct, type Currency, type Money, type ProductId } from "../domain/index.js";
import { createTable } from "../adapters/dynamodb/create-table.js";
import { dynamoStores } from "../adapters/dynamodb/layer.js";
import { makeLocalClient, startDynamoLocal } from "../adapters/dynamodb/local.js";
import { RandomIds } from "../adapters/system.js";
import { httpApiEvent, lambdaContext } from "../tests/lambda/events.js";
import { buildLambdas, kb } from "./build.js";

const runs = 20;
const externalSdk = !process.argv.includes("--bundle-sdk");
const sourceMaps = !process.argv.includes("--no-source-maps");

interface Sample {
  readonly boot: number;
  readonly init: number;
  readonly firstInvoke: number;
  readonly total: number;
  readonly status: number;
}

// Runs in the fresh process: times the import (the Lambda init phase) and the first invoke.
const probe = (bundle: string, event: object, context: object) => `
const t0 = performance.now();
const { handler } = await import(${JSON.stringify(bundle)});
const t1 = performance.now();
const res = await handler(${JSON.stringify(event)}, { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 10000 });
const t2 = performance.now();
console.log(JSON.stringify({ boot: t0, init: t1 - t0, firstInvoke: t2 - t1, total: t2, status: res.statusCode }));
process.exit(0);`;

const coldStart = async (script: string, env: NodeJS.ProcessEnv): Promise<Sample> => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env });
  // The app's own JSON logs share stdout: the probe's line is the one with the timings.
  const line = stdout.split("\n").find((l) => l.includes('"firstInvoke"'));
  if (!line) throw new Error(`no timings in the probe's output:\n${stdout}`);
  return JSON.parse(line) as Sample;
};

const stats = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? (s[(s.length - 1) / 2] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
  return `median ${median.toFixed(1)} ms  (min ${(s[0] ?? 0).toFixed(1)}, max ${(s[s.length - 1] ?? 0).toFixed(1)})`;
};

const seedOneProduct = async (endpoint: string, tableName: string): Promise<ProductId> => {
  const client = makeLocalClient(endpoint);
  await createTable(client, tableName);
  const runtime = ManagedRuntime.make(Layer.merge(dynamoStores({ client, tableName }), RandomIds));
  const price = { amount: 1250, currency: "EUR" as Currency } as Money;
  const product = await runtime.runPromise(createProduct({ name: "Bench Tea", category: "tea", price, stock: 10 }));
  await runtime.dispose();
  client.destroy();
  return product.id;
};

const main = async () => {
  const reports = await buildLambdas({ externalSdk });
  console.log(`AWS SDK ${externalSdk ? "external (from the runtime)" : "bundled"}; NODE_OPTIONS ${sourceMaps ? "--enable-source-maps" : "(none)"}`);
  for (const r of reports) {
    console.log(`${r.name.padEnd(8)} loaded at cold start: ${kb(r.bytes)} raw, ${kb(r.gzipBytes)} gzip (${r.files.length} file(s)); lazy chunks ${kb(r.lazyBytes)}`);
  }
  const api = reports.find((r) => r.name === "api");
  if (!api) throw new Error("no api bundle");

  const local = await startDynamoLocal();
  try {
    const tableName = "bench";
    const productId = await seedOneProduct(local.endpoint, tableName);
    const env = {
      PATH: process.env.PATH,
      CARTWRIGHT_STORE: "dynamodb",
      TABLE_NAME: tableName,
      JWT_SECRET: "bench-secret-bench-secret-bench-secret",
      CORS_ORIGINS: "https://shop.example",
      HOLD_TTL_SECONDS: "900",
      DYNAMODB_ENDPOINT: local.endpoint,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ...(sourceMaps ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
    };
    const script = probe(pathToFileURL(api.file).href, httpApiEvent("GET", `/api/products/${productId}`), lambdaContext());
    await coldStart(script, env); // warms the OS file cache, as a Lambda host has it
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await coldStart(script, env));
    const failed = samples.filter((s) => s.status !== 200);
    if (failed.length > 0) throw new Error(`first invoke answered ${failed[0]?.status}`);
    console.log(`\nSimulated cold start, ${runs} fresh processes (GET /api/products/:id, one DynamoDB Local read):`);
    console.log(`  node boot              ${stats(samples.map((s) => s.boot))}`);
    console.log(`  init (import bundle)   ${stats(samples.map((s) => s.init))}`);
    console.log(`  first invoke           ${stats(samples.map((s) => s.firstInvoke))}`);
    console.log(`  init + first invoke    ${stats(samples.map((s) => s.init + s.firstInvoke))}`);
  } finally {
    await local.stop();
  }
};

await main();
