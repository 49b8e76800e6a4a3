import { Effect, Either, Layer, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventItem, orderItem } from "../../adapters/dynamodb/items.js";
import { dynamoStores, makeCapacityRecorder } from "../../adapters/dynamodb/layer.js";
import { checkoutWcu, itemSize, reserveWcu } from "../../adapters/dynamodb/wcu.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import {
  addToCart,
  CartStore,
  CheckoutOps,
  type Clock,
  createProduct,
  type HoldPolicy,
  type IdempotencyKey,
  type IdGenerator,
  type OrderId,
  placeOrder,
  ProductStore,
  type ProductId,
  type Timestamp,
  type UserId,
} from "../../domain/index.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import { customer, eur, line, product, uniqueId } from "../support/fixtures.js";
import { runWith } from "../support/run.js";

type Services = Layer.Layer.Success<ReturnType<typeof dynamoStores>> | Clock | IdGenerator | HoldPolicy;
let table: FreshTable;
const metrics = makeCapacityRecorder();
let ok: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>;

beforeAll(async () => {
  table = await freshTable();
  const run = runWith(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName, metrics }), makeManualClock().layer, RandomIds, holdPolicy(60_000)));
  ok = async (effect) => Either.getOrThrow(await run(effect));
});
afterAll(() => deleteTable(table));

const newProduct = () => ok(createProduct({ id: uniqueId("p") as ProductId, name: "Mug", category: "kitchen", price: eur(900), stock: 20 }));
const written = (operation: string) => metrics.totals().get(operation)?.writeUnits;

describe("CapacityRecorder", () => {
  it("totals consumed capacity per store operation, reads apart from writes", async () => {
    const p = await newProduct();
    metrics.reset();
    await ok(Effect.flatMap(ProductStore, (s) => s.get(p.id)));
    await ok(Effect.flatMap(ProductStore, (s) => s.get(p.id)));
    await ok(addToCart(uniqueId("c") as UserId, p.id, 1));

    const totals = metrics.totals();
    // Two reads here and addToCart's own: one RCU each (consistent reads of items under 4 KB).
    expect(totals.get("ProductStore.get")).toMatchObject({ calls: 3, readUnits: 3, writeUnits: 0 });
    expect(totals.get("CartStore.apply")).toMatchObject({ calls: 1, readUnits: 0 });
    expect(written("CartStore.apply")).toBeGreaterThan(0);
  });
});

describe("transactionWcu", () => {
  it("reproduces DynamoDB Local's figures for a reserve and a one-line checkout when index writes count double (Local leaves out the checkout's cart counter)", async () => {
    const p = await newProduct();
    const buyer = uniqueId("c") as UserId;
    metrics.reset();
    await ok(addToCart(buyer, p.id, 2));
    const cart = await ok(Effect.flatMap(CartStore, (s) => s.get(buyer)));
    expect(written("CartStore.apply")).toBe(reserveWcu(buyer, cart.lines[0]!, p, 2).total);

    const before = Option.getOrThrow(await ok(Effect.flatMap(ProductStore, (s) => s.get(p.id))));
    const key = uniqueId("key") as IdempotencyKey;
    metrics.reset();
    const { order } = await ok(placeOrder(buyer, key));
    const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key, orderId: order.id, now: order.createdAt }));
    // Local under-reports transactions: it does not charge the cart counter's ADD (2 WCU) in a checkout.
    expect(written("OrderStore.commitCheckout")).toBe(checkoutWcu(plan, cart.lines, [before], 2).total - 2);
  });

  it("prices a checkout of n small lines at 4 + 4 x (order KB) + 5 x (event KB) + 9n WCU with index writes at 1x", () => {
    const c = customer("c-1");
    const lines = Array.from({ length: 40 }, (_, i) => line(`p-${i}`, { quantity: 2 as never, expiresAt: 5_000 as never }));
    const products = lines.map((l) => product(l.productId, { stock: 10, reserved: 2 }));
    const plan = Either.getOrThrow(
      CheckoutOps.plan({ cart: { customerId: c, lines }, key: "key-12345678" as IdempotencyKey, orderId: "o-1" as OrderId, now: 1_000 as Timestamp }),
    );
    const orderKb = Math.ceil(itemSize(orderItem(plan.order)) / 1024);
    // The OrderPlaced outbox item: 2 table units per KB, and entries in three indexes (by order, by type, all).
    const eventKb = Math.ceil(itemSize(eventItem(plan.events[0]!)) / 1024);

    expect(checkoutWcu(plan, lines, products)).toEqual({
      table: 4 + 2 * orderKb + 2 * eventKb + 4 * 40,
      indexes: 2 * orderKb + 3 * eventKb + 5 * 40,
      total: 4 + 4 * orderKb + 5 * eventKb + 9 * 40,
    });
  });
});
