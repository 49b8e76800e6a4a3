/**
 * The relay: records of the table's stream in, the outbox events they carry out to the bus. Shared
 * by the Lambda (event source mapping) and the local stream poller; it answers which records must be
 * tried again, so only those are (ReportBatchItemFailures).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { Effect, Either } from "effect";
import { type DomainEvent, EventBus } from "../../domain/index.js";
import { eventFrom } from "../dynamodb/items.js";

/** One record of a DynamoDB stream (NEW_IMAGE), as Lambda and GetRecords both give it. */
export interface StreamRecord {
  readonly eventName?: string | undefined;
  readonly dynamodb?: {
    readonly SequenceNumber?: string | undefined;
    readonly NewImage?: Record<string, AttributeValue> | undefined;
  } | undefined;
}

/** Outbox items are inserted once and never updated; their TTL deletion is not an event. */
export const isOutboxInsert = (r: StreamRecord): boolean => r.eventName === "INSERT" && r.dynamodb?.NewImage?.["SK"]?.S === "EVENT";

const sequenceOf = (r: StreamRecord): string => r.dynamodb?.SequenceNumber ?? "";

const decode = (r: StreamRecord): Either.Either<DomainEvent, unknown> =>
  Either.try(() => eventFrom(unmarshall(r.dynamodb?.NewImage ?? {}) as Record<string, unknown>));

export interface RelayReport {
  readonly published: number;
  /** Sequence numbers of the records to try again: their event was refused by the bus, or is unreadable. */
  readonly failed: ReadonlyArray<string>;
  readonly unreadable: ReadonlyArray<string>;
}

export const relayRecords = (records: ReadonlyArray<StreamRecord>) =>
  Effect.gen(function* () {
    const bus = yield* EventBus;
    const outbox = records.filter(isOutboxInsert).map((r) => ({ sequence: sequenceOf(r), event: decode(r) }));
    const readable = outbox.flatMap((o) => (Either.isRight(o.event) ? [{ sequence: o.sequence, event: o.event.right }] : []));
    const unreadable = outbox.filter((o) => Either.isLeft(o.event)).map((o) => o.sequence);
    if (readable.length === 0) return { published: 0, failed: unreadable, unreadable } satisfies RelayReport;
    const report = yield* bus.publish(readable.map((r) => r.event)).pipe(
      // The bus could not be reached at all: every event of the batch is tried again.
      Effect.catchTag("PersistenceUnavailable", () => Effect.succeed({ failed: readable.map((r) => r.event.eventId) })),
    );
    const refused = new Set(report.failed);
    const failed = [...readable.filter((r) => refused.has(r.event.eventId)).map((r) => r.sequence), ...unreadable];
    return { published: readable.length - refused.size, failed, unreadable } satisfies RelayReport;
  });
