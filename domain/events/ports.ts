import { Context, type Effect } from "effect";
import type { PaginationCursorInvalid, PersistenceUnavailable } from "../shared/errors.js";
import type { OrderId } from "../shared/ids.js";
import type { Page, PageRequest } from "../shared/page.js";
import type { DomainEvent, DomainEventType } from "./events.js";

/**
 * The events the stores committed (their outbox), for admins and developers to see the flow. Events
 * are written only inside the transaction of the change they describe, never on their own.
 */
export interface EventLogShape {
  /** Newest first: all events, those of one type, or one order's (newest sequence first). */
  readonly list: (query: PageRequest & EventFilter) => Effect.Effect<Page<DomainEvent>, PaginationCursorInvalid | PersistenceUnavailable>;
}
/** One filter at most: a type, or an order. */
export type EventFilter =
  | { readonly type: DomainEventType; readonly orderId?: undefined }
  | { readonly orderId: OrderId; readonly type?: undefined }
  | { readonly type?: undefined; readonly orderId?: undefined };

export class EventLog extends Context.Tag("cartwright/EventLog")<EventLog, EventLogShape>() {}

export interface PublishReport {
  /** Events the bus refused; they must be offered again. The rest are published. */
  readonly failed: ReadonlyArray<string>;
}

/**
 * Where committed events go: EventBridge on AWS, an in-process bus locally. Publishing is at least once:
 * every consumer deduplicates by eventId.
 */
export interface EventBusShape {
  readonly publish: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<PublishReport, PersistenceUnavailable>;
}
export class EventBus extends Context.Tag("cartwright/EventBus")<EventBus, EventBusShape>() {}
