/**
 * npm start's relay checkpoint, kept in a file beside DynamoDB Local's data: a restart reads the stream
 * from after what was delivered, instead of from its oldest record (TRIM_HORIZON) again. A batch's
 * position is written only once every subscriber has handled its events, so a crash before that
 * replays them (consumers drop the duplicates) rather than losing them.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { StreamCheckpoint } from "../dynamodb/stream-relay.js";

interface Kept {
  readonly streamArn: string;
  readonly shards: Record<string, string>;
}

export interface FileCheckpoint extends StreamCheckpoint {
  /** Resolves once every position saved so far is written. */
  readonly flushed: () => Promise<void>;
}

const read = async (file: string): Promise<Kept | undefined> => {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)));
  try {
    const kept = text === undefined ? undefined : (JSON.parse(text) as Kept);
    return typeof kept?.streamArn === "string" && typeof kept.shards === "object" ? kept : undefined;
  } catch {
    return undefined; // unreadable: read the stream from its start, as without a file
  }
};

/** `settled` resolves once every delivery started before the call has finished (the local bus's `settled`). */
export const fileCheckpoint = (file: string, settled: () => Promise<void>, log: (line: Record<string, unknown>) => void = () => {}): FileCheckpoint => {
  let kept: Kept | undefined;
  let writes: Promise<void> = Promise.resolve();
  const write = async (next: Kept) => {
    await mkdir(dirname(file), { recursive: true });
    // Written whole, then renamed: a crash leaves the old file or the new one, never half of one.
    await writeFile(`${file}.tmp`, JSON.stringify(next));
    await rename(`${file}.tmp`, file);
  };
  return {
    load: async (streamArn) => {
      const found = await read(file);
      // Another stream (the table was re-created): its shards are new, nothing of it was read yet.
      kept = found?.streamArn === streamArn ? found : { streamArn, shards: {} };
      return new Map(Object.entries(kept.shards));
    },
    save: (streamArn, shardId, sequence) => {
      const delivered = settled();
      writes = Promise.all([writes, delivered])
        .then(() => {
          kept = { streamArn, shards: { ...(kept?.streamArn === streamArn ? kept.shards : {}), [shardId]: sequence } };
          return write(kept);
        })
        .catch((error: unknown) => log({ level: "warn", msg: "stream checkpoint not written", file, error: String(error) }));
    },
    flushed: () => writes,
  };
};
