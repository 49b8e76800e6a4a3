import { Effect, Either, Option } from "effect";
import type { OrderId } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";
import type { Order } from "../orders/order.js";
import { OrderNotFound } from "../orders/errors.js";
import { OrderStore } from "../orders/ports.js";
import { PaymentOps, refundKeyOf } from "./ops.js";
import type { PaymentProviderUnavailable } from "./errors.js";
import { PaymentGateway } from "./ports.js";

/**
 * Makes the refunds an order owes, one at a time: each was committed before anyone asks the provider (with
 * the cancellation or the provider event that decided it), is asked under one key per payment (a twin worker
 * gets the same refund), and is recorded with OrderPaymentRefunded under the revision read.
 */
export const settleRefunds = (orderId: OrderId) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const gateway = yield* PaymentGateway;
    const clock = yield* Clock;
    // A debt the provider refuses does not hold back the order's others: they are tried, then the first refusal fails the call.
    const refused = new Map<string, PaymentProviderUnavailable>();
    for (let conflicts = 0; ; ) {
      const found = yield* orders.get(orderId);
      if (Option.isNone(found)) return yield* new OrderNotFound({ orderId });
      const due = PaymentOps.refundsDue(found.value).find((d) => !refused.has(d.paymentId));
      if (!due) return refused.size === 0 ? found.value : yield* Effect.fail([...refused.values()][0]!);
      const made = yield* Effect.either(gateway.refund({ paymentId: due.paymentId, amount: due.amount, idempotencyKey: refundKeyOf(due.paymentId) }));
      if (Either.isLeft(made)) {
        refused.set(due.paymentId, made.left);
        continue;
      }
      const stored = yield* Effect.either(orders.transition(PaymentOps.refunded(found.value, due, made.right.refundId, yield* clock.now)));
      if (Either.isRight(stored)) continue;
      // Another change (or a twin worker recording this refund) came first: read again.
      if (stored.left._tag === "OrderStatusConflict" && ++conflicts < 5) continue;
      return yield* Effect.fail(stored.left);
    }
  });

/** Right after the commit that owes a refund: made now if the provider answers, else left to the refund worker. */
export const settleRefundsNow = (order: Order) =>
  PaymentOps.refundsDue(order).length === 0
    ? Effect.succeed(order)
    : settleRefunds(order.id).pipe(Effect.orElseSucceed(() => order));

export interface RefundReport {
  /** Orders whose owed refunds were all made and recorded. */
  readonly settled: number;
  /** Orders the provider or a conflict kept from settling this time (the next run tries again; logged as a warning). */
  readonly failed: number;
  /** Of those, orders owing a refund for longer than `overdueAfterMs`: it keeps failing (logged as an error: alarmed). */
  readonly overdue: number;
  readonly failures: ReadonlyArray<{ readonly orderId: string; readonly cause: string }>;
}

/** A refund still owed this long after it was committed keeps failing: the report counts it as overdue. */
export const refundOverdueAfterMs = 30 * 60_000;

/** The refund worker (the sweeper's third job): every order that owes a refund, longest owed first, at most `limit`. */
export const refundOwedPayments = (limit: number) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const now = yield* (yield* Clock).now;
    const owing = yield* orders.listRefundsDue(limit);
    let settled = 0;
    let overdue = 0;
    const failures: Array<{ orderId: string; cause: string }> = [];
    for (const order of owing) {
      const result = yield* Effect.either(settleRefunds(order.id));
      if (Either.isRight(result)) settled++;
      else if (result.left._tag === "PersistenceUnavailable") return yield* Effect.fail(result.left);
      else {
        failures.push({ orderId: order.id, cause: result.left._tag === "PaymentProviderUnavailable" ? result.left.message : result.left._tag });
        if (PaymentOps.refundsDue(order).some((d) => d.since + refundOverdueAfterMs < now)) overdue++;
      }
    }
    return { settled, failed: failures.length, overdue, failures } satisfies RefundReport;
  });
