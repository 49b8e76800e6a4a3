import { Effect } from "effect";
import type { Timestamp } from "../shared/ids.js";
import { IdGenerator } from "../shared/ports.js";
import type { Product } from "../inventory/product.js";
import type { DomainEvent } from "./events.js";
import { EventOps } from "./ops.js";

/**
 * The StockLow event of a change, judged on the products as this request read them: a reservation
 * racing another may both report the same fall, or neither. It is an alert, not a ledger.
 */
export const lowStockEvents = (now: Timestamp, changes: ReadonlyArray<{ readonly before: Product; readonly after: Product }>) =>
  Effect.gen(function* () {
    const [first, ...rest] = EventOps.fellLow(changes);
    // An id is drawn only for an event: sequential test ids do not shift when there is none.
    if (first === undefined) return [] as ReadonlyArray<DomainEvent>;
    const eventId = yield* Effect.flatMap(IdGenerator, (ids) => ids.next);
    return [EventOps.stockLow(eventId, now, [first, ...rest])];
  });
