import { Schema } from "effect";
import { HoldId, ProductId, Quantity, Timestamp, UserId } from "../shared/ids.js";
import { Money } from "../pricing/money.js";
import { ProductName } from "../inventory/product.js";
import type { IdempotencyRecord } from "../idempotency/record.js";
import type { DomainEvent } from "../events/events.js";

/**
 * A cart line is backed by a hold: `quantity` units of the product reserved at
 * `unitPrice` (the snapshot the buyer saw) until `expiresAt`. Once an expired
 * hold is released its units stop counting in `reserved`; the line stays, and
 * must be renewed at the current price before checkout.
 */
export const CartLine = Schema.Struct({
  productId: ProductId,
  name: ProductName,
  quantity: Quantity,
  unitPrice: Money,
  holdId: HoldId,
  reservedAt: Timestamp,
  expiresAt: Timestamp,
  released: Schema.Boolean,
  /** Bumped on every write of this hold. A new hold (a line added again, a renewal) has a new holdId. */
  version: Schema.Int.pipe(Schema.positive()),
});
export type CartLine = typeof CartLine.Type;

export const Cart = Schema.Struct({
  customerId: UserId,
  lines: Schema.Array(CartLine),
});
export type Cart = typeof Cart.Type;

// A checkout writes 2 items per line (product counters + hold delete) plus the order, the
// idempotency record and the cart's line counter: 40 x 2 + 3 = 83 <= 100 items per transaction.
// Stores enforce the cap atomically, so no cart ever needs a bigger transaction.
export const maxCartLines = 40;
export const maxLineQuantity = 99;

/**
 * The exact hold a change was computed from. Versions restart when a line is deleted and added
 * again, so a version alone cannot tell an old hold from a new one: the pair never repeats.
 */
export interface HoldRef {
  readonly holdId: HoldId;
  readonly version: number;
}

export const holdRef = (line: CartLine): HoldRef => ({ holdId: line.holdId, version: line.version });

/** One line write, applied only if the stored line is still the hold `expected` names (null: no line). */
export interface LineWrite {
  readonly productId: ProductId;
  readonly expected: HoldRef | null;
  /** The line after the change; null deletes it. */
  readonly next: CartLine | null;
}

/** A change to `reserved`; a positive delta is applied only if that many units are available. */
export interface ReservationDelta {
  readonly productId: ProductId;
  readonly delta: number;
}

/**
 * Everything one cart operation changes, applied by a store atomically or not at all. Stores also
 * keep, atomically, a cart to at most maxCartLines lines in one currency.
 */
export interface CartChange {
  readonly customerId: UserId;
  readonly lines: ReadonlyArray<LineWrite>;
  readonly reservations: ReadonlyArray<ReservationDelta>;
  /** Stored with the change when the request carried an Idempotency-Key (refused if the key has a record). */
  readonly record?: IdempotencyRecord | undefined;
  /** Written to the outbox in the same transaction (a StockLow when a reservation takes a product low). */
  readonly events?: ReadonlyArray<DomainEvent> | undefined;
  /** Products that must not be archived when the change commits (ProductArchived): those it adds units of, or renews. */
  readonly onSale?: ReadonlyArray<ProductId> | undefined;
}

export type LineStatus = "live" | "expired";

export const lineStatus = (line: CartLine, now: number): LineStatus => (line.expiresAt > now ? "live" : "expired");
