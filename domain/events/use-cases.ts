import { Effect } from "effect";
import type { OrderId } from "../shared/ids.js";
import type { PageRequest } from "../shared/page.js";
import type { DomainEventType } from "./events.js";
import { EventLog } from "./ports.js";

/** Committed events, newest first: one order's when an order is named, else one type's, else all. */
export const listEvents = (page: PageRequest & { readonly type?: DomainEventType | undefined; readonly orderId?: OrderId | undefined }) =>
  Effect.flatMap(EventLog, (log) => {
    const { limit, cursor } = page;
    if (page.orderId !== undefined) return log.list({ limit, cursor, orderId: page.orderId });
    if (page.type !== undefined) return log.list({ limit, cursor, type: page.type });
    return log.list({ limit, cursor });
  });
