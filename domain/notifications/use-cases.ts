import { Effect, Option } from "effect";
import type { UserId } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";
import type { DomainEvent, OrderEvent } from "../events/events.js";
import { UserStore } from "../users/ports.js";
import { emailFor } from "./email.js";
import { type Claim, EventReceipts, Mailer, NotificationBusy, NotificationFailed, type Partner, PartnerWebhooks } from "./ports.js";

const failed = (consumer: string, eventId: string) => (e: { readonly reason: string }) => new NotificationFailed({ consumer, eventId, reason: e.reason });

/** How long a claim holds: a crash after the effect but before `complete` repeats it once this lapses. */
export const claimLeaseMs = 2 * 60_000;

/** Which partner an event is for: the warehouse picks and packs paid orders; the delivery partner takes packed and shipped ones. */
export const partnerFor = (event: OrderEvent): Option.Option<Partner> =>
  event.type === "OrderPaid" ? Option.some("warehouse") : event.type === "OrderPacked" || event.type === "OrderShipped" ? Option.some("delivery") : Option.none();

/**
 * Runs `effect` at most once per event and consumer, in order per order: every event of an order
 * moves the consumer's mark (so a late, older event is stale and does nothing), and only a fresh
 * one acts. A failed effect releases its claim and fails, so the delivery is retried.
 */
const onceInOrder = <R>(consumer: string, event: DomainEvent, effect: Option.Option<Effect.Effect<void, NotificationFailed, R>>) =>
  Effect.gen(function* () {
    const receipts = yield* EventReceipts;
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const claim: Claim = yield* receipts.claim(consumer, event, now, claimLeaseMs);
    if (claim === "busy") return yield* new NotificationBusy({ consumer, eventId: event.eventId });
    if (claim !== "fresh") return claim;
    if (Option.isSome(effect)) yield* effect.value.pipe(Effect.tapError(() => receipts.release(consumer, event)));
    yield* receipts.complete(consumer, event);
    return Option.isSome(effect) ? ("done" as const) : ("skipped" as const);
  });

const recipientOf = (customerId: UserId) =>
  Effect.flatMap(UserStore, (users) => users.findById(customerId)).pipe(Effect.map(Option.map((u) => ({ email: u.email, name: u.name }))));

/** The customer's email for an order event: confirmation, paid, shipped, delivered, cancelled. */
export const emailCustomer = (event: DomainEvent) =>
  Effect.gen(function* () {
    if (event.type === "StockLow") return "skipped" as const;
    const to = yield* recipientOf(event.customerId);
    const message = Option.flatMap(to, (recipient) => emailFor(event, recipient));
    const send = Option.map(message, (m) => Effect.flatMap(Mailer, (mailer) => mailer.send(m)).pipe(Effect.mapError(failed("email", event.eventId))));
    return yield* onceInOrder("email", event, send);
  });

/** The fulfilment partners' webhook for an order event (OrderPaid → warehouse; OrderPacked, OrderShipped → delivery). */
export const notifyPartners = (event: DomainEvent) =>
  Effect.gen(function* () {
    if (event.type === "StockLow") return "skipped" as const;
    const call = Option.map(partnerFor(event), (partner) => Effect.flatMap(PartnerWebhooks, (hooks) => hooks.notify(partner, event)));
    return yield* onceInOrder("fulfilment", event, call);
  });
