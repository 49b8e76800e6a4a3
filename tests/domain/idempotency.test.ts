import { describe, expect, it } from "vitest";
import { addToCart, adjustStock, type IdempotencyKey } from "../../domain/index.js";
import { openShop } from "../support/shop.js";

const key = (k: string) => `key-${k}-0000` as IdempotencyKey;

describe("addToCart with an Idempotency-Key", () => {
  it("adds once: a retry after a lost reply gets the cart as it is now, marked replayed, and holds nothing more (invariant: no double hold)", async () => {
    const shop = await openShop([10, 10, 10]);
    const r = shop.real;
    const first = await r.ok(addToCart(r.customerId(0), r.productId(0), 3, key("a")));
    await r.ok(addToCart(r.customerId(0), r.productId(1), 1));
    const retry = await r.ok(addToCart(r.customerId(0), r.productId(0), 3, key("a")));
    expect(first.replayed).toBe(false);
    expect(retry.replayed).toBe(true);
    expect(retry.value.lines.map((l) => [l.productId, l.quantity])).toEqual([
      [r.productId(0), 3],
      [r.productId(1), 1],
    ]);
    expect(shop.db.products.get(r.productId(0))).toMatchObject({ reserved: 3 });
  });

  it("refuses the key for another request (other product or quantity), and scopes keys to their customer", async () => {
    const shop = await openShop([10, 10, 10]);
    const r = shop.real;
    await r.ok(addToCart(r.customerId(0), r.productId(0), 3, key("b")));
    expect(await r.run(addToCart(r.customerId(0), r.productId(0), 4, key("b")))).toMatchObject({ left: { _tag: "IdempotencyKeyReused" } });
    expect(await r.run(addToCart(r.customerId(0), r.productId(1), 3, key("b")))).toMatchObject({ left: { _tag: "IdempotencyKeyReused" } });
    expect((await r.ok(addToCart(r.customerId(1), r.productId(0), 3, key("b")))).replayed).toBe(false);
    expect(shop.db.products.get(r.productId(0))).toMatchObject({ reserved: 6 });
  });

  it("remembers nothing of a refused add: the same key may try again once stock is back", async () => {
    const shop = await openShop([2, 10, 10]);
    const r = shop.real;
    expect(await r.run(addToCart(r.customerId(0), r.productId(0), 3, key("c")))).toMatchObject({ left: { _tag: "InventoryInsufficientStock" } });
    await r.ok(adjustStock(r.productId(0), 1));
    expect((await r.ok(addToCart(r.customerId(0), r.productId(0), 3, key("c")))).replayed).toBe(false);
  });
});

describe("adjustStock with an Idempotency-Key", () => {
  it("adds the delta once: a retry after a lost reply gets the product, marked replayed, with no phantom units (invariant: conservation)", async () => {
    const shop = await openShop([5, 5, 5]);
    const r = shop.real;
    const admin = { callerId: r.customerId(9), key: key("d") };
    expect((await r.ok(adjustStock(r.productId(0), 10, admin))).value.stock).toBe(15);
    const retry = await r.ok(adjustStock(r.productId(0), 10, admin));
    expect(retry).toMatchObject({ replayed: true, value: { stock: 15 } });
    expect(await r.run(adjustStock(r.productId(0), -2, admin))).toMatchObject({ left: { _tag: "IdempotencyKeyReused" } });
    expect(shop.db.products.get(r.productId(0))).toMatchObject({ stock: 15 });
  });
});
