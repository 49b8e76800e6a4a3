import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { planRenewal, type Cart, type Currency, type Money, type Product, type ProductId, type Timestamp } from "../../domain/index.js";
import { customer, eur, line, product } from "../support/fixtures.js";

const terms = { now: 2000 as Timestamp, ttlMs: 1000, maxAgeMs: 4000, holdIdBase: "renewal" };
const byId = (...ps: Array<Product>) => new Map(ps.map((p): [ProductId, Product] => [p.id, p]));
const usd = (amount: number) => ({ amount, currency: "USD" as Currency }) as Money;

describe("planRenewal", () => {
  it("re-reserves an expired line under a new hold at the current price, conditioned on the exact hold it replaces", () => {
    const expired = line("p", { quantity: 2 as never, expiresAt: 1000 as never, version: 3 });
    const cart: Cart = { customerId: customer("c"), lines: [expired] };
    const plan = Either.getOrThrow(planRenewal(cart, byId(product("p", { price: eur(1200) })), terms));
    expect(plan.change.lines).toEqual([
      { productId: "p", expected: { holdId: expired.holdId, version: 3 }, next: expect.objectContaining({ holdId: "renewal-0", unitPrice: eur(1200), expiresAt: 3000, version: 4 }) },
    ]);
    expect(plan.report).toMatchObject([{ outcome: "renewed", previousPrice: eur(1000), currentPrice: eur(1200), priceChanged: true }]);
  });

  it("refuses to renew a line whose product is now priced in another currency than the cart's (invariant: one currency per cart)", () => {
    const cart: Cart = { customerId: customer("c"), lines: [line("a", { expiresAt: 5000 as never }), line("b", { expiresAt: 1000 as never })] };
    expect(planRenewal(cart, byId(product("a"), product("b", { price: usd(900) })), terms)).toMatchObject({
      left: { _tag: "CartCurrencyMismatch", productId: "b", cartCurrency: "EUR", productCurrency: "USD" },
    });
  });

  it("extends a live line by the TTL from now under the same hold and price, guarded by its exact hold (id and version)", () => {
    const live = line("p", { reservedAt: 1500 as never, expiresAt: 2500 as never, version: 2 });
    const plan = Either.getOrThrow(planRenewal({ customerId: customer("c"), lines: [live] }, byId(product("p", { price: eur(9999) })), terms));
    expect(plan.change.lines).toEqual([{ productId: "p", expected: { holdId: live.holdId, version: 2 }, next: { ...live, expiresAt: 3000, version: 3 } }]);
    expect(plan.change.reservations).toEqual([]);
    expect(plan.change.onSale).toEqual(["p"]);
    expect(plan.report).toEqual([{ productId: "p", outcome: "extended", expiresAt: 3000 }]);
  });

  it("extends a live hold no further than its maximum age after it was taken, and reports one at that age as at_limit (invariant: no hold outlives reservedAt + max age)", () => {
    const old = line("a", { reservedAt: 0 as never, expiresAt: 3600 as never });
    const atLimit = line("b", { reservedAt: 0 as never, expiresAt: 4000 as never });
    const later = { ...terms, now: 3500 as Timestamp };
    const plan = Either.getOrThrow(planRenewal({ customerId: customer("c"), lines: [old, atLimit] }, byId(product("a"), product("b")), later));
    expect(plan.report).toEqual([
      { productId: "a", outcome: "extended", expiresAt: 4000 },
      { productId: "b", outcome: "at_limit", expiresAt: 4000 },
    ]);
    expect(plan.change.lines.map((w) => w.productId)).toEqual(["a"]);
  });

  it("neither extends nor renews a line of an archived product, and reports it archived", () => {
    const lines = [line("a", { expiresAt: 2500 as never }), line("b", { expiresAt: 1000 as never })];
    const archived = { archivedAt: 1800 as Timestamp };
    const plan = Either.getOrThrow(planRenewal({ customerId: customer("c"), lines }, byId(product("a", archived), product("b", archived)), terms));
    expect(plan.change.lines).toEqual([]);
    expect(plan.report).toEqual([{ productId: "a", outcome: "archived" }, { productId: "b", outcome: "archived" }]);
  });
});
