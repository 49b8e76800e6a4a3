import { Schema } from "effect";
import { HoldId, ProductId, Quantity, Timestamp, UserId } from "../shared/ids.js";
import { Money } from "../pricing/money.js";
import { ProductName } from "../inventory/product.js";

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
  /** Bumped on every write; stores apply a change only to the version it was computed from. */
  version: Schema.Int.pipe(Schema.positive()),
});
export type CartLine = typeof CartLine.Type;

export const Cart = Schema.Struct({
  customerId: UserId,
  lines: Schema.Array(CartLine),
});
export type Cart = typeof Cart.Type;

// A checkout writes 2 items per line (product counters + hold delete) plus the
// order, the idempotency record and headroom: 40 x 2 + 2 = 82 <= 100 items per transaction.
export const maxCartLines = 40;
export const maxLineQuantity = 99;

/** One line write, applied only if the stored line still has `expectedVersion` (null: must not exist). */
export interface LineWrite {
  readonly productId: ProductId;
  readonly expectedVersion: number | null;
  /** The line after the change; null deletes it. */
  readonly next: CartLine | null;
}

/** A change to `reserved`; a positive delta is applied only if that many units are available. */
export interface ReservationDelta {
  readonly productId: ProductId;
  readonly delta: number;
}

/** Everything one cart operation changes, applied by a store atomically or not at all. */
export interface CartChange {
  readonly customerId: UserId;
  readonly lines: ReadonlyArray<LineWrite>;
  readonly reservations: ReadonlyArray<ReservationDelta>;
}

export type LineStatus = "live" | "expired";

export const lineStatus = (line: CartLine, now: number): LineStatus => (line.expiresAt > now ? "live" : "expired");
