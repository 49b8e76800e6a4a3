/** The EventBus on AWS: PutEvents to the stack's custom bus, in calls that EventBridge accepts. */
import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { Effect, Layer, Schema } from "effect";
import { DomainEvent, EventBus, type EventBusShape, eventSource } from "../../domain/index.js";

// PutEvents takes at most 10 entries and 256 KB a call.
export const maxEntriesPerCall = 10;
export const maxBytesPerCall = 256 * 1024;

const encode = Schema.encodeSync(DomainEvent);

export const entryOf = (busName: string, event: DomainEvent): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: eventSource(event),
  DetailType: event.type,
  Detail: JSON.stringify(encode(event)),
  Time: new Date(event.occurredAt),
});

// EventBridge's own size rule: the UTF-8 bytes of Source, DetailType and Detail, plus 14 for Time.
const sizeOf = (e: PutEventsRequestEntry) => Buffer.byteLength(`${e.Source}${e.DetailType}${e.Detail}`) + 14;

/** Consecutive chunks of at most 10 entries and 256 KB. */
export const chunk = (entries: ReadonlyArray<PutEventsRequestEntry>): Array<Array<PutEventsRequestEntry>> => {
  const chunks: Array<Array<PutEventsRequestEntry>> = [];
  let bytes = 0;
  for (const entry of entries) {
    const last = chunks[chunks.length - 1];
    if (!last || last.length === maxEntriesPerCall || bytes + sizeOf(entry) > maxBytesPerCall) {
      chunks.push([entry]);
      bytes = sizeOf(entry);
    } else {
      last.push(entry);
      bytes += sizeOf(entry);
    }
  }
  return chunks;
};

/** A 200 answer may still carry FailedEntryCount > 0: each failed entry is named, in request order. */
const failedOf = (events: ReadonlyArray<DomainEvent>, answer: ReadonlyArray<{ readonly ErrorCode?: string | undefined }>) =>
  events.filter((_, i) => answer[i] === undefined || answer[i]?.ErrorCode !== undefined).map((e) => e.eventId);

export const eventBridgeBus = (client: EventBridgeClient, busName: string): EventBusShape => ({
  publish: (events) =>
    Effect.gen(function* () {
      const failed: Array<string> = [];
      let at = 0;
      for (const entries of chunk(events.map((e) => entryOf(busName, e)))) {
        const sent = events.slice(at, (at += entries.length));
        const answer = yield* Effect.tryPromise(() => client.send(new PutEventsCommand({ Entries: entries }))).pipe(
          Effect.map((out) => failedOf(sent, out.Entries ?? [])),
          // A call that failed as a whole (throttled, unreachable): its events are tried again, the others stand.
          Effect.catchAll(() => Effect.succeed(sent.map((e) => e.eventId))),
        );
        failed.push(...answer);
      }
      return { failed };
    }),
});

export const EventBridgeBus = (client: EventBridgeClient, busName: string) => Layer.succeed(EventBus, eventBridgeBus(client, busName));
