/**
 * A scripted walk through the domain on the in-memory stores (`npm run demo`):
 * holds, a scarce product, expiry and lazy release, price snapshots, renewal,
 * idempotent checkout and cancellation. No Java, no network.
 */
import type { Effect as EffectType } from "effect";
import type { Actor, IdempotencyKey, Money, ProductId, UserId } from "../domain/index.js";
import { parseCli } from "./cli.js";

parseCli("npm run demo", { options: {} });
// Flags first: a bad flag or --help answers before the heavy imports load.
const { Effect, Layer, ManagedRuntime } = await import("effect");
const D = await import("../domain/index.js");
const { makeManualClock, memoryStores, SequentialIds } = await import("../adapters/memory/layer.js");
const { defaultPaymentWindowMs, holdPolicy, paymentPolicy } = await import("../adapters/system.js");

const clock = makeManualClock(Date.UTC(2026, 10, 23, 9, 0));
const runtime = ManagedRuntime.make(Layer.mergeAll(memoryStores(), clock.layer, SequentialIds("demo"), // Manual payments on: the demo has no provider, so the admin marks the order paid by hand.
  holdPolicy(2 * 60 * 60 * 1000), paymentPolicy(defaultPaymentWindowMs, true)));
const eur = (amount: number) => ({ amount, currency: "EUR" }) as Money;
const fmt = (m: Money) => `${(m.amount / 100).toFixed(2)} ${m.currency}`;
const at = () => new Date(clock.now()).toISOString().slice(11, 16);
const say = (line: string) => console.log(`[${at()}] ${line}`);

const attempt = async <A, E extends { _tag: string }>(what: string, effect: EffectType.Effect<A, E, never>) => {
  const result = await runtime.runPromise(Effect.either(effect as EffectType.Effect<A, E, never>));
  if (result._tag === "Left") say(`${what} → refused: ${result.left._tag} ${JSON.stringify({ ...result.left, _tag: undefined })}`);
  return result._tag === "Right" ? result.right : undefined;
};
const run = <A, E extends { _tag: string }, R>(what: string, effect: EffectType.Effect<A, E, R>) =>
  attempt(what, effect as unknown as EffectType.Effect<A, E, never>);

const stockLine = async (id: string) => {
  const p = await runtime.runPromise(D.getProduct(id as ProductId));
  return `${p.name}: stock ${p.stock}, reserved ${p.reserved}, available ${D.InventoryOps.available(p)}, price ${fmt(p.price)}`;
};

const alice = "alice" as UserId;
const bob = "bob" as UserId;
const admin: Actor = { userId: "admin" as UserId, role: "admin" };
const lamp = "lamp" as ProductId;
const mug = "mug" as ProductId;

await run("create lamp", D.createProduct({ id: lamp, name: "Brass desk lamp", category: "home", price: eur(8900), stock: 2 }));
await run("create mug", D.createProduct({ id: mug, name: "Stoneware mug", category: "kitchen", price: eur(1450), stock: 10 }));
say(await stockLine(lamp));

await run("alice adds 2 lamps", D.addToCart(alice, lamp, 2));
await run("alice adds 3 mugs", D.addToCart(alice, mug, 3));
say(`Alice holds 2 lamps and 3 mugs for 2 hours. ${await stockLine(lamp)}`);
await run("bob adds 1 lamp", D.addToCart(bob, lamp, 1));

clock.advance(2 * 60 * 60 * 1000 + 60_000);
say("Two hours pass: Alice's holds have expired but still count until released.");
await run("bob adds 1 lamp", D.addToCart(bob, lamp, 1));
say(`Lazy release freed Alice's lamps for Bob. ${await stockLine(lamp)}`);

await run("admin raises the mug price", D.updateProduct(mug, { price: eur(1650) }));
await run("alice checks out", D.placeOrder(alice, "alice-key-0001" as IdempotencyKey));
const renewed = await run("alice renews her cart", D.renewCart(alice));
for (const r of renewed?.report ?? [])
  say(
    r.outcome === "renewed"
      ? `  ${r.productId}: renewed at ${fmt(r.currentPrice)} (was ${fmt(r.previousPrice)})`
      : r.outcome === "unavailable"
        ? `  ${r.productId}: unavailable (${r.available} left)`
        : `  ${r.productId}: ${r.outcome}`,
  );
await run("alice drops the lamps", D.removeFromCart(alice, lamp));

const key = "alice-key-0002" as IdempotencyKey;
const placed = await run("alice checks out", D.placeOrder(alice, key));
if (placed) say(`Order ${placed.order.id}: ${placed.order.lines.map((l) => `${l.quantity} x ${l.name} @ ${fmt(l.unitPrice)}`).join(", ")} = ${fmt(placed.order.total)}`);
const replay = await run("alice's client retries the same request", D.placeOrder(alice, key));
say(`Replay returned order ${replay?.order.id} (replayed: ${replay?.replayed}); still one order.`);
say(await stockLine(mug));

await run("admin marks it paid", D.advanceOrder(admin, placed!.order.id, "paid"));
await run("alice tries to cancel a paid order herself", D.cancelOrder({ userId: alice, role: "customer" }, placed!.order.id));
const cancelled = await run("admin cancels it", D.cancelOrder(admin, placed!.order.id));
say(`Order is ${cancelled?.status}; stock returned once. ${await stockLine(mug)}`);
await run("admin cancels it again", D.cancelOrder(admin, placed!.order.id));
await runtime.dispose();
