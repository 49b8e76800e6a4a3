/**
 * `npm run bench:lambda`: the API Lambda against three peers (scripts/peers: a raw handler, an Express +
 * serverless-http app and a minimal Fastify app, bundled alike with the SDK left to the runtime), each serving
 * GET /api/products/:id from the same DynamoDB Local table, measured in one run, interleaved. The API runs as
 * shipped (bootstrap + CommonJS bundle) with its code cache trained here and without it, and as it was built
 * before (ESM, SDK from the runtime), all on the Node this runs under:
 * - cold: init (import) + first invoke in a fresh process, with the deployed NODE_OPTIONS;
 * - warm: sequential invokes after a warm-up, p50 and p99, and the overhead over the raw handler, each handler in
 *   several processes (one process's p50 moves by up to ±170 µs with its own JIT and memory luck), pooled.
 * Flags: --cold-runs=N (12), --warm-invokes=N (3000, in rounds of 300), --processes=N (2, warm processes per handler,
 * sharing the invokes), --bundle-sdk, --store=stand-in (the seeded item served by an endpoint that answers at once,
 * bench/stand-in.ts, instead of DynamoDB Local: the engine's time, and its Query's extra time over a GetItem, out of
 * the measure; every handler still signs, sends and reads a real HTTP request); --stages prints instead
 * the warm CPU time per invoke split by stage, reads and writes (bench/stage-report.ts).
 */
import type { Currency, Money, ProductId } from "../domain/index.js";
import type { BundleReport } from "./build.js";
import { numberFlag, parseCli, runMain, usageError } from "./cli.js";

const usage = "npm run bench:lambda -- [--cold-runs N (12)] [--warm-invokes N (3000)] [--processes N (2)] [--bundle-sdk] [--store local|stand-in (local)] [--stages]";
const { values } = parseCli(usage, {
  options: {
    "cold-runs": { type: "string" },
    "warm-invokes": { type: "string" },
    processes: { type: "string" },
    "bundle-sdk": { type: "boolean" },
    store: { type: "string" },
    stages: { type: "boolean" },
  },
});
const store = values.store ?? "local";
if (store !== "local" && store !== "stand-in") usageError(usage, `--store must be local or stand-in, got "${store}"`);
if (store === "stand-in" && values.stages) usageError(usage, "--stages measures writes too: it needs --store local");
const coldRuns = numberFlag(usage, "cold-runs", values["cold-runs"], 12);
const warmInvokes = numberFlag(usage, "warm-invokes", values["warm-invokes"], 3000);
const processes = numberFlag(usage, "processes", values.processes, 2);
const roundSize = 300;
const externalSdk = !values["bundle-sdk"];

// Flags first: a bad flag or --help answers before the heavy imports load.
const { Layer, ManagedRuntime } = await import("effect");
const { createTable } = await import("../adapters/dynamodb/create-table.js");
const { dynamoStores } = await import("../adapters/dynamodb/layer.js");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { RandomIds } = await import("../adapters/system.js");
const { createProduct } = await import("../domain/index.js");
const { deployedNodeOptions } = await import("../infra/node-options.js");
const { httpApiEvent } = await import("../tests/lambda/events.js");
const { buildLambdas, bundleEntry, kb } = await import("./build.js");
const { cachedVariants, coldStartFromFile, zipBytes } = await import("./bench/cached-variants.js");
const { median, quantile, warmHandler } = await import("./bench/measure.js");
const { reportStages } = await import("./bench/stage-report.js");
const { startStandIn } = await import("./bench/stand-in.js");
const { GetItemCommand } = await import("@aws-sdk/client-dynamodb");
const { Keys } = await import("../adapters/dynamodb/keys.js");

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

const storedItem = async (endpoint: string, tableName: string, key: { PK: string; SK: string }) => {
  const client = makeLocalClient(endpoint);
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: true }));
  client.destroy();
  if (Item === undefined) throw new Error("the seeded product is not in the table");
  return Item;
};

const ms = (x: number) => `${x.toFixed(1)} ms`;
const us = (x: number) => `${Math.round(x)} µs`;
const pad = (s: string, n: number) => s.padEnd(n);

const main = async () => {
  const options = { externalSdk };
  const [api] = (await buildLambdas({ ...options, only: ["api"] })) as [BundleReport];
  const raw = await bundleEntry("peer-raw", "scripts/peers/raw.ts", options);
  const rawQuery = await bundleEntry("peer-raw-query", "scripts/peers/raw-query.ts", options);
  const express = await bundleEntry("peer-express", "scripts/peers/express.ts", options);
  const fastify = await bundleEntry("peer-fastify", "scripts/peers/fastify.ts", options);
  // The API as it was built before its code cache (ESM, SDK from the runtime): "no worse than before", in the same run.
  const before = await bundleEntry("api-esm", "adapters/lambda/api.ts", options);
  const local = await startDynamoLocal();
  let standIn: Awaited<ReturnType<typeof startStandIn>> | undefined;
  try {
    const productId = await seedOneProduct(local.endpoint, "bench");
    if (store === "stand-in") {
      // The item exactly as the store wrote it; DynamoDB Local then stops, so its JVM takes no CPU from the handlers.
      standIn = await startStandIn(await storedItem(local.endpoint, "bench", Keys.product(productId)));
      await local.stop();
    }
    const endpoint = standIn?.endpoint ?? local.endpoint;
    const env = {
      PATH: process.env.PATH,
      CARTWRIGHT_STORE: "dynamodb",
      TABLE_NAME: "bench",
      JWT_SECRET: "bench-secret-bench-secret-bench-secret",
      CORS_ORIGINS: "https://shop.example",
      HOLD_TTL_SECONDS: "900",
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ...(deployedNodeOptions ? { NODE_OPTIONS: deployedNodeOptions } : {}),
    };
    if (values.stages) {
      // The API's warm path is the same code in every build: its ESM bundle carries the source map the split reads.
      const peers = [["raw handler", raw], ["Express + serverless-http", express], ["minimal Fastify (floor)", fastify], ["Cartwright API", before]] as const;
      const subjects = peers.map(([name, bundle]) => ({ name, bundle: bundle.file }));
      return await reportStages(subjects, { endpoint, tableName: "bench", secret: env.JWT_SECRET, productId, env, invokes: warmInvokes });
    }
    const event = httpApiEvent("GET", `/api/products/${productId}`);
    const cartwright = await cachedVariants(api, env);
    // Cartwright last, its cached variant last of all: the summary lines read them and the Express peer by position.
    const handlers = [
      { name: "raw handler", bundle: raw },
      { name: "Express + serverless-http", bundle: express },
      { name: "minimal Fastify (floor)", bundle: fastify },
      { name: "raw handler, page's Query", bundle: rawQuery },
      { name: "Cartwright API, ESM (before)", bundle: before },
      { name: "Cartwright API, no cache", bundle: cartwright.withoutCache },
      { name: "Cartwright API, code cache", bundle: cartwright.withCache },
    ];
    console.log(
      store === "stand-in"
        ? "Store: a stand-in endpoint answering at once with the seeded item (no engine time: each handler's own work around one request)"
        : "Store: DynamoDB Local (it answers the page's Query later than the peers' GetItem: see the last line)",
    );
    console.log(`Node ${process.version}; peers' AWS SDK ${externalSdk ? "external (from the runtime)" : "bundled"}, Cartwright's bundled; NODE_OPTIONS ${deployedNodeOptions || "(none)"}`);
    for (const h of handlers) console.log(`  ${pad(h.name, 29)} loaded at cold start ${kb(h.bundle.bytes)} (gzip ${kb(h.bundle.gzipBytes)})`);
    console.log(`  Cartwright's code cache: ${kb(cartwright.cacheBytes)}, trained here on Node ${cartwright.trainedOn}; zip ${kb(await zipBytes(api.dir))}`);

    // Cold: rounds of one fresh process per handler, the order rotated each round (after one to warm the file cache).
    const cold = handlers.map(() => [] as Array<number>);
    for (const h of handlers) await coldStartFromFile(h.bundle.file, event, env);
    for (let round = 0; round < coldRuns; round++) {
      for (let k = 0; k < handlers.length; k++) {
        const i = (round + k) % handlers.length;
        const s = await coldStartFromFile(handlers[i]!.bundle.file, event, env);
        cold[i]!.push(s.init + s.firstInvoke);
      }
    }

    // Warm: `processes` processes per handler, each warmed up, then rounds interleaved across all of them; a
    // handler's invokes are pooled over its processes (identical processes' p50s differ by up to ±170 µs).
    const warm = await Promise.all(handlers.flatMap((h, i) => Array.from({ length: processes }, async () => ({ i, w: await warmHandler(h.bundle.file, event, env) }))));
    for (const { w } of warm) await w.round(500);
    const durations = handlers.map(() => [] as Array<number>);
    const perProcess = warm.map(() => [] as Array<number>);
    for (let done = 0; done < warmInvokes; done += roundSize * processes) {
      for (const [k, { i, w }] of warm.entries()) {
        const round = await w.round(roundSize);
        durations[i]!.push(...round);
        perProcess[k]!.push(...round);
      }
    }
    const processP50s = handlers.map((_, i) => warm.flatMap(({ i: of }, k) => (of === i ? [median(perProcess[k]!)] : [])));
    for (const { w } of warm) w.stop();

    const expressCold = median(cold[1]!);
    const rawWarm = median(durations[0]!);
    const overhead = durations.map((d) => median(d) - rawWarm);
    console.log(`\nCold start (init + first invoke), ${coldRuns} fresh processes each, interleaved:`);
    for (const [i, h] of handlers.entries()) {
      const c = cold[i]!;
      console.log(`  ${pad(h.name, 29)} median ${pad(ms(median(c)), 9)} (min ${ms(Math.min(...c))}, max ${ms(Math.max(...c))})  ×${(median(c) / expressCold).toFixed(2)} Express`);
    }
    console.log(`\nWarm, ${warmInvokes} sequential invokes each over ${processes} process(es), each warmed up by 500, interleaved in rounds of ${roundSize}:`);
    for (const [i, h] of handlers.entries()) {
      const d = durations[i]!;
      const spread = processes > 1 ? `  (process p50s ${processP50s[i]!.map((x) => Math.round(x)).join(", ")})` : "";
      console.log(`  ${pad(h.name, 29)} p50 ${pad(us(median(d)), 8)} p99 ${pad(us(quantile(d, 0.99)), 9)} overhead over raw (p50) ${pad(us(overhead[i]!), 8)}${spread}`);
    }
    for (const i of [handlers.length - 2, handlers.length - 1]) {
      console.log(`\n${handlers[i]!.name} / Express: cold ×${(median(cold[i]!) / expressCold).toFixed(2)}, warm overhead ×${(overhead[i]! / Math.max(1, overhead[1]!)).toFixed(2)}`);
    }
    console.log(`Minimal Fastify / Express: cold ×${(median(cold[2]!) / expressCold).toFixed(2)}, warm overhead ×${(overhead[2]! / Math.max(1, overhead[1]!)).toFixed(2)}`);
    // The product page makes one Query where the peers make one GetItem: the same request made raw tells the engine's
    // share (DynamoDB Local answers a Query more slowly than a GetItem) from the framework's.
    const rawQueryWarm = median(durations[3]!);
    const last = durations.length - 1;
    console.log(
      `Cartwright API, code cache, over the raw handler making its Query: ${us(median(durations[last]!) - rawQueryWarm)} (×${((median(durations[last]!) - rawQueryWarm) / Math.max(1, overhead[1]!)).toFixed(2)} Express's overhead over its GetItem); the Query itself costs ${us(rawQueryWarm - rawWarm)} more than the GetItem`,
    );
  } finally {
    await standIn?.stop();
    await local.stop();
  }
};

await runMain(main);
