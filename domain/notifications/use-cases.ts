import { Effect, Option } from "effect";
import type { UserId } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";
import { type DomainEvent, type OrderEvent, isOrderEvent } from "../events/events.js";
import type { OrderStatus } from "../orders/order.js";
import { UserStore } from "../users/ports.js";
import { emailFor } from "./email.js";
import { ConsumerDeadline, EventReceipts, Mailer, NotificationBusy, NotificationFailed, NotificationOutOfOrder, NotificationOutOfTime, type Partner, PartnerWebhooks } from "./ports.js";
import { positionOf } from "./receipts.js";

const failed = (consumer: string, eventId: string) => (e: { readonly reason: string }) => new NotificationFailed({ consumer, eventId, reason: e.reason });

/** How long a claim holds at least: a crash after the effect but before `complete` repeats it once this lapses. */
export const claimLeaseMs = 2 * 60_000;
/** Time kept back from an effect for writing its receipt before the invocation's deadline. */
export const receiptMarginMs = 1_000;
/** An effect is not started with less time than this to run in (after the receipt's margin). */
export const minEffectMs = 1_000;

/** The statuses after which each partner has been told of the order (warehouse: pick; delivery: collect). */
const toldAfter: Record<Partner, ReadonlyArray<OrderStatus>> = {
  warehouse: ["paid", "packed", "shipped", "delivered"],
  delivery: ["packed", "shipped", "delivered"],
};

/**
 * Which partners an event is for: the warehouse picks paid orders; the delivery partner takes packed and
 * shipped ones; a cancellation goes to each partner that was told of the order, as the order's own
 * history in the event says (its status before the cancellation).
 */
export const partnersFor = (event: OrderEvent): ReadonlyArray<Partner> => {
  switch (event.type) {
    case "OrderPaid":
      return ["warehouse"];
    case "OrderPacked":
    case "OrderShipped":
      return ["delivery"];
    case "OrderCancelled": {
      // Events written before `previousStatus` existed: only a paid order carries a refund.
      const before = event.previousStatus ?? (event.refund || event.refundDue ? "paid" : "placed");
      return (["warehouse", "delivery"] as const).filter((p) => toldAfter[p].includes(before));
    }
    default:
      return [];
  }
};

const remainingMs = Effect.flatMap(
  Effect.serviceOption(ConsumerDeadline),
  Option.match({ onNone: () => Effect.succeed(undefined), onSome: (d) => d.remainingMs }),
);

/** The effect, bounded by what the invocation has left after the receipt's margin; refused when that is too little. */
const withinDeadline = <R>(consumer: string, event: DomainEvent, effect: Effect.Effect<void, NotificationFailed, R>) =>
  Effect.gen(function* () {
    const remaining = yield* remainingMs;
    if (remaining === undefined) return yield* effect;
    const budget = remaining - receiptMarginMs;
    if (budget < minEffectMs) return yield* new NotificationOutOfTime({ consumer, eventId: event.eventId, remainingMs: remaining });
    // Interruption aborts the call (SES, fetch, file write): an unanswered call is an effect whose outcome is unknown.
    return yield* effect.pipe(Effect.timeoutFail({ duration: budget, onTimeout: () => failed(consumer, event.eventId)({ reason: `no answer within ${budget} ms (invocation deadline)` }) }));
  });

/**
 * Runs `effect` once per event and consumer, in sequence per order: the event right after the
 * consumer's mark acts (or, without an effect, only moves the mark); one at or below it is a duplicate
 * and does nothing; one further ahead waits (fails with NotificationOutOfOrder, so it is retried). A
 * failed effect releases its claim and fails, so the order's later events wait behind it.
 */
const onceInOrder = <R>(consumer: string, event: DomainEvent, effect: Option.Option<Effect.Effect<void, NotificationFailed, R>>) =>
  Effect.gen(function* () {
    const receipts = yield* EventReceipts;
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    // The claim cannot lapse while its holder can still complete it.
    const lease = Math.max(claimLeaseMs, ((yield* remainingMs) ?? 0) + receiptMarginMs);
    const claim = yield* receipts.claim(consumer, event, now, lease);
    if (claim.outcome === "duplicate") return "duplicate" as const;
    if (claim.outcome === "busy") return yield* new NotificationBusy({ consumer, eventId: event.eventId });
    if (claim.outcome === "waiting")
      return yield* new NotificationOutOfOrder({ consumer, eventId: event.eventId, orderId: !isOrderEvent(event) ? "" : event.orderId, sequence: positionOf(event), expected: claim.done + 1 });
    if (Option.isSome(effect)) yield* withinDeadline(consumer, event, effect.value).pipe(Effect.tapError(() => receipts.release(consumer, event)));
    yield* receipts.complete(consumer, event);
    return Option.isSome(effect) ? ("done" as const) : ("skipped" as const);
  });

const recipientOf = (customerId: UserId) =>
  Effect.flatMap(UserStore, (users) => users.findById(customerId)).pipe(Effect.map(Option.map((u) => ({ email: u.email, name: u.name }))));

/** The customer's email for an order event: confirmation, paid, shipped, delivered, cancelled. */
export const emailCustomer = (event: DomainEvent) =>
  Effect.gen(function* () {
    if (!isOrderEvent(event)) return "skipped" as const;
    const to = yield* recipientOf(event.customerId);
    const message = Option.flatMap(to, (recipient) => emailFor(event, recipient));
    const send = Option.map(message, (m) => Effect.flatMap(Mailer, (mailer) => mailer.send(m)).pipe(Effect.mapError(failed("email", event.eventId))));
    return yield* onceInOrder("email", event, send);
  });

/** The fulfilment partners' webhooks for an order event (partnersFor); each partner deduplicates by event id. */
export const notifyPartners = (event: DomainEvent) =>
  Effect.gen(function* () {
    if (!isOrderEvent(event)) return "skipped" as const;
    const partners = partnersFor(event);
    const calls = partners.length === 0 ? Option.none() : Option.some(Effect.flatMap(PartnerWebhooks, (hooks) => Effect.forEach(partners, (p) => hooks.notify(p, event), { discard: true })));
    return yield* onceInOrder("fulfilment", event, calls);
  });
