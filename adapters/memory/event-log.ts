import { Layer } from "effect";
import { type DomainEvent, EventLog, isOrderEvent, type EventLogShape } from "../../domain/index.js";
import type { MemoryDb } from "./db.js";
import { pad, paginate } from "./paginate.js";

const orderOf = (e: DomainEvent) => (!isOrderEvent(e) ? undefined : e.orderId);

export const memoryEventLog = (db: MemoryDb): EventLogShape => ({
  list: (query) => {
    const position = new Map(db.outbox.map((e, i) => [e.eventId, i]));
    const matching = db.outbox.filter(
      (e) => (query.type === undefined || e.type === query.type) && (query.orderId === undefined || orderOf(e) === query.orderId),
    );
    // Newest first; events committed at the same millisecond keep their commit order.
    return paginate(matching, (e) => `${pad(e.occurredAt)}#${pad(position.get(e.eventId) ?? 0)}`, `events:${query.type ?? ""}:${query.orderId ?? ""}`, query, true);
  },
});

export const MemoryEventLog = (db: MemoryDb) => Layer.succeed(EventLog, memoryEventLog(db));
