/**
 * Opaque pagination cursors: base64url JSON of the query they belong to and, per index
 * partition (shard), where reading stopped. A cursor is accepted only for the query that
 * issued it and only if every key points into that query's own partitions, so a client
 * cannot craft one that reads another customer's or category's items.
 */
import { Option } from "effect";

export type Key = Readonly<Record<string, string | number>>;
/** null: not started; "done": exhausted; a key: resume after it. */
export type Position = Key | null | "done";

export interface CursorShape {
  /** The query's identity (operation and its arguments). */
  readonly identity: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly sortKeyType: "S" | "N";
  /** The partition value each position must stay in, in order. */
  readonly partitions: ReadonlyArray<string>;
}

export const encodeCursor = (identity: string, positions: ReadonlyArray<Position>): string =>
  Buffer.from(JSON.stringify({ q: identity, p: positions })).toString("base64url");

const validKey = (shape: CursorShape, partition: string, key: unknown): key is Key => {
  if (typeof key !== "object" || key === null || Array.isArray(key)) return false;
  const k = key as Record<string, unknown>;
  const names = ["PK", "SK", shape.partitionKey, shape.sortKey];
  return (
    Object.keys(k).length === new Set(names).size &&
    typeof k.PK === "string" &&
    typeof k.SK === "string" &&
    k[shape.partitionKey] === partition &&
    (shape.sortKeyType === "N" ? Number.isSafeInteger(k[shape.sortKey]) : typeof k[shape.sortKey] === "string")
  );
};

const validPosition = (shape: CursorShape, partition: string, p: unknown): p is Position =>
  p === null || p === "done" || validKey(shape, partition, p);

export const decodeCursor = (shape: CursorShape, raw: string): Option.Option<ReadonlyArray<Position>> => {
  try {
    const body = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { q?: unknown; p?: unknown };
    const positions = body.p;
    if (body.q !== shape.identity || !Array.isArray(positions) || positions.length !== shape.partitions.length) return Option.none();
    return positions.every((p, i) => validPosition(shape, shape.partitions[i]!, p)) ? Option.some(positions as Array<Position>) : Option.none();
  } catch {
    return Option.none();
  }
};
