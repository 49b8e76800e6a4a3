/**
 * `npm run bench:events`: end-to-end event latency as `npm start` runs it. On DynamoDB Local, a burst of
 * 200 checkouts (`--orders N --concurrency C`); for each, the time from the checkout's commit to its confirmation email being
 * written (the table's stream → relay → in-process bus → email consumer → .eml file). Prints p50/p99.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Effect as EffectType, ManagedRuntime as ManagedRuntimeType } from "effect";
import { numberFlag, parseCli, runMain } from "./cli.js";
import type { Currency, IdempotencyKey, Money, ProductId, UserId } from "../domain/index.js";

const usage = "npm run bench:events -- [--orders N (200)] [--concurrency C (20)]";
const { values } = parseCli(usage, { options: { orders: { type: "string" }, concurrency: { type: "string" } } });
const orders = numberFlag(usage, "orders", values.orders, 200);
const concurrency = numberFlag(usage, "concurrency", values.concurrency, 20);

// Flags first: a bad flag or --help answers before the heavy imports load.
const { Effect, Either, Layer, ManagedRuntime } = await import("effect");
const { createTable } = await import("../adapters/dynamodb/create-table.js");
const { dynamoStores } = await import("../adapters/dynamodb/layer.js");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { localSubscribers } = await import("../adapters/consumers/index.js");
const { startLocalEvents } = await import("../adapters/events/local-flow.js");
const { EmlFileMailer } = await import("../adapters/mail/eml-files.js");
const { holdPolicy, RandomIds, SystemClock } = await import("../adapters/system.js");
const { HttpWebhooks } = await import("../adapters/webhooks/http.js");
const { addToCart, createProduct, placeOrder, registerUser } = await import("../domain/index.js");

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const main = async () => {
  const local = await startDynamoLocal();
  const mailDir = await mkdtemp(join(tmpdir(), "cartwright-bench-mail-"));
  const client = makeLocalClient(local.endpoint);
  try {
    await createTable(client, "bench-events");
    const stores = dynamoStores({ client, tableName: "bench-events" });
    const written = new Map<string, number>();
    const log = (line: Record<string, unknown>) => void (line.msg === "email written" && written.set(String(line.subject), performance.now()));
    const consumers = localSubscribers(Layer.mergeAll(stores, EmlFileMailer(mailDir, "orders@cartwright.local", log), HttpWebhooks({ urls: {}, secret: "" }), SystemClock));
    const events = startLocalEvents({ kind: "dynamodb", client, endpoint: local.endpoint, tableName: "bench-events" }, consumers.subscribers, () => {});
    const runtime = ManagedRuntime.make(Layer.mergeAll(stores, SystemClock, RandomIds, holdPolicy(3_600_000)));
    const ok = <A, E>(effect: EffectType.Effect<A, E, ManagedRuntimeType.ManagedRuntime.Context<typeof runtime>>) => runtime.runPromise(Effect.either(effect)).then(Either.getOrThrow);
    const price = { amount: 1250, currency: "EUR" as Currency } as Money;
    const product = await ok(createProduct({ id: "bench-tea" as ProductId, name: "Bench Tea", category: "tea", price, stock: 1_000_000 }));
    const committed = new Map<string, number>();
    const buy = async (i: number) => {
      const user = await ok(registerUser({ email: `bench-${i}@example.com`, name: `Buyer ${i}`, passwordHash: "x" }));
      await ok(addToCart(user.id as UserId, product.id, 1));
      const { order } = await ok(placeOrder(user.id as UserId, `bench-key-${i}` as IdempotencyKey));
      committed.set(`Order ${order.id.slice(0, 8)} confirmed`, performance.now());
    };
    const started = performance.now();
    for (let i = 0; i < orders; i += concurrency) await Promise.all(Array.from({ length: Math.min(concurrency, orders - i) }, (_, j) => buy(i + j)));
    const deadline = Date.now() + 60_000;
    while (written.size < committed.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies = [...committed].map(([subject, at]) => (written.get(subject) ?? Number.NaN) - at).filter(Number.isFinite).sort((a, b) => a - b);
    console.log(`Commit → confirmation .eml, ${orders} checkouts (${concurrency} at a time) on DynamoDB Local, stream polled every 100 ms:`);
    console.log(`  emails written   ${latencies.length} of ${committed.size}`);
    console.log(`  p50              ${percentile(latencies, 50).toFixed(0)} ms`);
    console.log(`  p99              ${percentile(latencies, 99).toFixed(0)} ms`);
    console.log(`  max              ${(latencies[latencies.length - 1] ?? 0).toFixed(0)} ms`);
    console.log(`  burst took       ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await events.stop();
    await consumers.dispose();
    await runtime.dispose();
  } finally {
    client.destroy();
    await local.stop();
    await rm(mailDir, { recursive: true, force: true });
  }
};

await runMain(main);
