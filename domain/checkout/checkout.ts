import { Either, Option } from "effect";
import type { IdempotencyKey, OrderId, ProductId, Timestamp } from "../shared/ids.js";
import { type Money, MoneyOps } from "../pricing/money.js";
import { type Cart, type HoldRef, holdRef } from "../cart/cart.js";
import { CartOps } from "../cart/ops.js";
import type { Order, OrderLine } from "../orders/order.js";
import { IdempotencyOps, type IdempotencyRecord } from "../idempotency/record.js";
import { IdempotencyKeyReused } from "../idempotency/errors.js";
import { CheckoutEmptyCart, CheckoutHoldExpired, CheckoutPriceMismatch } from "./errors.js";
import type { DomainEvent } from "../events/events.js";
import { EventOps } from "../events/ops.js";

/**
 * What a store commits atomically: every consumed hold (still the exact hold read, unreleased and
 * live at `now`), each product's `stock -= q, reserved -= q`, the order, the idempotency record
 * (new, or binding the same cart after a refused checkout), and the cart lines' deletion.
 */
export interface CheckoutPlan {
  readonly order: Order;
  readonly record: IdempotencyRecord;
  readonly consumed: ReadonlyArray<{ readonly productId: ProductId; readonly hold: HoldRef; readonly quantity: number }>;
  /** The OrderPlaced event, written to the outbox in the same transaction. */
  readonly events: ReadonlyArray<DomainEvent>;
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

/** A checkout request is its cart: the same products, quantities and snapshot prices. */
const fingerprint = (cart: Cart): string =>
  `checkout ${cart.lines.map((l) => `${l.productId}:${l.quantity}:${l.unitPrice.amount}:${l.unitPrice.currency}`).sort().join("|")}`;

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
      yield* CartOps.withinCap(cart);
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
      const record = IdempotencyOps.record({ callerId: cart.customerId, key: req.key }, fingerprint(cart), now, req.orderId);
      const consumed = cart.lines.map((l) => ({ productId: l.productId, hold: holdRef(l), quantity: l.quantity }));
      return { order, record, consumed, events: [EventOps.ofOrder(order)], now } satisfies CheckoutPlan;
    }),

  /**
   * What a key seen before means for a checkout. A key that placed an order names that order on any
   * replay, whatever the cart holds now. A key whose checkout was refused may check out the same cart
   * again (none: go on), but no other request.
   */
  resume: (record: IdempotencyRecord, cart: Cart): Either.Either<Option.Option<OrderId>, IdempotencyKeyReused> =>
    record.orderId !== undefined
      ? Either.right(Option.some(record.orderId))
      : record.fingerprint === fingerprint(cart)
        ? Either.right(Option.none())
        : Either.left(new IdempotencyKeyReused({ key: record.key })),
};
