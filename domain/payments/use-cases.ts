import { Effect, Either, Option } from "effect";
import type { OrderId, Timestamp } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";
import { type Actor } from "../orders/lifecycle.js";
import { OrderStore } from "../orders/ports.js";
import { getOrder } from "../orders/use-cases.js";
import { OrderNotPayable } from "./errors.js";
import { PaymentOps } from "./ops.js";
import { settleRefundsNow } from "./refunds.js";
import type { PaymentEvent, PaymentProvider, PaymentSession, PaymentStatus } from "./payment.js";
import { PaymentEventLog, PaymentGateway, PaymentPolicy } from "./ports.js";

export interface StartedPayment extends PaymentSession {
  readonly orderId: OrderId;
  readonly provider: PaymentProvider;
  readonly publishableKey: string;
}

/**
 * Starts paying a placed order: creates its payment at the provider once (the provider's idempotency key
 * is derived from the order id, so a twin call gets the same one) and stores it on the order; a second
 * call returns the stored payment's current session.
 */
export const startPayment = (actor: Actor, orderId: OrderId) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const gateway = yield* PaymentGateway;
    const clock = yield* Clock;
    const started = (session: PaymentSession): StartedPayment => ({ ...session, orderId, provider: gateway.provider, publishableKey: gateway.publishableKey });
    for (let attempt = 1; ; attempt++) {
      const order = yield* getOrder(actor, orderId);
      if (order.status !== "placed") return yield* new OrderNotPayable({ orderId, status: order.status });
      if (order.payment) return started(yield* gateway.fetch(order.payment.paymentId));
      const session = yield* gateway.create({ orderId, customerId: order.customerId, amount: order.total });
      const attach = yield* PaymentOps.attach(order, gateway.provider, session, yield* clock.now);
      const stored = yield* Effect.either(orders.transition(attach));
      if (Either.isRight(stored)) return started(session);
      // A twin attached it first, or the order moved on: judge again what is stored now.
      if (stored.left._tag === "OrderStatusConflict" && attempt < 3) continue;
      return yield* Effect.fail(stored.left);
    }
  });

export type WebhookOutcome = { readonly outcome: "applied" | "unchanged" | "refused" | "ignored" | "duplicate"; readonly reason?: string };

/**
 * Applies one verified provider event exactly once: the order change and the event's record are one
 * transaction, so a redelivery (even a concurrent one) finds the record and changes nothing. Money the
 * order does not keep (a success after cancellation, a second payment, a payment not the order's) is
 * committed as owed first, then refunded (now if the provider answers, else by the refund worker).
 */
export const applyPaymentEvent = (event: PaymentEvent) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const log = yield* PaymentEventLog;
    const now = yield* (yield* Clock).now;
    if (event.kind === "other" || !event.orderId) return { outcome: "ignored", reason: `${event.type} is not acted on` } satisfies WebhookOutcome;
    const recordOnly = (outcome: "unchanged" | "refused", reason: string) =>
      log.record(PaymentOps.record(event, outcome, now, reason)).pipe(Effect.map((fresh): WebhookOutcome => (fresh ? { outcome, reason } : { outcome: "duplicate" })));
    for (let attempt = 1; ; attempt++) {
      if (Option.isSome(yield* log.find(event.provider, event.eventId))) return { outcome: "duplicate" } satisfies WebhookOutcome;
      const found = yield* orders.get(event.orderId as OrderId);
      if (Option.isNone(found)) return yield* recordOnly("refused", "OrderNotFound");
      const decision = PaymentOps.decide(found.value, event, now);
      if (decision._tag === "Unchanged") return yield* recordOnly("unchanged", decision.reason);
      const stored = yield* Effect.either(orders.transition({ ...decision.transition, paymentEvent: PaymentOps.record(event, "applied", now) }));
      if (Either.isRight(stored)) {
        yield* settleRefundsNow(stored.right);
        return { outcome: "applied" } satisfies WebhookOutcome;
      }
      // A twin delivery or another change came first: read again (the record may now be there).
      const tag = stored.left._tag;
      if ((tag === "OrderStatusConflict" || tag === "PaymentEventDuplicate") && attempt < 5) continue;
      return yield* Effect.fail(stored.left);
    }
  });

/** Verifies a provider webhook on its raw bytes, then applies it. */
export const receivePaymentWebhook = (raw: Uint8Array, signature: string | undefined) =>
  Effect.flatMap(PaymentGateway, (gateway) => gateway.verify(raw, signature)).pipe(Effect.flatMap(applyPaymentEvent));

export interface ExpiryReport {
  /** Orders cancelled for non-payment, their units back in stock. */
  readonly expired: number;
  /** Orders whose payment succeeded meanwhile, or that moved on: left to their webhook. */
  readonly skipped: number;
  /** Orders the provider could not be asked about this time (the next sweep tries again). */
  readonly failed: number;
}

/**
 * The sweeper's second job: placed orders not paid within the payment window are cancelled, units back
 * to stock exactly once (the status guard) and their payment cancelled first: a payment that turns out
 * to have succeeded keeps its order, which its webhook pays; a success that still comes after the
 * cancellation is refunded by applyPaymentEvent.
 */
export const expireUnpaidOrders = (limit: number) =>
  Effect.gen(function* () {
    const orders = yield* OrderStore;
    const gateway = yield* PaymentGateway;
    const policy = yield* PaymentPolicy;
    const now = yield* (yield* Clock).now;
    const due = yield* orders.listPlacedBefore((now - policy.windowMs) as Timestamp, limit);
    let expired = 0;
    let skipped = 0;
    let failed = 0;
    for (const order of due) {
      const transition = PaymentOps.expire(order, now, policy.windowMs);
      if (Option.isNone(transition)) {
        skipped++;
        continue;
      }
      const open: ReadonlyArray<PaymentStatus> = ["pending", "failed"];
      if (order.payment && open.includes(order.payment.status)) {
        const cancelled = yield* Effect.either(gateway.cancel(order.payment.paymentId));
        if (Either.isLeft(cancelled)) {
          failed++;
          continue;
        }
        // Too late to cancel: its webhook pays the order, unless its money is owed back (another amount), which pays nothing.
        if (cancelled.right === "succeeded" && !PaymentOps.givesBack(order, order.payment.paymentId)) {
          skipped++;
          continue;
        }
      }
      const stored = yield* Effect.either(orders.transition(transition.value));
      if (Either.isRight(stored)) expired++;
      else if (stored.left._tag === "PersistenceUnavailable") return yield* Effect.fail(stored.left);
      else skipped++;
    }
    return { expired, skipped, failed } satisfies ExpiryReport;
  });
