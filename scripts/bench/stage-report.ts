/**
 * `npm run bench:lambda -- --stages`: the warm CPU time per invoke split by stage (stages.ts), for
 * GET /api/products/:id on every handler side by side, and for the API's add-to-cart and checkout
 * (their store calls dominate; the split shows the overhead beside them). Profiled in-process
 * (node:inspector) over the timed invokes only, rounds interleaved across handlers.
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { Layer, ManagedRuntime } from "effect";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeLocalClient } from "../../adapters/dynamodb/local.js";
import { makeTokens } from "../../adapters/http/auth/tokens.js";
import { RandomIds } from "../../adapters/system.js";
import { createProduct, type Currency, type Money, type UserId } from "../../domain/index.js";
import { type HttpApiEvent, httpApiEvent } from "../../tests/lambda/events.js";
import { median } from "./measure.js";
import { type CpuProfile, detail, splitProfile } from "./stages.js";

interface StageChild {
  round(setups: ReadonlyArray<HttpApiEvent>, events: ReadonlyArray<HttpApiEvent>): Promise<{ durations: Array<number>; profile: CpuProfile }>;
  stop(): void;
}

const stageChild = async (bundle: string, env: NodeJS.ProcessEnv): Promise<StageChild> => {
  const child = fork(join(import.meta.dirname, "stage-child.mjs"), [bundle], { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((ready, fail) => {
    child.once("message", () => ready());
    child.once("exit", (code) => fail(new Error(`${bundle} exited with ${code}`)));
  });
  return {
    round: (setups, events) =>
      new Promise((done) => {
        child.once("message", (m) => done(m as { durations: Array<number>; profile: CpuProfile }));
        child.send({ setups, events, profile: true, intervalUs: 50 });
      }),
    stop: () => void child.kill(),
  };
};

export interface StageSubject {
  readonly name: string;
  readonly bundle: string;
}

export interface Scenario {
  readonly name: string;
  /** Untimed events that prepare round `r` (a cart to check out), and its timed events. */
  readonly round: (r: number) => { setups: Array<HttpApiEvent>; events: Array<HttpApiEvent> };
}

const roundSize = 200;

const writeScenarios = async (endpoint: string, tableName: string, secret: string): Promise<ReadonlyArray<Scenario>> => {
  const client = makeLocalClient(endpoint);
  const runtime = ManagedRuntime.make(Layer.merge(dynamoStores({ client, tableName }), RandomIds));
  const price = { amount: 450, currency: "EUR" as Currency } as Money;
  const products = await Promise.all(Array.from({ length: 4 }, (_, i) => runtime.runPromise(createProduct({ name: `Stage Tea ${i}`, category: "tea", price, stock: 1_000_000 }))));
  await runtime.dispose();
  client.destroy();
  const tokens = makeTokens({ secret, issuer: "cartwright", audience: "cartwright-api", ttlSeconds: 3600 });
  const bearer = async (id: string) => ({ authorization: `Bearer ${await tokens.issue({ id: id as UserId, role: "customer" })}` });
  // One customer per invoke of a round: a cart holds a few lines, and nobody passes the unpaid-order limit.
  const adders = await Promise.all(Array.from({ length: roundSize }, (_, i) => bearer(`stage-adder-${i}`)));
  const buyers = await Promise.all(Array.from({ length: roundSize }, (_, i) => bearer(`stage-buyer-${i}`)));
  const add = (headers: Record<string, string>, r: number, i: number, who: string) =>
    httpApiEvent("POST", "/api/cart/items", { headers: { ...headers, "idempotency-key": `${who}-${r}-${i}-key` }, body: { productId: products[r % products.length]!.id, quantity: 1 } });
  return [
    { name: "POST /api/cart/items (add to cart)", round: (r) => ({ setups: [], events: adders.map((h, i) => add(h, r, i, "add")) }) },
    {
      name: "POST /api/orders (checkout, 1 line)",
      round: (r) => ({
        setups: buyers.map((h, i) => add(h, r, i, "fill")),
        events: buyers.map((h, i) => httpApiEvent("POST", "/api/orders", { headers: { ...h, "idempotency-key": `buy-${r}-${i}-key` } })),
      }),
    },
  ];
};

const us = (x: number) => `${Math.round(x)}`.padStart(7);

/** Runs each scenario on its subjects (rounds interleaved) and prints µs of CPU per invoke by stage. */
export const runScenario = async (scenario: Scenario, subjects: ReadonlyArray<StageSubject>, env: NodeJS.ProcessEnv, invokes: number) => {
  const children = await Promise.all(subjects.map((s) => stageChild(s.bundle, env)));
  const splits = subjects.map(() => new Map<string, number>());
  const durations = subjects.map(() => [] as Array<number>);
  try {
    const rounds = Math.ceil(invokes / roundSize);
    // Two rounds to warm up, numbered after the timed ones (their keys are fresh, not replays).
    for (const warmUp of [rounds, rounds + 1]) for (const child of children) await child.round(scenario.round(warmUp).setups, scenario.round(warmUp).events);
    for (let r = 0; r < rounds; r++) {
      const { setups, events } = scenario.round(r);
      for (const [i, child] of children.entries()) {
        const out = await child.round(setups, events);
        durations[i]!.push(...out.durations);
        for (const [stage, t] of await splitProfile(out.profile, subjects[i]!.name)) splits[i]!.set(stage, (splits[i]!.get(stage) ?? 0) + t);
      }
    }
  } finally {
    for (const child of children) child.stop();
  }
  const n = durations[0]!.length;
  const stages = [...new Set(splits.flatMap((s) => [...s.keys()]))].filter((s) => s !== "(idle)" && s !== "(profiler)");
  const perInvoke = (i: number, stage: string) => (splits[i]!.get(stage) ?? 0) / n;
  stages.sort((a, b) => perInvoke(subjects.length - 1, b) - perInvoke(subjects.length - 1, a));
  console.log(`\n${scenario.name}: CPU µs per invoke by stage, ${n} invokes each under the profiler (50 µs sampling)`);
  console.log(`  ${"stage".padEnd(58)}${subjects.map((s) => s.name.slice(0, 12).padStart(14)).join("")}`);
  for (const stage of stages) console.log(`  ${stage.padEnd(58)}${subjects.map((_, i) => us(perInvoke(i, stage)).padStart(14)).join("")}`);
  const cpu = (i: number) => stages.reduce((sum, s) => sum + perInvoke(i, s), 0);
  console.log(`  ${"CPU total".padEnd(58)}${subjects.map((_, i) => us(cpu(i)).padStart(14)).join("")}`);
  console.log(`  ${"idle (waiting for DynamoDB Local)".padEnd(58)}${subjects.map((_, i) => us(perInvoke(i, "(idle)")).padStart(14)).join("")}`);
  console.log(`  ${"wall p50 (profiled)".padEnd(58)}${subjects.map((_, i) => us(median(durations[i]!)).padStart(14)).join("")}`);
  for (const [key, t] of [...detail].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_STAGE_DETAIL_TOP ?? 25))) console.log(`    ${us(t / n)} µs  ${key}`);
  detail.clear();
};

export interface StageOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly secret: string;
  readonly productId: string;
  readonly env: NodeJS.ProcessEnv;
  readonly invokes: number;
}

/** The GET split for every handler (the API last), then the API's writes. */
export const reportStages = async (subjects: ReadonlyArray<StageSubject>, options: StageOptions): Promise<void> => {
  const get = httpApiEvent("GET", `/api/products/${options.productId}`);
  const read: Scenario = { name: "GET /api/products/:id", round: () => ({ setups: [], events: Array.from({ length: roundSize }, () => get) }) };
  await runScenario(read, subjects, options.env, options.invokes);
  // BENCH_STAGES_READ_ONLY=1: the GET split only (a few minutes less when looking into the read).
  if (process.env.BENCH_STAGES_READ_ONLY === "1") return;
  const api = subjects.at(-1)!;
  // Units per product and unpaid orders are capped per customer; the bench's customers stay within them.
  const env = { ...options.env, HOLD_MAX_UNITS_PER_PRODUCT: "99", MAX_UNPAID_ORDERS: "50" };
  for (const scenario of await writeScenarios(options.endpoint, options.tableName, options.secret)) await runScenario(scenario, [api], env, options.invokes);
};
