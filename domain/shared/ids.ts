import { Schema } from "effect";

const Id = <B extends string>(brand: B) =>
  Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64), Schema.pattern(/^[A-Za-z0-9_-]+$/, { message: () => "Expected letters, digits, \"_\" or \"-\" only" }), Schema.brand(brand));

export const ProductId = Id("ProductId");
export type ProductId = typeof ProductId.Type;

export const UserId = Id("UserId");
export type UserId = typeof UserId.Type;

export const OrderId = Id("OrderId");
export type OrderId = typeof OrderId.Type;

export const HoldId = Id("HoldId");
export type HoldId = typeof HoldId.Type;

/** Client-chosen key that makes a checkout retry-safe (Idempotency-Key header). */
export const IdempotencyKey = Schema.String.pipe(
  Schema.minLength(8),
  Schema.maxLength(128),
  Schema.pattern(/^[\x21-\x7e]+$/, { message: () => "Expected printable ASCII characters, no spaces" }),
  Schema.brand("IdempotencyKey"),
);
export type IdempotencyKey = typeof IdempotencyKey.Type;

/** Milliseconds since the epoch; time enters the domain only as arguments. */
export const Timestamp = Schema.Int.pipe(Schema.nonNegative(), Schema.brand("Timestamp"));
export type Timestamp = typeof Timestamp.Type;

/** A Timestamp inside, ISO-8601 on the wire (the API and published events). */
export const IsoTimestamp = Schema.transform(Schema.String, Timestamp, {
  strict: true,
  decode: (s) => Date.parse(s),
  encode: (ms) => new Date(ms).toISOString(),
}).annotations({ jsonSchema: { type: "string", format: "date-time" } });

export const Quantity = Schema.Int.pipe(Schema.between(1, 99), Schema.brand("Quantity"));
export type Quantity = typeof Quantity.Type;
