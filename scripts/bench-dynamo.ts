/**
 * Write capacity per use case on DynamoDB Local, measured (ReturnConsumedCapacity) beside
 * the analytic figure AWS would bill (adapters/dynamodb/wcu.ts). Run: npm run bench:dynamo
 */
import type { Effect as EffectType, Layer as LayerType } from "effect";
import type { WriteCost } from "../adapters/dynamodb/wcu.js";
import type { Currency, IdempotencyKey, Money, ProductId, UserId } from "../domain/index.js";
import { parseCli } from "./cli.js";

parseCli("npm run bench:dynamo", { options: {} });
// Flags first: a bad flag or --help answers before the heavy imports load.
const { Effect, Either, Layer } = await import("effect");
const { createTable } = await import("../adapters/dynamodb/create-table.js");
const { dynamoStores, makeCapacityRecorder } = await import("../adapters/dynamodb/layer.js");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { checkoutWcu, reserveWcu } = await import("../adapters/dynamodb/wcu.js");
const { makeManualClock } = await import("../adapters/memory/layer.js");
const { holdPolicy, RandomIds } = await import("../adapters/system.js");
const { addToCart, CartStore, CheckoutOps, createProduct, placeOrder, ProductStore } = await import("../domain/index.js");
const local = await startDynamoLocal();
const client = makeLocalClient(local.endpoint);
try {
  await createTable(client, "cartwright-bench");
  const metrics = makeCapacityRecorder();
  const clock = makeManualClock();
  const layer = Layer.mergeAll(dynamoStores({ client, tableName: "cartwright-bench", metrics }), clock.layer, RandomIds, holdPolicy(3_600_000));
  const ok = async <A, E, R>(effect: EffectType.Effect<A, E, R>) => Either.getOrThrow(await Effect.runPromise(Effect.either(effect).pipe(Effect.provide(layer as LayerType.Layer<R>))));
  const measured = (operation: string) => {
    const t = metrics.totals().get(operation);
    return { total: t?.writeUnits ?? 0, table: t?.byTarget.table ?? 0, indexes: (t?.writeUnits ?? 0) - (t?.byTarget.table ?? 0) };
  };
  const price = { amount: 1999, currency: "EUR" } as Money & { currency: Currency };
  const rows: Array<[string, { total: number; table: number; indexes: number }, WriteCost, WriteCost]> = [];

  for (const n of [1, 10, 40]) {
    const customer = `bench-c${n}` as UserId;
    const ids = Array.from({ length: n }, (_, i) => `bench-${n}-${String(i).padStart(2, "0")}` as ProductId);
    for (const id of ids)
      await ok(createProduct({ id, name: `Stoneware mug ${id}`, category: "kitchen", description: "Hand-glazed, 350 ml, dishwasher safe.", price, stock: 1000 }));
    for (const [i, id] of ids.entries()) {
      const before = await ok(Effect.flatMap(ProductStore, (s) => s.get(id)));
      metrics.reset();
      await ok(addToCart(customer, id, 2));
      if (n === 1 && i === 0) {
        const line = (await ok(Effect.flatMap(CartStore, (s) => s.get(customer)))).lines[0]!;
        const product = Either.getOrThrow(Either.fromOption(before, () => id));
        rows.push(["reserve (add a line)", measured("CartStore.apply"), reserveWcu(customer, line, product), reserveWcu(customer, line, product, 2)]);
      }
    }
    const cart = await ok(Effect.flatMap(CartStore, (s) => s.get(customer)));
    const products = await Promise.all(ids.map((id) => ok(Effect.flatMap(ProductStore, (s) => s.get(id))).then((o) => Either.getOrThrow(Either.fromOption(o, () => id)))));
    const key = `bench-key-${n}` as IdempotencyKey;
    metrics.reset();
    const { order } = await ok(placeOrder(customer, key));
    const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key, orderId: order.id, now: order.createdAt }));
    const name = `checkout of ${n} line${n === 1 ? "" : "s"}`;
    rows.push([name, measured("OrderStore.commitCheckout"), checkoutWcu(plan, cart.lines, products), checkoutWcu(plan, cart.lines, products, 2)]);
  }

  const cell = (c: { total: number; table: number; indexes: number }) => `${c.total} (${c.table}+${c.indexes})`.padStart(16);
  console.log("WCU per use case, as total (table + indexes)\n");
  console.log(["use case".padEnd(22), "Local measured".padStart(16), "analytic idx x1".padStart(16), "analytic idx x2".padStart(16)].join(" "));
  for (const [name, m, a1, a2] of rows) console.log([name.padEnd(22), cell(m), cell(a1), cell(a2)].join(" "));
  console.log("\nDynamoDB Local charges index writes of a transaction twice and under-reports large transactions;");
  console.log("the analytic columns bound what AWS bills (index writes as standard writes, or doubled like the table's).");
} finally {
  client.destroy();
  await local.stop();
}
