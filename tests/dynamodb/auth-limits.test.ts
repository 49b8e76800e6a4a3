/** Login and register limits kept in the table: shared by every API instance, per IP and per account. */
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeManualClock, makeMemoryDb, memoryStores } from "../../adapters/memory/layer.js";
import { admitAttempt, AttemptCounter, type Timestamp } from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { makeTestApi, problemOf, type TestApi } from "../http/support.js";

const tables: Array<FreshTable> = [];
afterAll(() => Promise.all(tables.map(deleteTable)));
const table = async () => {
  const t = await freshTable();
  tables.push(t);
  return dynamoStores({ client: t.client, tableName: t.tableName });
};

describe.each([
  ["memory", async () => memoryStores()],
  ["DynamoDB Local", table],
] as const)("AttemptCounter contract: %s", (_name, stores) => {
  it("admits exactly max attempts per key and window, refuses the rest with the time left, and starts again in the next window", async () => {
    const clock = makeManualClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const runtime = ManagedRuntime.make(Layer.merge(await stores(), clock.layer));
    const limit = [{ key: "ip:10.0.0.1:auth", max: 3, windowMs: 60_000 }];
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => runtime.runPromise(Effect.either(admitAttempt(limit)))));
    expect(outcomes.filter((o) => o._tag === "Right")).toHaveLength(3);
    expect(outcomes.find((o) => o._tag === "Left")).toMatchObject({ left: { _tag: "TooManyAttempts", retryAfterSeconds: 50 } });
    clock.advance(50_000);
    expect((await runtime.runPromise(Effect.either(admitAttempt(limit))))._tag).toBe("Right");
    const other = await runtime.runPromise(Effect.flatMap(AttemptCounter, (c) => c.hit("ip:10.0.0.2:auth", 3, 60_000, clock.now() as Timestamp)));
    expect(other.allowed).toBe(true);
    await runtime.dispose();
  });

  it("forgives one counted attempt in the window it was counted in, never going below zero or creating a count", async () => {
    const clock = makeManualClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const runtime = ManagedRuntime.make(Layer.merge(await stores(), clock.layer));
    const now = clock.now() as Timestamp;
    const run = <A>(f: (c: typeof AttemptCounter.Service) => Effect.Effect<A, unknown>) => runtime.runPromise(Effect.flatMap(AttemptCounter, f));
    await run((c) => c.forgive("ip:10.0.0.3:auth", 60_000, now));
    for (let i = 0; i < 2; i++) expect((await run((c) => c.hit("ip:10.0.0.3:auth", 2, 60_000, now))).allowed).toBe(true);
    expect((await run((c) => c.hit("ip:10.0.0.3:auth", 2, 60_000, now))).allowed).toBe(false);
    await run((c) => c.forgive("ip:10.0.0.3:auth", 60_000, now));
    expect((await run((c) => c.hit("ip:10.0.0.3:auth", 2, 60_000, now))).allowed).toBe(true);
    expect((await run((c) => c.hit("ip:10.0.0.3:auth", 2, 60_000, now))).allowed).toBe(false);
    await runtime.dispose();
  });
});

describe("The memory attempt counter", () => {
  it("forgets windows that have ended, so a long-running process does not keep every IP it ever saw", async () => {
    const db = makeMemoryDb();
    const clock = makeManualClock(Date.UTC(2026, 0, 1));
    const runtime = ManagedRuntime.make(Layer.merge(memoryStores(db), clock.layer));
    for (let i = 0; i < 50; i++) await runtime.runPromise(admitAttempt([{ key: `ip:10.0.0.${i}:auth`, max: 3, windowMs: 60_000 }]));
    expect(db.attempts.size).toBe(50);
    clock.advance(60_000);
    await runtime.runPromise(admitAttempt([{ key: "ip:10.0.1.1:auth", max: 3, windowMs: 60_000 }]));
    expect(db.attempts.size).toBe(1);
    await runtime.dispose();
  });
});

describe("Login limits on DynamoDB Local", () => {
  const apis: Array<TestApi> = [];
  afterAll(() => Promise.all(apis.map((a) => a.close())));
  const instances = async (n: number, limits: Parameters<typeof makeTestApi>[0]) => {
    const stores = await table();
    for (let i = 0; i < n; i++) apis.push(await makeTestApi({ ...limits, stores }));
    return apis.slice(-n);
  };
  const login = (api: TestApi, email: string, ip: string) => api.request({ method: "POST", url: "/auth/login", remoteAddress: ip, payload: { email, password: "wrong-password" } });

  it("are shared by two app instances on one table: attempts from one IP count across both", async () => {
    const [a, b] = await instances(2, { authLimits: { perIp: { max: 4, windowMs: 60_000 } } });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await login(i % 2 ? b! : a!, `user${i}@example.com`, "198.51.100.7")).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it("slow one account down whatever the IP (an address that failed is refused, a clean one gets one try), and answer an unknown email exactly like a known one", async () => {
    const [api] = await instances(1, { authLimits: { perAccount: { max: 3, windowMs: 15 * 60_000 } } });
    await api!.user("customer", "known@example.com");
    const run = async (email: string, net: string) => {
      const answers = [];
      for (const host of [1, 2, 3, 1, 2, 4, 4]) {
        const res = await login(api!, email, `${net}.${host}`);
        answers.push(`${res.statusCode}:${problemOf(res).code}`);
      }
      return answers;
    };
    const known = await run("known@example.com", "203.0.113");
    const unknown = await run("Nobody@Example.com", "198.51.100");
    const [ok, limited] = ["401:invalid_credentials", "429:rate_limited"];
    expect(known).toEqual([ok, ok, ok, limited, limited, ok, limited]);
    expect(unknown).toEqual(known);
  });
});

describe.each([
  ["memory", async () => memoryStores()],
  ["DynamoDB Local", table],
] as const)("Login limits and the owner (%s)", (_name, stores) => {
  const apis: Array<TestApi> = [];
  afterAll(() => Promise.all(apis.map((a) => a.close())));
  const app = async () => {
    const api = await makeTestApi({ stores: await stores(), authLimits: { perIp: { max: 10, windowMs: 60_000 }, perAccount: { max: 10, windowMs: 15 * 60_000 } } });
    apis.push(api);
    await api.user("admin", "owner@example.com");
    return api;
  };
  const login = (api: TestApi, password: string, ip: string) =>
    api.request({ method: "POST", url: "/auth/login", remoteAddress: ip, payload: { email: "owner@example.com", password } });

  it("lets the owner in with the right password from another address after ten wrong ones from one address (regression: 429, Retry-After 884)", async () => {
    const api = await app();
    for (let i = 0; i < 10; i++) expect((await login(api, "wrong-password", "192.0.2.66")).statusCode).toBe(401);
    expect((await login(api, "password-123", "192.0.2.66")).statusCode).toBe(429);
    expect((await login(api, "password-123", "198.51.100.20")).statusCode).toBe(200);
    expect((await login(api, "password-123", "198.51.100.20")).statusCode).toBe(200);
  });

  it("does not count successes: fifteen right logins from one address in a minute all succeed", async () => {
    const api = await app();
    const answers = [];
    for (let i = 0; i < 15; i++) answers.push((await login(api, "password-123", "198.51.100.21")).statusCode);
    expect(answers).toEqual(Array(15).fill(200));
  });

  it("admits a clean address once while the account is over its limit, however many of its guesses race", async () => {
    const api = await app();
    for (let i = 0; i < 10; i++) await login(api, "wrong-password", `192.0.2.${i + 1}`);
    const burst = await Promise.all(Array.from({ length: 8 }, () => login(api, "wrong-password", "203.0.113.99")));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([401, ...Array(7).fill(429)]);
  });
});
