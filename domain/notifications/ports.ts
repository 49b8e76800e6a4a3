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

/** fresh: act on it; duplicate: already done; stale: the order has moved past it, do nothing; busy: retry later. */
export type Claim = "fresh" | "duplicate" | "stale" | "busy";

/**
 * What each consumer has done, per order: the highest event sequence it completed, and a claim with a
 * lease on the one in progress. A claim is one conditional write, so twin deliveries cannot both act.
 * StockLow (no order) is keyed by its event id.
 */
export interface EventReceiptsShape {
  readonly claim: (consumer: string, event: DomainEvent, now: Timestamp, leaseMs: number) => Effect.Effect<Claim, PersistenceUnavailable>;
  /** The effect happened: the order's mark moves to this event, the claim goes. */
  readonly complete: (consumer: string, event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable>;
  /** The effect failed: the claim goes, so a redelivery can take it. */
  readonly release: (consumer: string, event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable>;
}
export class EventReceipts extends Context.Tag("cartwright/EventReceipts")<EventReceipts, EventReceiptsShape>() {}

/** The mail service did not take the message. */
export class MailUndelivered extends Schema.TaggedError<MailUndelivered>()("MailUndelivered", { reason: Schema.String }) {}

export interface MailerShape {
  readonly send: (message: EmailMessage) => Effect.Effect<void, MailUndelivered>;
}
/** Sends customer email: SES on AWS, .eml files locally. */
export class Mailer extends Context.Tag("cartwright/Mailer")<Mailer, MailerShape>() {}

export type Partner = "warehouse" | "delivery";

export interface PartnerWebhooksShape {
  /** Delivers the event to the partner (signed), or fails once its retries are spent. */
  readonly notify: (partner: Partner, event: OrderEvent) => Effect.Effect<void, NotificationFailed>;
}
/** Fulfilment partners' webhooks: signed HTTPS POSTs on AWS, a log line locally when no URL is set. */
export class PartnerWebhooks extends Context.Tag("cartwright/PartnerWebhooks")<PartnerWebhooks, PartnerWebhooksShape>() {}
