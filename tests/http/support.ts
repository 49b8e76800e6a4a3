/** An app on the memory stores with a manual clock: fast, deterministic route tests through app.inject. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { SimulatedLedger } from "../../adapters/payments/ledger.js";
import { simulatedPayments } from "../../adapters/payments/layer.js";
import { paymentPolicy } from "../../adapters/system.js";
import { Layer } from "effect";
import {
  type Currency,
  type Money,
  type NewProduct,
  type Product,
  type ProductId,
  type Role,
  createProduct,
  registerUser,
} from "../../domain/index.js";
import { buildApp, type AppOptions } from "../../adapters/http/app.js";
import { makeTokens } from "../../adapters/http/auth/tokens.js";
import { hashPassword, type ScryptParams } from "../../adapters/http/auth/password.js";
import { makeAppRuntime, type AppRuntime, type StoreServices } from "../../adapters/http/runtime.js";
import { makeManualClock, memoryStores, SequentialIds, type ManualClock } from "../../adapters/memory/layer.js";

/** Cheap scrypt for tests; production parameters are tested once in password.test.ts. */
export const fastScrypt: ScryptParams = { N: 1024, r: 8, p: 1 };

export const testAuth = { secret: "test-secret-that-is-at-least-32-chars", issuer: "cartwright-test", audience: "cartwright-test-api", ttlSeconds: 3600 };

export const holdTtlMs = 15 * 60_000;

export const eur = (amount: number) => ({ amount, currency: "EUR" as Currency }) as Money;

export interface Caller {
  readonly userId: string;
  readonly token: string;
  readonly headers: { readonly authorization: string };
}

export interface TestApi {
  readonly app: FastifyInstance;
  readonly clock: ManualClock;
  readonly runtime: AppRuntime;
  /** The simulated provider's ledger and webhook secret. */
  readonly payments: { readonly ledger: SimulatedLedger; readonly webhookSecret: string };
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  user(role?: Role, email?: string): Promise<Caller>;
  product(overrides?: Partial<NewProduct>): Promise<Product>;
  close(): Promise<void>;
}

let counter = 0;

export const makeTestApi = async (
  options: Partial<Omit<AppOptions, "runtime">> & {
    readonly stores?: Layer.Layer<StoreServices>;
    /** Manual payments are on unless turned off (lifecycle tests move orders to paid by hand). */
    readonly manualPayments?: boolean;
    readonly paymentWindowMs?: number;
    /** Units of one product a customer may hold at once (only the line cap unless given). */
    readonly maxUnitsPerProduct?: number;
    /** Placed, unpaid orders a customer may have at once (no limit unless given). */
    readonly maxUnpaidOrders?: number;
  } = {},
): Promise<TestApi> => {
  const clock = makeManualClock(Date.UTC(2026, 0, 1, 12));
  const payments = simulatedPayments();
  const runtime = makeAppRuntime({
    stores: options.stores ?? memoryStores(),
    holdTtlMs,
    ...(options.maxUnitsPerProduct === undefined ? {} : { maxUnitsPerProduct: options.maxUnitsPerProduct }),
    ...(options.maxUnpaidOrders === undefined ? {} : { maxUnpaidOrders: options.maxUnpaidOrders }),
    clock: clock.layer,
    ids: SequentialIds("t"),
    gateway: payments.layer,
    paymentPolicy: paymentPolicy(options.paymentWindowMs ?? 30 * 60_000, options.manualPayments ?? true),
  });
  // A long deadline unless a test sets one: slowness on a loaded machine must not become 503s (deadline.test.ts tests them).
  const app = await buildApp({ auth: testAuth, corsOrigins: ["https://shop.example"], logger: false, scrypt: fastScrypt, requestTimeoutMs: 60_000, ...options, runtime });
  const tokens = makeTokens(testAuth);
  return {
    app,
    clock,
    runtime,
    payments,
    request: (o) => app.inject(o),
    user: async (role = "customer", email = `user${++counter}@example.com`) => {
      const passwordHash = await hashPassword("password-123", fastScrypt);
      const user = await runtime.runPromise(registerUser({ email, name: "Test User", passwordHash, role }));
      const token = await tokens.issue(user);
      return { userId: user.id, token, headers: { authorization: `Bearer ${token}` } };
    },
    product: (overrides = {}) =>
      runtime.runPromise(
        createProduct({ id: `p${++counter}` as ProductId, name: `Product ${counter}`, category: "tea", price: eur(1000), stock: 10, ...overrides }),
      ),
    close: async () => {
      await app.close();
      await runtime.dispose();
    },
  };
};

/** Asserts an RFC 9457 body and returns it. */
export const problemOf = (res: LightMyRequestResponse) => {
  if (!String(res.headers["content-type"]).startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.headers["content-type"]}: ${res.body}`);
  }
  const body = res.json() as { type: string; title: string; status: number; detail: string; code: string; field?: string; in?: string };
  if (body.status !== res.statusCode) throw new Error(`problem status ${body.status} != ${res.statusCode}`);
  return body;
};
