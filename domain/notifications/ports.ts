import { Context, type Effect, Schema } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { Timestamp } from "../shared/ids.js";
import type { DomainEvent, OrderEvent } from "../events/events.js";
import type { EmailMessage } from "./email.js";

/** A side effect that did not happen (mail refused, partner down); the delivery is retried, then dead-lettered. */
export class NotificationFailed extends Schema.TaggedError<NotificationFailed>()("NotificationFailed", {
  consumer: Schema.String,
  eventId: Schema.String,
  reason: Schema.String,
}) {}

/** Another delivery of this order's events is in progress: try this one again later. */
export class NotificationBusy extends Schema.TaggedError<NotificationBusy>()("NotificationBusy", {
  consumer: Schema.String,
  eventId: Schema.String,
}) {}

/** The event is ahead of a gap: the consumer has not yet done `expected` of this order. It waits (is retried). */
export class NotificationOutOfOrder extends Schema.TaggedError<NotificationOutOfOrder>()("NotificationOutOfOrder", {
  consumer: Schema.String,
  eventId: Schema.String,
  orderId: Schema.String,
  sequence: Schema.Number,
  expected: Schema.Number,
}) {}

/** Too little of the invocation is left to do the effect and record it: retried by a later delivery. */
export class NotificationOutOfTime extends Schema.TaggedError<NotificationOutOfTime>()("NotificationOutOfTime", {
  consumer: Schema.String,
  eventId: Schema.String,
  remainingMs: Schema.Number,
}) {}

/**
 * fresh: act on it (it is next, and now claimed); duplicate: already done; waiting: an earlier event of
 * the order is not done yet; busy: another delivery holds the claim. `done` is the consumer's mark.
 */
export interface Claim {
  readonly outcome: "fresh" | "duplicate" | "waiting" | "busy";
  readonly done: number;
}

/**
 * What each consumer has done, per order: the last event sequence it completed (its mark; they are
 * done one after the other, no gaps) and a claim with a lease on the next one. A claim is one
 * conditional write, so twin deliveries cannot both act. StockLow (no order) is keyed by its event id.
 */
export interface EventReceiptsShape {
  readonly claim: (consumer: string, event: DomainEvent, now: Timestamp, leaseMs: number) => Effect.Effect<Claim, PersistenceUnavailable>;
  /** The effect happened (or the event had none): the mark moves to this event, the claim goes. */
  readonly complete: (consumer: string, event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable>;
  /** The effect failed: the claim goes, so a redelivery can take it. */
  readonly release: (consumer: string, event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable>;
}
export class EventReceipts extends Context.Tag("cartwright/EventReceipts")<EventReceipts, EventReceiptsShape>() {}

/**
 * How much time the running consumer has left (its Lambda invocation's deadline), if it is bounded.
 * Optional: a consumer without it (tests, `npm start`) has no deadline.
 */
export interface ConsumerDeadlineShape {
  readonly remainingMs: Effect.Effect<number | undefined>;
}
export class ConsumerDeadline extends Context.Tag("cartwright/ConsumerDeadline")<ConsumerDeadline, ConsumerDeadlineShape>() {}

/** The mail service did not take the message. */
export class MailUndelivered extends Schema.TaggedError<MailUndelivered>()("MailUndelivered", { reason: Schema.String }) {}

export interface MailerShape {
  /** Sends the message; interrupting the effect aborts the call (the effect is bounded by the consumer's deadline). */
  readonly send: (message: EmailMessage) => Effect.Effect<void, MailUndelivered>;
}
/** Sends customer email: SES on AWS, .eml files locally. */
export class Mailer extends Context.Tag("cartwright/Mailer")<Mailer, MailerShape>() {}

export type Partner = "warehouse" | "delivery";

export interface PartnerWebhooksShape {
  /** Delivers the event to the partner (signed), or fails once its retries are spent; interrupting it aborts the call. */
  readonly notify: (partner: Partner, event: OrderEvent) => Effect.Effect<void, NotificationFailed>;
}
/** Fulfilment partners' webhooks: signed HTTPS POSTs on AWS, a log line locally when no URL is set. */
export class PartnerWebhooks extends Context.Tag("cartwright/PartnerWebhooks")<PartnerWebhooks, PartnerWebhooksShape>() {}
