import { Either, Option } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckoutOps, IdempotencyOps, type Cart, type IdempotencyKey, type Money, type OrderId, type Timestamp } from "../../domain/index.js";
import { customer, eur, line } from "../support/fixtures.js";

const key = "key-00000001" as IdempotencyKey;
const at = (now: number) => ({ key, orderId: "o1" as OrderId, now: now as Timestamp });

const liveCart = fc
  .uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z]{1,6}$/), q: fc.integer({ min: 1, max: 99 }), price: fc.nat(100_000_000_000) }), {
    minLength: 1,
    maxLength: 40,
    selector: (l) => l.id,
  })
  .map((ls): Cart => ({
    customerId: customer("c"),
    lines: ls.map((l) => line(l.id, { quantity: l.q as never, unitPrice: eur(l.price), expiresAt: 1000 as never })),
  }));

describe("CheckoutOps.plan", () => {
  it("totals an order as the exact sum of quantity x snapshot price (invariant: exact totals)", () => {
    fc.assert(
      fc.property(liveCart, (cart) => {
        const { order } = Either.getOrThrow(CheckoutOps.plan({ cart, ...at(999) }));
        const expected = cart.lines.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0);
        expect(order.total).toEqual(eur(expected));
        expect(order.subtotal).toEqual(order.total);
        expect(order.lines.map((l) => l.lineTotal.amount)).toEqual(cart.lines.map((l) => l.quantity * l.unitPrice.amount));
        expect(Number.isSafeInteger(order.total.amount)).toBe(true);
      }),
    );
  });

  it("consumes every hold and sells exactly its quantity", () => {
    fc.assert(
      fc.property(liveCart, (cart) => {
        const plan = Either.getOrThrow(CheckoutOps.plan({ cart, ...at(0) }));
        expect(plan.consumed).toEqual(
          cart.lines.map((l) => ({ productId: l.productId, hold: { holdId: l.holdId, version: l.version }, quantity: l.quantity })),
        );
        expect(plan.order.status).toBe("placed");
      }),
    );
  });

  it("refuses an empty cart", () => {
    expect(CheckoutOps.plan({ cart: { customerId: customer("c"), lines: [] }, ...at(0) })).toMatchObject({ left: { _tag: "CheckoutEmptyCart" } });
  });

  it("refuses a cart with any expired or released hold, naming those lines", () => {
    const cart: Cart = { customerId: customer("c"), lines: [line("a", { expiresAt: 50 as never }), line("b", { expiresAt: 500 as never }), line("c", { released: true, expiresAt: 900 as never })] };
    expect(CheckoutOps.plan({ cart, ...at(50) })).toMatchObject({ left: { _tag: "CheckoutHoldExpired", productIds: ["a", "c"] } });
  });

  it("refuses a total the buyer has not seen", () => {
    const cart: Cart = { customerId: customer("c"), lines: [line("a", { quantity: 2 as never, unitPrice: eur(300) })] };
    expect(CheckoutOps.plan({ cart, ...at(0), expectedTotal: eur(500) as Money })).toMatchObject({
      left: { _tag: "CheckoutPriceMismatch", expectedAmount: 500, actualAmount: 600 },
    });
    expect(Either.isRight(CheckoutOps.plan({ cart, ...at(0), expectedTotal: eur(600) }))).toBe(true);
  });
});

describe("CheckoutOps.resume", () => {
  it("names the order a key placed whatever the cart holds now (invariant: one order per key)", () => {
    fc.assert(
      fc.property(liveCart, liveCart, (cart, other) => {
        const { record } = Either.getOrThrow(CheckoutOps.plan({ cart, ...at(0) }));
        for (const now of [cart, other, { ...cart, lines: [] }]) expect(CheckoutOps.resume(record, now)).toEqual(Either.right(Option.some("o1")));
      }),
    );
  });

  it("lets a key whose checkout was refused check out the same cart again, and refuses it for any other cart", () => {
    fc.assert(
      fc.property(liveCart, liveCart, (cart, other) => {
        const refused = IdempotencyOps.record({ callerId: cart.customerId, key: "key-12345678" as IdempotencyKey }, CheckoutOps.fingerprint(cart), 0 as Timestamp);
        expect(CheckoutOps.resume(refused, cart)).toEqual(Either.right(Option.none()));
        const differs = CheckoutOps.fingerprint(other) !== CheckoutOps.fingerprint(cart);
        expect(CheckoutOps.resume(refused, other)).toMatchObject(differs ? { left: { _tag: "IdempotencyKeyReused" } } : { right: Option.none() });
      }),
    );
  });
});
