/** Hoarding through checkout: a customer may have only so many placed, unpaid orders at once. */
import { Effect, Option } from "effect";
import type { Money } from "../pricing/money.js";
import type { IdempotencyKey, UserId } from "../shared/ids.js";
import { HoldPolicy } from "../shared/ports.js";
import { IdempotencyStore } from "../idempotency/ports.js";
import { OrderStore } from "../orders/ports.js";
import { CheckoutUnpaidOrdersLimit } from "./errors.js";
import { placeOrder } from "./use-cases.js";

// Unpaid orders are the newest ones (the sweeper cancels them after the payment window): one page covers any limit.
const scanned = 50;

/**
 * placeOrder, refused when the customer already has the policy's number of placed orders. A key that
 * placed an order goes straight to placeOrder, so a replay always answers as the first time did.
 */
export const placeOrderWithinLimits = (customerId: UserId, key: IdempotencyKey, expectedTotal?: Money) =>
  Effect.gen(function* () {
    const { maxUnpaidOrders } = yield* HoldPolicy;
    const seen = yield* Effect.flatMap(IdempotencyStore, (keys) => keys.find(customerId, key));
    // Only a key that placed an order skips the count: one that a refused checkout bound could still place one.
    if (Option.isNone(seen) || seen.value.orderId === undefined) {
      const page = yield* Effect.flatMap(OrderStore, (orders) => orders.listByCustomer(customerId, { limit: scanned }));
      if (page.items.filter((o) => o.status === "placed").length >= maxUnpaidOrders) return yield* new CheckoutUnpaidOrdersLimit({ limit: maxUnpaidOrders });
    }
    return yield* placeOrder(customerId, key, expectedTotal);
  });
