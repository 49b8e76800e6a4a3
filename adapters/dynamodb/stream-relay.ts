/**
 * The relay's local twin of Lambda's event source mapping: polls the table's stream (DynamoDB Local
 * with `npm start`, or any endpoint), hands each batch to the relay, retries the records it refuses a
 * few times, then dead-letters them and moves on, so a poison record never blocks what follows.
 */
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from "@aws-sdk/client-dynamodb-streams";
import type { StreamRecord } from "../events/relay.js";

export interface StreamRelayOptions {
  readonly client: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  /** Relays a batch; answers the sequence numbers of the records to try again. */
  readonly relay: (records: ReadonlyArray<StreamRecord>) => Promise<{ readonly failed: ReadonlyArray<string> }>;
  /** Deliveries of a refused record before it is dead-lettered (as maximumRetryAttempts; 4 by default). */
  readonly maxAttempts?: number;
  /** Pause between polls of a shard with nothing new (100 ms by default). */
  readonly idleMs?: number;
  readonly onDeadLetter?: (record: StreamRecord) => void;
  readonly log?: (line: Record<string, unknown>) => void;
  /** Where a restart resumes: each shard's last handled sequence number, loaded per stream and told after each batch. */
  readonly checkpoint?: StreamCheckpoint;
}

export interface StreamCheckpoint {
  readonly load: (streamArn: string) => Promise<ReadonlyMap<string, string>>;
  /** Every record of the shard up to `sequence` was handed to the relay (and published, retried out or dead-lettered). */
  readonly save: (streamArn: string, shardId: string, sequence: string) => void;
}

export interface StreamRelay {
  readonly stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Refused iterators (expired, trimmed, a stream re-created) are replaced after a fresh DescribeStream. */
const refusedIterator = (error: unknown) =>
  ["ExpiredIteratorException", "TrimmedDataAccessException", "ResourceNotFoundException"].includes((error as { name?: string }).name ?? "");

export const startStreamRelay = (o: StreamRelayOptions): StreamRelay => {
  const attempts = o.maxAttempts ?? 4;
  const idleMs = o.idleMs ?? 100;
  let running = true;
  /** Per shard: the last sequence number handled, so a new iterator resumes right after it. */
  const checkpoints = new Map<string, string>();
  const done = new Set<string>();
  let loadedFor: string | undefined;
  const resume = async (streamArn: string) => {
    if (o.checkpoint === undefined || loadedFor === streamArn) return;
    for (const [shard, sequence] of await o.checkpoint.load(streamArn)) if (!checkpoints.has(shard)) checkpoints.set(shard, sequence);
    loadedFor = streamArn;
  };

  const deliver = async (records: ReadonlyArray<_Record>) => {
    let pending: ReadonlyArray<StreamRecord> = records as ReadonlyArray<StreamRecord>;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { failed } = await o.relay(pending).catch(() => ({ failed: pending.map((r) => r.dynamodb?.SequenceNumber ?? "") }));
      const again = new Set(failed);
      pending = pending.filter((r) => again.has(r.dynamodb?.SequenceNumber ?? ""));
      if (pending.length > 0 && attempt >= attempts) {
        for (const r of pending) o.onDeadLetter?.(r);
        o.log?.({ level: "error", msg: "stream records dead-lettered after retries", count: pending.length, attempts });
        return;
      }
      if (pending.length > 0) await sleep(idleMs * 2 ** (attempt - 1));
    }
  };

  const iteratorFor = async (streamArn: string, shardId: string): Promise<string | undefined> => {
    const after = checkpoints.get(shardId);
    const out = await o.streams
      .send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          // TRIM_HORIZON, not LATEST: LATEST on a new table's stream can be refused by DynamoDB Local.
          ...(after === undefined ? { ShardIteratorType: "TRIM_HORIZON" } : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }),
        }),
      )
      .catch((error: unknown) => {
        // A kept checkpoint the stream no longer has (trimmed after 24 h): read what it still has; consumers drop the duplicates.
        if (after === undefined || !(refusedIterator(error) || (error as { name?: string }).name === "ValidationException")) throw error;
        o.log?.({ level: "warn", msg: "stream relay: checkpoint no longer in the stream, reading from its oldest record", shardId, error: String(error) });
        return undefined;
      });
    if (out !== undefined) return out.ShardIterator;
    checkpoints.delete(shardId);
    return iteratorFor(streamArn, shardId);
  };

  const readShard = async (streamArn: string, shardId: string) => {
    let iterator = await iteratorFor(streamArn, shardId);
    while (running && iterator !== undefined) {
      const out = await o.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 })).catch((error: unknown) => {
        if (refusedIterator(error)) return undefined;
        throw error;
      });
      if (out === undefined) return; // re-described by the caller, resumed from the checkpoint
      const records = out.Records ?? [];
      if (records.length > 0) {
        await deliver(records);
        const last = records[records.length - 1]!.dynamodb?.SequenceNumber ?? "";
        checkpoints.set(shardId, last);
        o.checkpoint?.save(streamArn, shardId, last);
      } else await sleep(idleMs);
      iterator = out.NextShardIterator;
    }
    if (iterator === undefined) done.add(shardId); // a closed shard, read to its end
  };

  const loop = async () => {
    while (running) {
      try {
        const table = await o.client.send(new DescribeTableCommand({ TableName: o.tableName }));
        const streamArn = table.Table?.LatestStreamArn;
        if (!streamArn) throw new Error(`table ${o.tableName} has no stream`);
        await resume(streamArn);
        const stream = await o.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        const all = stream.StreamDescription?.Shards ?? [];
        const present = new Set(all.map((s) => s.ShardId));
        // A child shard is read once its parent is read to its end: records of one item stay in order.
        const shards = all.filter((s) => s.ShardId && !done.has(s.ShardId) && (!s.ParentShardId || done.has(s.ParentShardId) || !present.has(s.ParentShardId)));
        if (shards.length === 0) await sleep(idleMs);
        await Promise.all(shards.map((s) => readShard(streamArn, s.ShardId!)));
      } catch (error) {
        if (!running) return;
        o.log?.({ level: "warn", msg: "stream relay: retrying after an error", error: String(error) });
        await sleep(1_000);
      }
    }
  };

  const finished = loop();
  return {
    stop: async () => {
      running = false;
      await finished;
    },
  };
};
