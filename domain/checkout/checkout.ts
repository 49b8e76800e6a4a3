import { Either, Schema } from "effect";
import { IdempotencyKey, OrderId, type ProductId, Timestamp, UserId } from "../shared/ids.js";
import { type Money, MoneyOps } from "../pricing/money.js";
import type { Cart } from "../cart/cart.js";
import type { Order, OrderLine } from "../orders/order.js";
import { CheckoutEmptyCart, CheckoutHoldExpired, CheckoutPriceMismatch, IdempotencyKeyReused } from "./errors.js";

/** Remembers which order a customer's idempotency key produced, and for which cart. */
export const IdempotencyRecord = Schema.Struct({
  customerId: UserId,
  key: IdempotencyKey,
  orderId: OrderId,
  fingerprint: Schema.String,
  createdAt: Timestamp,
  /** After this the key may be forgotten (stores use it as a TTL). */
  expiresAt: Timestamp,
});
export type IdempotencyRecord = typeof IdempotencyRecord.Type;

export const idempotencyWindowMs = 24 * 60 * 60 * 1000;

/**
 * What a store commits atomically: every consumed hold (still at `expectedVersion`,
 * unreleased and live at `now`), each product's `stock -= q, reserved -= q`, the
 * order, the idempotency record, and the cart lines' deletion.
 */
export interface CheckoutPlan {
  readonly order: Order;
  readonly record: IdempotencyRecord;
  readonly consumed: ReadonlyArray<{ readonly productId: ProductId; readonly expectedVersion: number; readonly quantity: number }>;
  readonly now: Timestamp;
}

export interface CheckoutRequest {
  readonly cart: Cart;
  readonly key: IdempotencyKey;
  readonly orderId: OrderId;
  readonly now: Timestamp;
  /** The total the buyer confirmed, when the client sends it. */
  readonly expectedTotal?: Money | undefined;
}

/** Identifies a cart's content: the same products, quantities and snapshot prices. */
const fingerprint = (cart: Cart): string =>
  cart.lines.map((l) => `${l.productId}:${l.quantity}:${l.unitPrice.amount}:${l.unitPrice.currency}`).sort().join("|");

const orderLines = (cart: Cart) =>
  Either.all(
    cart.lines.map((l) =>
      Either.map(MoneyOps.times(l.unitPrice, l.quantity), (lineTotal): OrderLine => ({
        productId: l.productId,
        name: l.name,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        lineTotal,
      })),
    ),
  );

export const CheckoutOps = {
  fingerprint,

  plan: (req: CheckoutRequest) =>
    Either.gen(function* () {
      const { cart, now } = req;
      const first = cart.lines[0];
      if (!first) return yield* Either.left(new CheckoutEmptyCart({ customerId: cart.customerId }));
      const stale = cart.lines.filter((l) => l.released || l.expiresAt <= now).map((l) => l.productId);
      if (stale.length > 0) return yield* Either.left(new CheckoutHoldExpired({ productIds: stale }));
      const lines = yield* orderLines(cart);
      const subtotal = yield* MoneyOps.sum(first.unitPrice.currency, lines.map((l) => l.lineTotal));
      const seen = req.expectedTotal;
      if (seen && !MoneyOps.equals(seen, subtotal))
        return yield* Either.left(
          new CheckoutPriceMismatch({
            expectedAmount: seen.amount,
            expectedCurrency: seen.currency,
            actualAmount: subtotal.amount,
            actualCurrency: subtotal.currency,
          }),
        );
      const order: Order = {
        id: req.orderId,
        customerId: cart.customerId,
        status: "placed",
        lines,
        subtotal,
        total: subtotal,
        idempotencyKey: req.key,
        createdAt: now,
        updatedAt: now,
        history: [{ status: "placed", at: now, by: "customer" }],
      };
      const record: IdempotencyRecord = {
        customerId: cart.customerId,
        key: req.key,
        orderId: req.orderId,
        fingerprint: fingerprint(cart),
        createdAt: now,
        expiresAt: (now + idempotencyWindowMs) as Timestamp,
      };
      const consumed = cart.lines.map((l) => ({ productId: l.productId, expectedVersion: l.version, quantity: l.quantity }));
      return { order, record, consumed, now } satisfies CheckoutPlan;
    }),

  /**
   * A key seen before names its order again, unless the customer's cart now holds
   * something else (an emptied cart is what a successful checkout leaves).
   */
  replay: (record: IdempotencyRecord, cart: Cart): Either.Either<OrderId, IdempotencyKeyReused> =>
    cart.lines.length === 0 || fingerprint(cart) === record.fingerprint
      ? Either.right(record.orderId)
      : Either.left(new IdempotencyKeyReused({ key: record.key })),
};
