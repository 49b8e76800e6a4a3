import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CartOps, type Cart, type HoldId, type ProductId, type Timestamp } from "../../domain/index.js";
import { customer, eur, line, product } from "../support/fixtures.js";

const terms = (now = 0) => ({ now: now as Timestamp, ttlMs: 1000, holdId: "h1" as HoldId });
const empty: Cart = { customerId: customer("c"), lines: [] };

describe("CartOps.addLine", () => {
  it("holds a new line at the product's current price until now + TTL, reserving its quantity", () => {
    const change = Either.getOrThrow(CartOps.addLine(empty, product("p", { price: eur(1234) }), 3, terms(50)));
    expect(change.lines[0]?.next).toMatchObject({ quantity: 3, unitPrice: eur(1234), expiresAt: 1050, released: false, version: 1 });
    expect(change.lines[0]?.expected).toBeNull();
    expect(change.reservations).toEqual([{ productId: "p", delta: 3 }]);
  });

  it("accepts quantities 1..99 per line and refuses anything else", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -200, max: 200 }), fc.double()), (q) => {
        const r = CartOps.addLine(empty, product("p"), q, terms());
        expect(Either.isRight(r)).toBe(Number.isInteger(q) && q >= 1 && q <= 99);
      }),
    );
  });

  it("adds to a live line's quantity keeping its snapshot price, but not beyond 99", () => {
    const cart: Cart = { ...empty, lines: [line("p", { quantity: 90 as never, unitPrice: eur(500) })] };
    const change = Either.getOrThrow(CartOps.addLine(cart, product("p", { price: eur(900) }), 9, terms()));
    expect(change.lines[0]?.next).toMatchObject({ quantity: 99, unitPrice: eur(500), version: 2 });
    expect(change.reservations).toEqual([{ productId: "p", delta: 9 }]);
    expect(CartOps.addLine(cart, product("p"), 10, terms())).toMatchObject({ left: { _tag: "CartQuantityOutOfRange" } });
  });

  it("refuses a 41st distinct line (a checkout must fit one 100-item transaction)", () => {
    const cart: Cart = { ...empty, lines: Array.from({ length: 40 }, (_, i) => line(`p${i}`)) };
    expect(CartOps.addLine(cart, product("extra"), 1, terms())).toMatchObject({ left: { _tag: "CartLineLimitExceeded", limit: 40 } });
  });

  it("refuses to add to an expired line: it must be renewed first", () => {
    const cart: Cart = { ...empty, lines: [line("p", { expiresAt: 100 as never })] };
    expect(CartOps.addLine(cart, product("p"), 1, terms(100))).toMatchObject({ left: { _tag: "CartLineExpired" } });
  });

  it("refuses a product priced in another currency than the cart", () => {
    const cart: Cart = { ...empty, lines: [line("a")] };
    const usd = product("b", { price: { amount: 100, currency: "USD" } as never });
    expect(CartOps.addLine(cart, usd, 1, terms())).toMatchObject({ left: { _tag: "CartCurrencyMismatch" } });
  });
});

describe("CartOps.changeQuantity", () => {
  it("reserves or releases exactly the difference, and 0 removes the line", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), (from, to) => {
        const cart: Cart = { ...empty, lines: [line("p", { quantity: from as never })] };
        const change = Either.getOrThrow(CartOps.changeQuantity(cart, "p" as ProductId, to, 0));
        const delta = change.reservations[0]?.delta ?? 0;
        expect(delta).toBe(to - from);
        expect(change.lines[0]?.next?.quantity ?? 0).toBe(to);
      }),
    );
  });
});

describe("CartOps.releaseExpired and CartOps.clear", () => {
  it("releases an expired hold exactly once and never a live one", () => {
    const held = line("p", { quantity: 4 as never, expiresAt: 100 as never });
    const cart: Cart = { ...empty, lines: [held] };
    expect(CartOps.releaseExpired(cart, held.productId, 99)).toMatchObject({ left: { _tag: "HoldNotExpired" } });
    const change = Either.getOrThrow(CartOps.releaseExpired(cart, held.productId, 100));
    expect(change.reservations).toEqual([{ productId: "p", delta: -4 }]);
    const after = CartOps.apply(cart, change);
    expect(after.lines[0]).toMatchObject({ released: true, version: 2, unitPrice: held.unitPrice });
    expect(CartOps.releaseExpired(after, held.productId, 200)).toMatchObject({ left: { _tag: "HoldAlreadyReleased" } });
  });

  it("clears a cart releasing only units still held, never a released hold twice", () => {
    const released = line("p", { quantity: 4 as never, released: true });
    const change = Either.getOrThrow(CartOps.clear({ ...empty, lines: [released, line("q", { quantity: 2 as never })] }));
    expect(change.reservations).toEqual([{ productId: "q", delta: -2 }]);
    expect(change.lines.map((l) => l.next)).toEqual([null, null]);
  });

  it("names the exact hold each write was computed from: its hold id and version (a re-added line reuses version 1)", () => {
    const held = line("p", { holdId: "h7" as HoldId, version: 3, expiresAt: 100 as never });
    const cart: Cart = { ...empty, lines: [held] };
    const writes = [
      Either.getOrThrow(CartOps.releaseExpired(cart, held.productId, 100)),
      Either.getOrThrow(CartOps.removeLine(cart, held.productId)),
      Either.getOrThrow(CartOps.changeQuantity({ ...empty, lines: [{ ...held, expiresAt: 500 as never }] }, held.productId, 2, 100)),
    ].map((c) => c.lines[0]?.expected);
    expect(writes).toEqual([{ holdId: "h7", version: 3 }, { holdId: "h7", version: 3 }, { holdId: "h7", version: 3 }]);
  });

  it("refuses to clear a cart over the line cap in one change: such a cart (older than the atomic cap) shrinks line by line", () => {
    const lines = Array.from({ length: 41 }, (_, i) => line(`p${String(i).padStart(2, "0")}`));
    expect(CartOps.clear({ ...empty, lines })).toMatchObject({ left: { _tag: "CartLineLimitExceeded", limit: 40 } });
    expect(Either.isRight(CartOps.removeLine({ ...empty, lines }, lines[0]!.productId))).toBe(true);
  });
});
