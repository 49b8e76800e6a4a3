/**
 * A local stand-in for the Stripe API (the `stripe` package accepts host, port and protocol): the
 * simulated ledger behind Stripe's routes, form-encoded bodies, Idempotency-Key and error shapes.
 * It records every request so tests can check what the adapter sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LedgerRefusal, SimulatedLedger } from "../../adapters/payments/ledger.js";

export interface FakeStripe {
  readonly ledger: SimulatedLedger;
  readonly port: number;
  readonly requests: Array<{ method: string; path: string; idempotencyKey: string | undefined; form: Record<string, string>; apiVersion: string | undefined }>;
  close(): Promise<void>;
}

export const startFakeStripe = async (): Promise<FakeStripe> => {
  const ledger = new SimulatedLedger();
  const requests: FakeStripe["requests"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const path = (req.url ?? "").split("?")[0]!;
      const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
      requests.push({ method: req.method ?? "", path, idempotencyKey, form, apiVersion: req.headers["stripe-version"] as string | undefined });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "request-id": `req_${requests.length}` });
        res.end(JSON.stringify(json));
      };
      try {
        if (req.headers.authorization !== "Bearer sk_test_fake") return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
        let m: RegExpExecArray | null;
        if (req.method === "POST" && path === "/v1/payment_intents") {
          const metadata = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (/^metadata\[(.+)\]$/.exec(k) ? [[/^metadata\[(.+)\]$/.exec(k)![1]!, v]] : [])));
          return send(200, ledger.createIntent({ amount: Number(form.amount), currency: form.currency!, metadata }, idempotencyKey));
        }
        if (req.method === "GET" && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) return send(200, ledger.intent(m[1]!));
        if (req.method === "POST" && (m = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path))) return send(200, ledger.cancel(m[1]!));
        if (req.method === "GET" && path === "/v1/refunds") {
          const intent = new URLSearchParams((req.url ?? "").split("?")[1] ?? "").get("payment_intent") ?? "";
          return send(200, { object: "list", url: "/v1/refunds", has_more: false, data: ledger.refundsOf(intent) });
        }
        if (req.method === "POST" && path === "/v1/refunds")
          return send(200, ledger.refund({ payment_intent: form.payment_intent!, ...(form.amount ? { amount: Number(form.amount) } : {}) }, idempotencyKey));
        return send(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${path})` } });
      } catch (e) {
        if (e instanceof LedgerRefusal) return send(e.code === "resource_missing" ? 404 : 400, { error: { type: "invalid_request_error", code: e.code, message: e.message } });
        return send(500, { error: { type: "api_error", message: String(e) } });
      }
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    ledger,
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
};
