import { Either, Schema } from "effect";

/** ISO 4217 alphabetic code. */
export const Currency = Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/, { message: () => "Expected a three-letter currency code such as EUR" }), Schema.brand("Currency"));
export type Currency = typeof Currency.Type;

// Unit prices are bounded so that 40 lines x 99 units x the largest price stays a safe integer.
export const maxUnitAmount = 100_000_000_000;

/** Integer minor units (cents) plus a currency: no floating point, on the wire too. */
export const Money = Schema.Struct({
  amount: Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER)),
  currency: Currency,
}).pipe(Schema.brand("Money"));
export type Money = typeof Money.Type;

/** A unit price as set by an admin. */
export const UnitPrice = Schema.Struct({
  amount: Schema.Int.pipe(Schema.between(0, maxUnitAmount)),
  currency: Currency,
}).pipe(Schema.brand("Money"));

export class MoneyCurrencyMismatch extends Schema.TaggedError<MoneyCurrencyMismatch>()("MoneyCurrencyMismatch", {
  expected: Schema.String,
  actual: Schema.String,
}) {}

export class MoneyOutOfRange extends Schema.TaggedError<MoneyOutOfRange>()("MoneyOutOfRange", {
  amount: Schema.Number,
}) {}

const make = (amount: number, currency: Currency): Either.Either<Money, MoneyOutOfRange> =>
  Number.isSafeInteger(amount) && amount >= 0
    ? Either.right({ amount, currency } as Money)
    : Either.left(new MoneyOutOfRange({ amount }));

export const MoneyOps = {
  zero: (currency: Currency): Money => ({ amount: 0, currency }) as Money,

  add: (a: Money, b: Money): Either.Either<Money, MoneyCurrencyMismatch | MoneyOutOfRange> =>
    a.currency !== b.currency
      ? Either.left(new MoneyCurrencyMismatch({ expected: a.currency, actual: b.currency }))
      : make(a.amount + b.amount, a.currency),

  times: (m: Money, quantity: number): Either.Either<Money, MoneyOutOfRange> => make(m.amount * quantity, m.currency),

  sum: (currency: Currency, items: ReadonlyArray<Money>): Either.Either<Money, MoneyCurrencyMismatch | MoneyOutOfRange> =>
    items.reduce<Either.Either<Money, MoneyCurrencyMismatch | MoneyOutOfRange>>(
      (acc, m) => Either.flatMap(acc, (total) => MoneyOps.add(total, m)),
      Either.right(MoneyOps.zero(currency)),
    ),

  equals: (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency,
};
