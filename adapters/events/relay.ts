/**
 * The relay: records of the table's stream in, the outbox events they carry out to the bus. Shared
 * by the Lambda (event source mapping) and the local stream poller; it answers which records must be
 * tried again, so only those are (ReportBatchItemFailures). An order's events go out in sequence: one
 * is offered only after its predecessor in the batch was accepted, and none past a refused one.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { Effect, Either } from "effect";
import { type DomainEvent, EventBus, isOrderEvent } from "../../domain/index.js";
import { eventFrom } from "../dynamodb/items.js";
import { isOutboxSortKey } from "../dynamodb/keys.js";

/** One record of a DynamoDB stream (NEW_IMAGE), as Lambda and GetRecords both give it. */
export interface StreamRecord {
  readonly eventName?: string | undefined;
  readonly dynamodb?: {
    readonly SequenceNumber?: string | undefined;
    readonly NewImage?: Record<string, AttributeValue> | undefined;
  } | undefined;
}

/** Outbox items (SK `EVENT`, or `EVENT#<sequence>` in an order's partition) are inserted once and never updated; their TTL deletion is not an event. */
export const isOutboxInsert = (r: StreamRecord): boolean => r.eventName === "INSERT" && isOutboxSortKey(r.dynamodb?.NewImage?.["SK"]?.S ?? "");

const sequenceOf = (r: StreamRecord): string => r.dynamodb?.SequenceNumber ?? "";

const decode = (r: StreamRecord): Either.Either<DomainEvent, unknown> =>
  Either.try(() => eventFrom(unmarshall(r.dynamodb?.NewImage ?? {}) as Record<string, unknown>));

/** What must go out in sequence: an order's events (their partition key); a StockLow stands alone. */
const streamOf = (e: DomainEvent) => (!isOrderEvent(e) ? `EVENT#${e.eventId}` : `ORDER#${e.orderId}`);
const positionOf = (e: DomainEvent) => (!isOrderEvent(e) ? 0 : e.sequence);

/**
 * Publishes in rounds, each taking the next event of every order still going: an order's later events
 * are offered only once the earlier were accepted (a PutEvents call can accept an entry and refuse the
 * one before it), and past a refused one none is offered. Answers the ids not published, refused or held.
 */
export const publishInOrder = (events: ReadonlyArray<DomainEvent>, blocked: ReadonlySet<string> = new Set()) =>
  Effect.gen(function* () {
    const bus = yield* EventBus;
    const queues = new Map<string, Array<DomainEvent>>();
    for (const e of events) queues.set(streamOf(e), [...(queues.get(streamOf(e)) ?? []), e]);
    const failed: Array<string> = [];
    const stop = (key: string) => (failed.push(...queues.get(key)!.map((e) => e.eventId)), queues.delete(key));
    for (const [key, queue] of queues) {
      if (blocked.has(key)) stop(key);
      else queue.sort((a, b) => positionOf(a) - positionOf(b));
    }
    while (queues.size > 0) {
      const heads = [...queues.values()].map((q) => q[0]!);
      const report = yield* bus.publish(heads).pipe(
        // The bus could not be reached at all: every event of the round, and what follows them, is tried again.
        Effect.catchTag("PersistenceUnavailable", () => Effect.succeed({ failed: heads.map((e) => e.eventId) })),
      );
      const refused = new Set(report.failed);
      for (const [key, queue] of [...queues]) {
        if (refused.has(queue[0]!.eventId)) stop(key);
        else {
          queue.shift();
          if (queue.length === 0) queues.delete(key);
        }
      }
    }
    return failed;
  });

export interface RelayReport {
  readonly published: number;
  /** Sequence numbers of the records to try again: their event was refused by the bus or held behind one that was, or is unreadable. */
  readonly failed: ReadonlyArray<string>;
  readonly unreadable: ReadonlyArray<string>;
}

/** Lambda retries a shard from the lowest reported sequence number, so reporting each failed record is enough. */
export const relayRecords = (records: ReadonlyArray<StreamRecord>) =>
  Effect.gen(function* () {
    const outbox = records.filter(isOutboxInsert).map((r) => ({ sequence: sequenceOf(r), event: decode(r) }));
    const readable = outbox.flatMap((o) => (Either.isRight(o.event) ? [{ sequence: o.sequence, event: o.event.right }] : []));
    const unreadable = outbox.filter((o) => Either.isLeft(o.event)).map((o) => o.sequence);
    // An unreadable item of an order holds that order's events behind it too.
    const poisoned = new Set(records.filter((r) => isOutboxInsert(r) && unreadable.includes(sequenceOf(r))).map((r) => r.dynamodb?.NewImage?.["PK"]?.S ?? ""));
    const failedIds = new Set(yield* publishInOrder(readable.map((r) => r.event), poisoned));
    const failed = [...readable.filter((r) => failedIds.has(r.event.eventId)).map((r) => r.sequence), ...unreadable];
    return { published: readable.length - failedIds.size, failed, unreadable } satisfies RelayReport;
  });
