import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { planRenewal, type Cart, type Currency, type Money, type Product, type ProductId, type Timestamp } from "../../domain/index.js";
import { customer, eur, line, product } from "../support/fixtures.js";

const terms = { now: 2000 as Timestamp, ttlMs: 1000, holdIdBase: "renewal" };
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
});
