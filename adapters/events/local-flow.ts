/**
 * `npm start`'s event flow, the same code as deployed around an in-process bus: the outbox (DynamoDB
 * Local's stream, or the memory outbox) → the relay → the local bus → its subscribers (the consumers).
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { Effect } from "effect";
import { startStreamRelay } from "../dynamodb/stream-relay.js";
import type { MemoryDb } from "../memory/db.js";
import { startOutboxRelay } from "../memory/outbox-relay.js";
import { makeLocalBus, type Subscriber } from "./local-bus.js";
import { relayRecords } from "./relay.js";
import { fileCheckpoint } from "./stream-checkpoint.js";

export type OutboxSource =
  | { readonly kind: "dynamodb"; readonly client: DynamoDBClient; readonly endpoint: string; readonly tableName: string }
  | { readonly kind: "memory"; readonly db: MemoryDb };

export interface LocalEventsOptions {
  /** DynamoDB only: where the relay keeps its position in the stream, so a restart publishes only what was not yet delivered. */
  readonly checkpointFile?: string;
}

export const startLocalEvents = (source: OutboxSource, subscribers: ReadonlyArray<Subscriber>, log: (line: Record<string, unknown>) => void, options: LocalEventsOptions = {}) => {
  const bus = makeLocalBus({ log });
  for (const s of subscribers) bus.subscribe(s);
  if (source.kind === "memory") {
    const relay = startOutboxRelay(source.db, bus.layer);
    return { bus, stop: async () => (await relay.stop(), await bus.drained()) };
  }
  const checkpoint = options.checkpointFile === undefined ? undefined : fileCheckpoint(options.checkpointFile, bus.settled, log);
  const streams = new DynamoDBStreamsClient({ endpoint: source.endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const relay = startStreamRelay({
    client: source.client,
    streams,
    tableName: source.tableName,
    relay: (records) => Effect.runPromise(relayRecords(records).pipe(Effect.provide(bus.layer))),
    onDeadLetter: (record) => log({ level: "error", msg: "outbox record dead-lettered", sequence: record.dynamodb?.SequenceNumber }),
    log,
    ...(checkpoint === undefined ? {} : { checkpoint }),
  });
  return {
    bus,
    stop: async () => {
      await relay.stop();
      await bus.drained();
      await checkpoint?.flushed();
      streams.destroy();
    },
  };
};
