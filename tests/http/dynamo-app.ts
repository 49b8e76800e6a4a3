/** The app over real HTTP on a fresh DynamoDB Local table, with the system clock: as `npm start` runs it. */
import type { AddressInfo } from "node:net";
import { buildApp } from "../../adapters/http/app.js";
import { makeTokens } from "../../adapters/http/auth/tokens.js";
import { makeAppRuntime, type AppRuntime } from "../../adapters/http/runtime.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import type { SimulatedLedger } from "../../adapters/payments/ledger.js";
import { simulatedPayments } from "../../adapters/payments/layer.js";
import { paymentPolicy } from "../../adapters/system.js";
import { deleteTable, freshTable, patientRetry } from "../support/dynamo.js";
import { fastScrypt, testAuth } from "./support.js";

export interface LiveApi {
  readonly url: string;
  readonly runtime: AppRuntime;
  readonly payments: { readonly ledger: SimulatedLedger; readonly webhookSecret: string };
  readonly tokens: ReturnType<typeof makeTokens>;
  fetchJson(path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{
    status: number;
    headers: Headers;
    /** JSON from the wire; each test checks its shape. */
    body: any;
  }>;
  close(): Promise<void>;
}

/** Manual payments on unless told otherwise: the lifecycle journey marks orders paid by hand. */
export const startLiveApi = async (options: { readonly manualPayments?: boolean } = {}): Promise<LiveApi> => {
  const table = await freshTable();
  const payments = simulatedPayments();
  const runtime = makeAppRuntime({
    stores: dynamoStores({ client: table.client, tableName: table.tableName, retry: patientRetry }),
    holdTtlMs: 15 * 60_000,
    gateway: payments.layer,
    paymentPolicy: paymentPolicy(30 * 60_000, options.manualPayments ?? true),
  });
  // A long deadline: these tests race on a shared DynamoDB Local, where a loaded CI is slow, not broken (tests/http/deadline.test.ts tests deadlines).
  const app = await buildApp({ runtime, auth: testAuth, corsOrigins: [], logger: false, scrypt: fastScrypt, requestTimeoutMs: 60_000 });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    runtime,
    payments,
    tokens: makeTokens(testAuth),
    fetchJson: async (path, init = {}) => {
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    close: async () => {
      await app.close();
      await runtime.dispose();
      await deleteTable(table);
    },
  };
};
