/**
 * `npm run pay -- <orderId> [--fail] [--url URL]`: the simulated provider settles the order's payment (started
 * with POST /api/orders/:id/payment) and sends the signed webhook to the app run by `npm start`, found at
 * --url, else http://localhost:$PORT (3000 by default, as `npm start`). `--fail` declines the card instead.
 */
import { parseCli, fail, usageError } from "./cli.js";

const usage = "npm run pay -- <orderId> [--fail] [--url http://localhost:3000]  (or PORT=<port> npm run pay -- <orderId>)";
const { values, positionals } = parseCli(usage, { options: { fail: { type: "boolean" }, url: { type: "string" } }, allowPositionals: true });
const [orderId, ...extra] = positionals;
if (!orderId) usageError(usage, "an order id is required");
if (extra.length > 0) usageError(usage, `one order id at a time, got ${positionals.length}`);
const base = (values.url ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
const whence = values.url ? "--url" : process.env.PORT ? "PORT" : "the default port (PORT unset)";
const outcome = values.fail ? "failed" : "succeeded";
const res = await fetch(`${base}/_simulated/payments/${encodeURIComponent(orderId!)}/settle?outcome=${outcome}`, { method: "POST" }).catch((e: unknown) =>
  fail(
    `Cannot reach ${base} (from ${whence}): ${e instanceof Error ? (e.cause as Error | undefined)?.message ?? e.message : e}. ` +
      "Is `npm start` running? If it listens elsewhere, give PORT=<port> or --url <url>.",
  ),
);
const body = (await res.json().catch(() => ({}))) as { error?: string; event?: { type: string }; webhook?: { status: number; body: unknown } };
if (!res.ok) fail(res.status === 404 && !body.error ? `${base} has no simulated provider (Stripe keys set, or not Cartwright?).` : (body.error ?? `HTTP ${res.status}`));
console.log(`${body.event?.type} sent; the webhook answered ${body.webhook?.status} ${JSON.stringify(body.webhook?.body)}`);
