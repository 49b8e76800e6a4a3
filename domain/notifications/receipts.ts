import { type DomainEvent, isOrderEvent } from "../events/events.js";

/** Where a consumer's receipt of an event lives: per order (StockLow, which has none: per event). */
export const receiptKey = (consumer: string, event: DomainEvent): string => `${consumer}#${!isOrderEvent(event) ? event.eventId : event.orderId}`;

/** An event's place in its order's history; a StockLow stands alone. */
export const positionOf = (event: DomainEvent): number => (!isOrderEvent(event) ? 1 : event.sequence);
