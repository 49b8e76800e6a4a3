/**
 * The three reproductions of issue 12 (a hold's version reused after remove + re-add), run on any
 * store layer: each use case is stopped between its read and its commit while the buyer removes the
 * line and adds it again.
 */
import { describe, expect, it } from "vitest";
import type { Layer } from "effect";
import { addToCart, CartStore, IdempotencyStore, placeOrder, releaseExpiredHolds, removeFromCart } from "../../domain/index.js";
import type { Stores } from "../contract/store-contract.js";
import { outcome } from "../support/run.js";
import { afterFirstCall } from "./hooks.js";
import { openSharedShop, type SharedShop, ttlMs } from "./shop.js";

const [alice, bob, carol] = [0, 1, 2];
const minutes = 60_000;

/** Stock 10: Alice holds 5 (now expired), Bob holds 5 (still live). */
const expiredAliceLiveBob = async (shop: SharedShop) => {
  await shop.product(0, 10);
  await shop.ok(addToCart(shop.customerId(alice), shop.productId(0), 5));
  shop.clock.advance(20 * minutes);
  await shop.ok(addToCart(shop.customerId(bob), shop.productId(0), 5));
  shop.clock.advance(ttlMs - 20 * minutes + 1);
};

const aliceReAddsOne = (shop: SharedShop) => async () => {
  await shop.ok(removeFromCart(shop.customerId(alice), shop.productId(0)));
  await shop.ok(addToCart(shop.customerId(alice), shop.productId(0), 1));
};

/** reserved is exactly the units of unreleased holds, and never more than stock. */
const expectCountersMatchHolds = async (shop: SharedShop, customers: ReadonlyArray<number>) => {
  const product = await shop.stored(0);
  const held = (await Promise.all(customers.map((c) => shop.cartOf(c))))
    .flatMap((cart) => cart.lines)
    .filter((l) => !l.released)
    .reduce((n, l) => n + l.quantity, 0);
  expect({ reserved: product.reserved, heldInCarts: held }).toEqual({ reserved: held, heldInCarts: held });
  expect(held).toBeLessThanOrEqual(product.stock);
};

export const describeStaleHoldRegressions = (name: string, makeStores: () => Promise<{ layer: Layer.Layer<Stores>; teardown?: () => Promise<void> }>) =>
  describe(`Stale reads after a remove and re-add (${name})`, () => {
    const withShop = (test: (shop: SharedShop, stores: Layer.Layer<Stores>) => Promise<void>) => async () => {
      const system = await makeStores();
      const shop = openSharedShop(system.layer);
      try {
        await test(shop, system.layer);
      } finally {
        await shop.dispose();
        await system.teardown?.();
      }
    };

    it(
      "a sweeper that read Alice's expired hold leaves her new hold alone (invariant: reserved = units of unreleased holds, no oversell)",
      withShop(async (shop, stores) => {
        await expiredAliceLiveBob(shop);
        const hook = afterFirstCall(stores, CartStore, "expiredHolds", aliceReAddsOne(shop));

        const report = await shop.actor(hook.layer).ok(releaseExpiredHolds(100));

        expect(hook.fired()).toBe(true);
        expect(report).toEqual({ released: 0, skipped: 1 });
        expect((await shop.cartOf(alice)).lines).toMatchObject([{ quantity: 1, released: false }]);
        await expectCountersMatchHolds(shop, [alice, bob]);
        expect(outcome(await shop.run(addToCart(shop.customerId(carol), shop.productId(0), 9)))).toBe("InventoryInsufficientStock");
        shop.clock.advance(ttlMs);
        expect(await shop.ok(releaseExpiredHolds(100))).toEqual({ released: 2, skipped: 0 });
        expect(await shop.stored(0)).toMatchObject({ stock: 10, reserved: 0 });
      }),
    );

    it(
      "a lazy release that read Alice's expired hold leaves her new hold alone, so Carol cannot hold more than is left (invariant: no oversell)",
      withShop(async (shop, stores) => {
        await expiredAliceLiveBob(shop);
        const hook = afterFirstCall(stores, CartStore, "expiredHolds", aliceReAddsOne(shop));

        const carolAdds = await shop.actor(hook.layer).run(addToCart(shop.customerId(carol), shop.productId(0), 5));

        expect(hook.fired()).toBe(true);
        expect(carolAdds).toMatchObject({ _tag: "Left", left: { _tag: "InventoryInsufficientStock", available: 4 } });
        expect((await shop.cartOf(alice)).lines).toMatchObject([{ quantity: 1, released: false }]);
        await expectCountersMatchHolds(shop, [alice, bob, carol]);
      }),
    );

    it(
      "a checkout that read the cart before a remove and re-add is refused as CheckoutCartChanged and changes nothing (invariant: all-or-nothing checkout)",
      withShop(async (shop, stores) => {
        await shop.product(0, 10);
        await shop.ok(addToCart(shop.customerId(alice), shop.productId(0), 2));
        const readdThree = async () => {
          await shop.ok(removeFromCart(shop.customerId(alice), shop.productId(0)));
          await shop.ok(addToCart(shop.customerId(alice), shop.productId(0), 3));
        };
        const hook = afterFirstCall(stores, IdempotencyStore, "find", readdThree);

        const checkout = await shop.actor(hook.layer).run(placeOrder(shop.customerId(alice), shop.key(alice, 0)));

        expect(hook.fired()).toBe(true);
        expect(outcome(checkout)).toBe("CheckoutCartChanged");
        expect((await shop.cartOf(alice)).lines).toMatchObject([{ quantity: 3, released: false }]);
        expect(await shop.stored(0)).toMatchObject({ stock: 10, reserved: 3 });
        await expectCountersMatchHolds(shop, [alice]);
      }),
    );
  });
