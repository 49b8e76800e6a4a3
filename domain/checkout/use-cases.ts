import { Effect, Option } from "effect";
import type { IdempotencyKey, OrderId, UserId } from "../shared/ids.js";
import { Clock, IdGenerator } from "../shared/ports.js";
import type { Money } from "../pricing/money.js";
import { CartStore } from "../cart/ports.js";
import { OrderStore } from "../orders/ports.js";
import type { Order } from "../orders/order.js";
import { CheckoutOps, type IdempotencyRecord } from "./checkout.js";
import { CheckoutCartChanged } from "./errors.js";
import { IdempotencyStore } from "./ports.js";

export interface PlacedOrder {
  readonly order: Order;
  /** True when the key had already produced this order. */
  readonly replayed: boolean;
}

const replay = (record: IdempotencyRecord) =>
  Effect.gen(function* () {
    const cart = yield* Effect.flatMap(CartStore, (carts) => carts.get(record.customerId));
    const orderId = yield* CheckoutOps.replay(record, cart);
    const order = yield* Effect.flatMap(OrderStore, (orders) => orders.get(orderId));
    // The record and its order are committed in one transaction: one without the other is a bug.
    const placed: PlacedOrder = {
      order: Option.getOrThrowWith(order, () => new Error(`order ${orderId} missing for its idempotency record`)),
      replayed: true,
    };
    return placed;
  });

/**
 * Checkout: turn the customer's cart into an order, atomically and at most once
 * per idempotency key. Concurrent twins with the same key all get the one order.
 */
export const placeOrder = (customerId: UserId, key: IdempotencyKey, expectedTotal?: Money) =>
  Effect.gen(function* () {
    const idempotency = yield* IdempotencyStore;
    // Cart first, then the key: a twin that commits in between has already written the key
    // (atomically with emptying the cart), so we replay its order instead of seeing an empty cart.
    const cart = yield* Effect.flatMap(CartStore, (carts) => carts.get(customerId));
    const seen = yield* idempotency.find(customerId, key);
    if (Option.isSome(seen)) return yield* replay(seen.value);

    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const orderId = (yield* Effect.flatMap(IdGenerator, (ids) => ids.next)) as OrderId;
    const plan = yield* CheckoutOps.plan({ cart, key, orderId, now, expectedTotal });
    const orders = yield* OrderStore;
    return yield* orders.commitCheckout(plan).pipe(
      Effect.map((order): PlacedOrder => ({ order, replayed: false })),
      Effect.catchTag("IdempotencyKeyTaken", () =>
        Effect.gen(function* () {
          const record = yield* idempotency.find(customerId, key);
          if (Option.isNone(record)) return yield* new CheckoutCartChanged({ customerId });
          return yield* replay(record.value);
        }),
      ),
    );
  });
