import { Effect, Either, Option } from "effect";
import type { IdempotencyKey, OrderId, UserId } from "../shared/ids.js";
import { Clock, IdGenerator } from "../shared/ports.js";
import type { Money } from "../pricing/money.js";
import type { Cart } from "../cart/cart.js";
import { CartStore } from "../cart/ports.js";
import { OrderStore } from "../orders/ports.js";
import type { Order } from "../orders/order.js";
import { IdempotencyOps } from "../idempotency/record.js";
import { IdempotencyStore } from "../idempotency/ports.js";
import { CheckoutOps } from "./checkout.js";
import { CheckoutCartChanged } from "./errors.js";

export interface PlacedOrder {
  readonly order: Order;
  /** True when the key had already produced this order. */
  readonly replayed: boolean;
}

const replayOrder = (orderId: OrderId) =>
  Effect.gen(function* () {
    const order = yield* Effect.flatMap(OrderStore, (orders) => orders.get(orderId));
    // The record and its order are committed in one transaction: one without the other is a bug.
    const placed: PlacedOrder = {
      order: Option.getOrThrowWith(order, () => new Error(`order ${orderId} missing for its idempotency record`)),
      replayed: true,
    };
    return placed;
  });

/** The key's earlier use, if any: its order to replay, or a refusal to respect. None: go on and check out. */
const earlierUse = (customerId: UserId, key: IdempotencyKey, cart: Cart) =>
  Effect.gen(function* () {
    const seen = yield* Effect.flatMap(IdempotencyStore, (keys) => keys.find(customerId, key));
    if (Option.isNone(seen)) return Option.none<OrderId>();
    return yield* CheckoutOps.resume(seen.value, cart);
  });

/**
 * Checkout: turn the customer's cart into an order, atomically and at most once per idempotency
 * key. Concurrent twins with the same key all get the one order; a replay gets it whatever the cart
 * holds by then. A refused checkout binds its key to the cart it saw.
 */
export const placeOrder = (customerId: UserId, key: IdempotencyKey, expectedTotal?: Money) =>
  Effect.gen(function* () {
    // Cart first, then the key: a twin that commits in between has already written the key
    // (atomically with emptying the cart), so we replay its order instead of seeing an empty cart.
    const cart = yield* Effect.flatMap(CartStore, (carts) => carts.get(customerId));
    const earlier = yield* earlierUse(customerId, key, cart);
    if (Option.isSome(earlier)) return yield* replayOrder(earlier.value);

    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const orderId = (yield* Effect.flatMap(IdGenerator, (ids) => ids.next)) as OrderId;
    const planned = CheckoutOps.plan({ cart, key, orderId, now, expectedTotal });
    if (Either.isLeft(planned)) {
      const refused = IdempotencyOps.record({ callerId: customerId, key }, CheckoutOps.fingerprint(cart), now);
      yield* Effect.flatMap(IdempotencyStore, (keys) => keys.bind(refused));
      return yield* Effect.fail(planned.left);
    }
    const orders = yield* OrderStore;
    return yield* orders.commitCheckout(planned.right).pipe(
      Effect.map((order): PlacedOrder => ({ order, replayed: false })),
      Effect.catchTag("IdempotencyKeyTaken", () =>
        Effect.gen(function* () {
          // A twin committed first (replay its order), or a refused twin bound the key to another cart.
          const again = yield* earlierUse(customerId, key, cart);
          if (Option.isNone(again)) return yield* new CheckoutCartChanged({ customerId });
          return yield* replayOrder(again.value);
        }),
      ),
    );
  });
