/**
 * `npm run load -- --seconds N`: a bounded, self-stopping mixed workload against the API, with figures.
 * Starts its own server (in this process) on a fresh DynamoDB Local unless given `--url`, seeds a catalog
 * and 100 customers, runs the sweeper every 2 s, and has the customers browse, add/change/remove, renew,
 * check out (with keys, and replays), pay, cancel, while an admin restocks and changes prices. Prints
 * requests/s by route, p50/p95/p99, every non-2xx by code, the 5xx, memory at start and end, then audits
 * the table. Exits 1 on a 5xx (other than the 503 problems store_unavailable and store_outcome_unknown during a
 * fault) or an audit violation. Every request the store may have applied is retried with its key, as a client should.
 *
 * Flags (`--flag value` or `--flag=value`): --seconds=N (30) --customers=N (100) --url=URL --jwt-secret=S (a running server and its JWT_SECRET) --think-ms=N (250, mean pause between a customer's requests)
 * --fault=freeze|restart
 * (DynamoDB Local frozen with SIGSTOP / killed and restarted on the same data, at a third of the run,
 * for --fault-seconds=N, 5 by default).
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoLocal } from "../adapters/dynamodb/local.js";
import type { Currency, Money } from "../domain/index.js";
import { numberFlag, parseCli, runMain, usageError } from "./cli.js";

const usage =
  "npm run load -- [--seconds N] [--customers N] [--think-ms N] [--fault freeze|restart] [--fault-seconds N] [--url URL --jwt-secret S [--admin-email E --admin-password P]]";
const { values: flags } = parseCli(usage, {
  options: {
    seconds: { type: "string" },
    customers: { type: "string" },
    "think-ms": { type: "string" },
    fault: { type: "string" },
    "fault-seconds": { type: "string" },
    url: { type: "string" },
    "jwt-secret": { type: "string" },
    "admin-email": { type: "string" },
    "admin-password": { type: "string" },
  },
});
const seconds = numberFlag(usage, "seconds", flags.seconds, 30);
const customers = numberFlag(usage, "customers", flags.customers, 100);
if (flags.fault !== undefined && flags.fault !== "freeze" && flags.fault !== "restart") usageError(usage, `--fault must be freeze or restart, got "${flags.fault}"`);
const fault = flags.fault as "freeze" | "restart" | undefined;
const faultSeconds = numberFlag(usage, "fault-seconds", flags["fault-seconds"], 5);
const givenUrl = flags.url;
/** Mean pause between a customer's requests (uniform in [0, 2×]); 0: as fast as answers come. */
const thinkMs = numberFlag(usage, "think-ms", flags["think-ms"], 250, 0);

// Flags first: a bad flag or --help answers before the heavy imports load.
const { Effect } = await import("effect");
const { createTable } = await import("../adapters/dynamodb/create-table.js");
const { dynamoStores } = await import("../adapters/dynamodb/layer.js");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { buildApp } = await import("../adapters/http/app.js");
const { makeTokens } = await import("../adapters/http/auth/tokens.js");
const { makeAppRuntime } = await import("../adapters/http/runtime.js");
const { simulatedPayments } = await import("../adapters/payments/layer.js");
const { signedEvent } = await import("../adapters/payments/simulated.js");
const { paymentPolicy } = await import("../adapters/system.js");
const { createProduct, expireUnpaidOrders, registerUser, releaseExpiredHolds } = await import("../domain/index.js");
const { auditTable } = await import("./audit-report.js");

/** Memory after a full GC when the script runs with --expose-gc (npm run load does), else as it stands. */
const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

interface Sample {
  readonly route: string;
  readonly status: number;
  readonly code?: string;
  readonly ms: number;
  readonly duringFault: boolean;
}

const samples: Array<Sample> = [];
/** Stock changes that got no answer or a 503 twice: retried with their key once the store is back. */
const pendingDeltas: Array<{ readonly product: string; readonly delta: number; readonly headers: Record<string, string> }> = [];
let faultActive = false;
const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(Math.random() * xs.length)]!;
const chance = (p: number) => Math.random() < p;
const quantile = (xs: Array<number>, q: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

const call = async (base: string, route: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
  const started = performance.now();
  const duringFault = faultActive;
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    samples.push({ route, status: res.status, ...(res.ok ? {} : { code: String(json.code ?? "none") }), ms: performance.now() - started, duringFault: duringFault || faultActive });
    return { status: res.status, json };
  } catch (error) {
    samples.push({ route, status: 0, code: error instanceof Error ? error.name : "error", ms: performance.now() - started, duringFault: duringFault || faultActive });
    return { status: 0, json: {} as Record<string, unknown> };
  }
};

const main = async () => {
  let dataDir: string | undefined;
  let local: DynamoLocal | undefined;
  let base = givenUrl ?? "";
  const tableName = "load";
  const price = (amount: number) => ({ amount, currency: "EUR" as Currency }) as Money;
  const auth = { secret: "load-test-secret-load-test-secret-load", issuer: "cartwright", audience: "cartwright-api", ttlSeconds: 7200 };
  const tokens = makeTokens(auth);
  let customerTokens: Array<string> = [];
  let adminToken = "";
  let productIds: Array<string> = [];
  /** Units supplied per product: initial stock plus every stock change the admin made (units conservation). */
  const supplied = new Map<string, number>();
  let stop = async () => {};
  let payments: ReturnType<typeof simulatedPayments> | undefined;

  if (!givenUrl) {
    dataDir = await mkdtemp(join(tmpdir(), "cartwright-load-"));
    local = await startDynamoLocal({ dataDir });
    const client = makeLocalClient(local.endpoint);
    await createTable(client, tableName);
    payments = simulatedPayments();
    const runtime = makeAppRuntime({
      stores: dynamoStores({ client, tableName }),
      holdTtlMs: 60_000,
      gateway: payments.layer,
      paymentPolicy: paymentPolicy(2 * 60_000, false),
    });
    const app = await buildApp({
      runtime,
      auth,
      corsOrigins: [],
      logger: false,
      requestTimeoutMs: 8_000,
      authLimits: { perIp: { max: 1_000_000, windowMs: 60_000 }, perAccount: { max: 1_000_000, windowMs: 60_000 } },
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    for (let i = 0; i < 24; i++) {
      const stock = i < 4 ? 3 : 200;
      const product = await runtime.runPromise(createProduct({ name: `Load product ${i}`, category: `cat${i % 4}`, price: price(500 + i * 10), stock }));
      productIds.push(product.id);
      supplied.set(product.id, stock);
    }
    const users = await Promise.all(
      Array.from({ length: customers }, (_, i) => runtime.runPromise(registerUser({ email: `load${i}@example.com`, name: `Load ${i}`, passwordHash: "scrypt$unused", role: "customer" }))),
    );
    customerTokens = await Promise.all(users.map((u) => tokens.issue(u)));
    adminToken = await tokens.issue(await runtime.runPromise(registerUser({ email: "load-admin@example.com", name: "Admin", passwordHash: "scrypt$unused", role: "admin" })));
    const sweeper = setInterval(() => void runtime.runPromise(Effect.zip(releaseExpiredHolds(1000), expireUnpaidOrders(1000))).catch(() => {}), 2_000);
    stop = async () => {
      clearInterval(sweeper);
      await app.close();
      await runtime.dispose();
      client.destroy();
    };
  } else {
    // A running server: tokens are minted with its JWT secret (users need not exist to shop), products are its catalog.
    const secret = flags["jwt-secret"] ?? process.env.JWT_SECRET;
    if (!secret) {
      console.error("--url needs the server's signing secret: --jwt-secret=… or JWT_SECRET (start the server with JWT_SECRET set)");
      process.exit(2);
    }
    const theirs = makeTokens({ ...auth, secret });
    customerTokens = await Promise.all(Array.from({ length: customers }, (_, i) => theirs.issue({ id: `load-customer-${i}` as never, role: "customer" })));
    // Admin routes check the admin's role in the store: sign in as a real admin (npm start seeds the demo one).
    const login = await fetch(`${base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: flags["admin-email"] ?? "admin@example.com", password: flags["admin-password"] ?? "admin-password" }),
    });
    if (!login.ok) {
      console.error(`--url needs an admin account on the server: sign-in answered ${login.status} (give --admin-email and --admin-password)`);
      process.exit(2);
    }
    adminToken = ((await login.json()) as { token: string }).token;
    let cursor: string | undefined;
    do {
      const page = (await (await fetch(`${base}/api/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      productIds.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    console.log(`against ${base}: ${productIds.length} products; no audit (run npm run audit against its store)`);
  }

  const memoryStart = memory();
  const startedAt = Date.now();
  const endsAt = startedAt + seconds * 1000;

  const customer = async (i: number) => {
    const token = customerTokens[i]!;
    const orders: Array<string> = [];
    let key = `load-${i}-${Date.now()}`;
    while (Date.now() < endsAt) {
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * thinkMs));
      const roll = Math.random();
      const product = pick(productIds);
      if (roll < 0.25) await call(base, "GET /api/products", "GET", `/api/products?limit=20${chance(0.5) ? `&category=cat${i % 4}` : ""}`);
      else if (roll < 0.4) await call(base, "GET /api/products/:id", "GET", `/api/products/${product}`);
      else if (roll < 0.55)
        await call(base, "POST /api/cart/items", "POST", "/api/cart/items", token, { productId: product, quantity: 1 + Math.floor(Math.random() * 2) }, chance(0.3) ? { "idempotency-key": `add-${i}-${Math.random().toString(36).slice(2, 10)}` } : {});
      else if (roll < 0.6) await call(base, "PUT /api/cart/items/:productId", "PUT", `/api/cart/items/${product}`, token, { quantity: Math.floor(Math.random() * 3) });
      else if (roll < 0.65) await call(base, "DELETE /api/cart/items/:productId", "DELETE", `/api/cart/items/${product}`, token);
      else if (roll < 0.7) await call(base, "GET /api/cart", "GET", "/api/cart", token);
      else if (roll < 0.73) await call(base, "POST /api/cart/renew", "POST", "/api/cart/renew", token);
      else if (roll < 0.83) {
        const res = await call(base, "POST /api/orders", "POST", "/api/orders", token, undefined, { "idempotency-key": key });
        if (res.status === 201) {
          if (!orders.includes(String(res.json.id))) orders.push(String(res.json.id));
          // A replay with the same key, as a client that lost the reply would send.
          if (chance(0.2)) await call(base, "POST /api/orders (replay)", "POST", "/api/orders", token, undefined, { "idempotency-key": key });
        }
        // A client keeps its key to retry a request that got no answer or a 503 (which may say the outcome is unknown).
        if (res.status !== 0 && res.status !== 503) key = `load-${i}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      } else if (roll < 0.9 && orders.length > 0) {
        const order = pick(orders);
        const started = await call(base, "POST /api/orders/:id/payment", "POST", `/api/orders/${order}/payment`, token);
        if (started.status === 200 && payments && chance(0.7)) {
          const intent = payments.ledger.intentOfOrder(order);
          if (intent && (intent.status === "requires_payment_method")) {
            const { payload, signature } = await signedEvent(payments.ledger.settle(intent.id, chance(0.85) ? "succeeded" : "failed"), payments.webhookSecret);
            const t0 = performance.now();
            const res = await fetch(`${base}/webhooks/payments`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
            const json = (await res.json()) as Record<string, unknown>;
            samples.push({ route: "POST /webhooks/payments", status: res.status, ...(res.ok ? {} : { code: String(json.code) }), ms: performance.now() - t0, duringFault: faultActive });
          }
        }
      } else if (roll < 0.93 && orders.length > 0) await call(base, "POST /api/orders/:id/cancel", "POST", `/api/orders/${pick(orders)}/cancel`, token);
      else if (roll < 0.96) await call(base, "GET /api/orders", "GET", "/api/orders?limit=10", token);
      else if (i === 0 || roll < 0.98) {
        const delta = 5 + Math.floor(Math.random() * 10);
        // With its (required) key, retried once after a lost reply or a 503 (outcome unknown or not): applied at most once.
        const headers = { "idempotency-key": `stock-${i}-${Math.random().toString(36).slice(2, 12)}` };
        let res = await call(base, "POST /api/admin/products/:id/stock", "POST", `/api/admin/products/${product}/stock`, adminToken, { delta }, headers);
        if (res.status === 0 || res.status === 503) res = await call(base, "POST /api/admin/products/:id/stock", "POST", `/api/admin/products/${product}/stock`, adminToken, { delta }, headers);
        if (res.status === 200) supplied.set(product, (supplied.get(product) ?? 0) + delta);
        else if (res.status === 0 || res.status === 503) pendingDeltas.push({ product, delta, headers });
      }
      else await call(base, "PATCH /api/admin/products/:id", "PATCH", `/api/admin/products/${product}`, adminToken, { price: price(400 + Math.floor(Math.random() * 400)) });
    }
  };

  const faultRun = async () => {
    if (!fault || !local) return;
    await new Promise((r) => setTimeout(r, (seconds * 1000) / 3));
    faultActive = true;
    const faultStarted = Date.now();
    if (fault === "freeze") {
      process.kill(local.pid!, "SIGSTOP");
      await new Promise((r) => setTimeout(r, faultSeconds * 1000));
      process.kill(local.pid!, "SIGCONT");
    } else {
      const port = local.port;
      await local.stop();
      await new Promise((r) => setTimeout(r, faultSeconds * 1000));
      local = await startDynamoLocal({ dataDir: dataDir!, port });
    }
    console.log(`fault: DynamoDB Local ${fault === "freeze" ? "frozen (SIGSTOP)" : "killed and restarted"} for ${((Date.now() - faultStarted) / 1000).toFixed(1)} s from t=${((faultStarted - startedAt) / 1000).toFixed(1)} s`);
    // Requests already waiting on the store finish within their deadline; count them as during the fault.
    await new Promise((r) => setTimeout(r, 9_000));
    faultActive = false;
  };

  await Promise.all([...Array.from({ length: customers }, (_, i) => customer(i)), faultRun()]);
  // A stock change that got no answer is retried with its key until it is answered: applied exactly once.
  let replayed = 0;
  for (const p of pendingDeltas) {
    for (let res = { status: 0 }; res.status !== 200; ) {
      res = await call(base, "POST /api/admin/products/:id/stock (retry)", "POST", `/api/admin/products/${p.product}/stock`, adminToken, { delta: p.delta }, p.headers);
      if (res.status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    supplied.set(p.product, (supplied.get(p.product) ?? 0) + p.delta);
    replayed++;
  }
  if (replayed > 0) console.log(`${replayed} stock change(s) left unanswered during the fault were retried with their keys afterwards (each applies once)`);
  const elapsed = (Date.now() - startedAt) / 1000;
  const memoryEnd = memory();

  // Report
  const byRoute = new Map<string, Array<Sample>>();
  for (const s of samples) byRoute.set(s.route, [...(byRoute.get(s.route) ?? []), s]);
  console.log(`\n${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(0)}/s), ${customers} customers${fault ? `, fault: ${fault}` : ""}\n`);
  console.log(`${"route".padEnd(36)} ${"req".padStart(6)} ${"req/s".padStart(6)} ${"p50".padStart(7)} ${"p95".padStart(7)} ${"p99".padStart(7)}  non-2xx`);
  for (const [route, xs] of [...byRoute].sort((a, b) => b[1].length - a[1].length)) {
    const ms = xs.map((x) => x.ms);
    const non2xx = new Map<string, number>();
    for (const x of xs.filter((x) => x.status < 200 || x.status >= 300)) non2xx.set(`${x.status} ${x.code}`, (non2xx.get(`${x.status} ${x.code}`) ?? 0) + 1);
    console.log(
      `${route.padEnd(36)} ${String(xs.length).padStart(6)} ${(xs.length / elapsed).toFixed(1).padStart(6)} ${quantile(ms, 0.5).toFixed(1).padStart(7)} ${quantile(ms, 0.95).toFixed(1).padStart(7)} ${quantile(ms, 0.99).toFixed(1).padStart(7)}  ${[...non2xx].map(([k, n]) => `${k} ×${n}`).join(", ")}`,
    );
  }
  const all = samples.map((s) => s.ms);
  console.log(`\nall: p50 ${quantile(all, 0.5).toFixed(1)} ms, p95 ${quantile(all, 0.95).toFixed(1)} ms, p99 ${quantile(all, 0.99).toFixed(1)} ms`);
  const fiveXx = samples.filter((s) => s.status >= 500 || s.status === 0);
  // During a fault the store answers "nothing was changed" where certain and "outcome unknown" where a write was sent.
  const tolerated = fiveXx.filter((s) => s.duringFault && s.status === 503 && (s.code === "store_unavailable" || s.code === "store_outcome_unknown"));
  const unknown = tolerated.filter((s) => s.code === "store_outcome_unknown").length;
  const bad = fiveXx.filter((s) => !tolerated.includes(s));
  console.log(`5xx: ${fiveXx.length} (${tolerated.length} the 503 problem during the fault: ${tolerated.length - unknown} store_unavailable, ${unknown} store_outcome_unknown; ${bad.length} other)`);
  console.log(
    `memory (server and load generator, one process): heap after GC ${mb(memoryStart.heap)} at start, ${mb(memoryEnd.heap)} at end (${mb(memoryEnd.heap - memoryStart.heap)}); rss ${mb(memoryStart.rss)} → ${mb(memoryEnd.rss)}`,
  );

  await stop();
  let violations = 0;
  if (local) {
    // Let in-flight sweeps finish, then audit the table as it is.
    const client = makeLocalClient(local.endpoint);
    const report = await auditTable(client, tableName, { sweepIntervalMs: 60_000, supplied });
    violations = report.violations.length;
    client.destroy();
    await local.stop();
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  process.exit(bad.length > 0 || violations > 0 ? 1 : 0);
};

await runMain(main);
