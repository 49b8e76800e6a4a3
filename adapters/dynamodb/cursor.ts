/**
 * Pagination cursors of index queries: per index partition (shard), where reading stopped, as
 * `0` (not started), `1` (done) or `[PK, SK, index sort key]`. The index partition and the attribute
 * names come from the query reading the cursor, never from the cursor, so no cursor can read
 * another customer's or category's items (wire form and check: adapters/page-token.ts).
 */
import { Option } from "effect";
import { openCursor, sealCursor } from "../page-token.js";

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

type Packed = 0 | 1 | readonly [string, string, string | number];

const pack = (shape: CursorShape, p: Position): Packed =>
  p === null ? 0 : p === "done" ? 1 : [p.PK as string, p.SK as string, p[shape.sortKey]!];

const unpack = (shape: CursorShape, partition: string, p: unknown): Option.Option<Position> => {
  if (p === 0) return Option.some(null);
  if (p === 1) return Option.some("done");
  if (!Array.isArray(p) || p.length !== 3) return Option.none();
  const [pk, sk, sortValue] = p as Array<unknown>;
  const sortOk = shape.sortKeyType === "N" ? Number.isSafeInteger(sortValue) : typeof sortValue === "string";
  if (typeof pk !== "string" || typeof sk !== "string" || !sortOk) return Option.none();
  return Option.some({ PK: pk, SK: sk, [shape.partitionKey]: partition, [shape.sortKey]: sortValue as string | number });
};

export const encodeCursor = (shape: CursorShape, positions: ReadonlyArray<Position>): string =>
  sealCursor(shape.identity, positions.map((p) => pack(shape, p)));

export const decodeCursor = (shape: CursorShape, raw: string): Option.Option<ReadonlyArray<Position>> =>
  Option.flatMap(openCursor(shape.identity, raw), (body) =>
    Array.isArray(body) && body.length === shape.partitions.length
      ? Option.all(body.map((p, i) => unpack(shape, shape.partitions[i]!, p)))
      : Option.none(),
  );
