/**
 * `npm run pay -- <orderId> [--fail] [--url=http://localhost:3000]`: the simulated provider settles the
 * order's payment (started with POST /api/orders/:id/payment) and sends the signed webhook to the app
 * run by `npm start`. `--fail` declines the card instead.
 */
const args = process.argv.slice(2);
const orderId = args.find((a) => !a.startsWith("--"));
const base = args.find((a) => a.startsWith("--url="))?.slice("--url=".length) ?? `http://localhost:${process.env.PORT || 3000}`;
if (!orderId) {
  console.error("usage: npm run pay -- <orderId> [--fail] [--url=http://localhost:3000]");
  process.exit(2);
}
const outcome = args.includes("--fail") ? "failed" : "succeeded";
const res = await fetch(`${base}/_simulated/payments/${encodeURIComponent(orderId)}/settle?outcome=${outcome}`, { method: "POST" }).catch((e: unknown) => {
  console.error(`Cannot reach ${base}: is \`npm start\` running? (${e instanceof Error ? e.message : e})`);
  process.exit(1);
});
const body = (await res.json()) as { error?: string; event?: { type: string }; webhook?: { status: number; body: unknown } };
if (!res.ok) {
  console.error(res.status === 404 && !body.error ? "This server has no simulated provider (Stripe keys set?)." : (body.error ?? `HTTP ${res.status}`));
  process.exit(1);
}
console.log(`${body.event?.type} sent; the webhook answered ${body.webhook?.status} ${JSON.stringify(body.webhook?.body)}`);
