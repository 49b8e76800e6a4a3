import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MoneyOps, type Currency, type Money } from "../../domain/index.js";

const money = (currency: string) => fc.nat(1_000_000_000).map((amount) => ({ amount, currency: currency as Currency }) as Money);

describe("MoneyOps.add", () => {
  it("adds minor units of one currency exactly, in any order", () => {
    fc.assert(
      fc.property(money("EUR"), money("EUR"), money("EUR"), (a, b, c) => {
        const left = Either.flatMap(MoneyOps.add(a, b), (ab) => MoneyOps.add(ab, c));
        const right = Either.flatMap(MoneyOps.add(c, b), (cb) => MoneyOps.add(cb, a));
        expect(left).toEqual(Either.right({ amount: a.amount + b.amount + c.amount, currency: "EUR" }));
        expect(left).toEqual(right);
      }),
    );
  });

  it("refuses to mix currencies", () => {
    fc.assert(
      fc.property(money("EUR"), money("USD"), (a, b) => {
        expect(MoneyOps.add(a, b)).toMatchObject({ _tag: "Left", left: { _tag: "MoneyCurrencyMismatch", expected: "EUR", actual: "USD" } });
      }),
    );
  });
});

describe("MoneyOps.times", () => {
  it("multiplies by a quantity exactly, staying an integer", () => {
    fc.assert(
      fc.property(money("EUR"), fc.integer({ min: 0, max: 99 }), (m, q) => {
        const r = Either.getOrThrow(MoneyOps.times(m, q));
        expect(r.amount).toBe(m.amount * q);
        expect(Number.isInteger(r.amount)).toBe(true);
      }),
    );
  });

  it("refuses a result that is no longer a safe integer", () => {
    const huge = { amount: Number.MAX_SAFE_INTEGER, currency: "EUR" } as Money;
    expect(MoneyOps.times(huge, 2)).toMatchObject({ _tag: "Left", left: { _tag: "MoneyOutOfRange" } });
  });
});
