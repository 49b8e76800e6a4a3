/** Issue 19: a customer may have only so many placed, unpaid orders at once (checking out without paying hoards stock). */
import { Effect, Either, Layer } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { makeManualClock } from "../../adapters/memory/layer.js";
import { holdPolicy, RandomIds } from "../../adapters/system.js";
import { addToCart, createProduct, type Currency, type IdempotencyKey, type Money, OrderStore, placeOrder, placeOrderWithinLimits, type ProductId, type UserId } from "../../domain/index.js";
import { bothStores } from "../support/both-stores.js";
import { uniqueId } from "../support/fixtures.js";
import { outcome, runWith } from "../support/run.js";
import { makeTestApi, problemOf, type TestApi } from "../http/support.js";

const apis: Array<TestApi> = [];
afterAll(() => Promise.all(apis.map((a) => a.close())));

const storesOf = bothStores();

describe.each(Object.entries(storesOf))("The unpaid-orders limit under concurrent checkouts (%s)", (_name, stores) => {
  it("places at most one order from one cart however many keys race, and none past the limit (invariant: placed orders <= limit)", async () => {
    const run = runWith(Layer.mergeAll(await stores(), makeManualClock().layer, RandomIds, holdPolicy(60_000, 99, 2)));
    const price = { amount: 300, currency: "EUR" as Currency } as Money;
    const product = Either.getOrThrow(await run(createProduct({ id: uniqueId("p") as ProductId, name: "Scarce", category: "races", price, stock: 50 })));
    const customer = uniqueId("c") as UserId;
    const checkoutRace = async () => {
      Either.getOrThrow(await run(addToCart(customer, product.id, 1)));
      return Promise.all(Array.from({ length: 5 }, () => run(placeOrderWithinLimits(customer, uniqueId("key") as IdempotencyKey))));
    };
    const first = (await checkoutRace()).map(outcome);
    expect(first.filter((o) => o === "ok")).toHaveLength(1);
    const second = (await checkoutRace()).map(outcome);
    expect(second.filter((o) => o === "ok")).toHaveLength(1);
    const third = (await checkoutRace()).map(outcome);
    expect(third).toEqual(Array(5).fill("CheckoutUnpaidOrdersLimit"));
    const orders = Either.getOrThrow(await run(Effect.flatMap(OrderStore, (s) => s.listByCustomer(customer, { limit: 50 }))));
    expect(orders.items.filter((o) => o.status === "placed")).toHaveLength(2);
  });
});

describe("POST /api/orders with an unpaid-orders limit", () => {
  it("refuses a third unpaid order with 409 unpaid_orders_limit saying what to do, keeps the cart, replays earlier keys, and admits one after a cancel", async () => {
    const api = await makeTestApi({ maxUnpaidOrders: 2 });
    apis.push(api);
    const shopper = await api.user();
    const tea = await api.product({ stock: 20 });
    const checkout = async (key: string) => {
      await api.request({ method: "POST", url: "/api/cart/items", headers: shopper.headers, payload: { productId: tea.id, quantity: 1 } });
      return api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": key } });
    };
    const [a, b] = [await checkout("key-aaaaaaaa"), await checkout("key-bbbbbbbb")];
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const refused = await checkout("key-cccccccc");
    expect(problemOf(refused)).toMatchObject({ status: 409, code: "unpaid_orders_limit" });
    expect(problemOf(refused).detail).toMatch(/pay one .* or cancel one/);
    expect((await api.request({ url: "/api/cart", headers: shopper.headers })).json().lines).toHaveLength(1);
    const replay = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "key-bbbbbbbb" } });
    expect([replay.json().id, replay.headers["idempotent-replayed"]]).toEqual([b.json().id, "true"]);
    // A key bound by a refused checkout (a wrong expected total) is not a way past the limit.
    const bind = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "key-eeeeeeee" }, payload: { expectedTotal: { amount: 1, currency: "EUR" } } });
    expect(problemOf(bind).code).toBe("unpaid_orders_limit");
    await api.runtime.runPromise(placeOrder(shopper.userId as UserId, "key-ffffffff" as IdempotencyKey, { amount: 1, currency: "EUR" } as Money).pipe(Effect.either));
    const bound = await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "key-ffffffff" } });
    expect(problemOf(bound).code).toBe("unpaid_orders_limit");
    expect((await api.request({ method: "POST", url: `/api/orders/${a.json().id}/cancel`, headers: shopper.headers })).statusCode).toBe(200);
    expect((await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "key-dddddddd" } })).statusCode).toBe(201);
  });
});
