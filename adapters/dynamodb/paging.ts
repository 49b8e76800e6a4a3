/**
 * Paginated index queries, over one partition or over every shard of a sharded one
 * (merged in index order). Each shard is read with Limit = limit + 1, so a page knows
 * for sure whether another follows and the last page has no cursor, as in memory.
 */
import { Effect, Option } from "effect";
import { type Page, type PageRequest, PaginationCursorInvalid, type PersistenceUnavailable } from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { type CursorShape, decodeCursor, encodeCursor, type Key, type Position } from "./cursor.js";
import type { Item } from "./items.js";
import { tableDefinition } from "./table.js";

export interface IndexQuery {
  readonly operation: string;
  readonly index: string;
  /** Names the query and its arguments; a cursor is only valid for the identity that issued it. */
  readonly identity: string;
  /** One partition value, or one per shard. */
  readonly partitions: ReadonlyArray<string>;
  readonly descending?: boolean;
  /** Only entries whose sort key is strictly below this. */
  readonly sortKeyBelow?: string | number;
}

const shapeOf = (q: IndexQuery): CursorShape => {
  const index = tableDefinition.globalSecondaryIndexes.find((i) => i.name === q.index);
  if (!index) throw new Error(`unknown index ${q.index}`);
  const type = tableDefinition.attributes.find((a) => a.name === index.sortKey)?.type ?? "S";
  return { identity: q.identity, partitionKey: index.partitionKey, sortKey: index.sortKey, sortKeyType: type, partitions: q.partitions };
};

// DynamoDB orders strings by their UTF-8 bytes, numbers numerically.
const compareValues = (a: unknown, b: unknown): number =>
  typeof a === "number" && typeof b === "number" ? a - b : Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));

const keyOf = (shape: CursorShape, item: Item): Key => {
  const key: Record<string, string | number> = {};
  for (const name of ["PK", "SK", shape.partitionKey, shape.sortKey]) key[name] = item[name] as string | number;
  return key;
};

const fetchShard = (dynamo: Dynamo, q: IndexQuery, shape: CursorShape, partition: string, start: Key | null, want: number) =>
  Effect.gen(function* () {
    const items: Array<Item> = [];
    let from: Record<string, unknown> | undefined = start ?? undefined;
    do {
      const out = yield* dynamo.query(q.operation, {
        IndexName: q.index,
        KeyConditionExpression: q.sortKeyBelow === undefined ? "#pk = :pk" : "#pk = :pk AND #sk < :below",
        ExpressionAttributeNames: { "#pk": shape.partitionKey, ...(q.sortKeyBelow === undefined ? {} : { "#sk": shape.sortKey }) },
        ExpressionAttributeValues: { ":pk": partition, ...(q.sortKeyBelow === undefined ? {} : { ":below": q.sortKeyBelow }) },
        ScanIndexForward: !q.descending,
        Limit: want - items.length,
        ExclusiveStartKey: from,
      });
      items.push(...(out.Items ?? []));
      from = out.LastEvaluatedKey;
    } while (from !== undefined && items.length < want);
    return { items, exhausted: items.length < want };
  });

/** Takes up to `limit` items in index order, each shard consumed as a prefix of its own order. */
const merge = (shape: CursorShape, shards: ReadonlyArray<ReadonlyArray<Item>>, limit: number, descending: boolean) => {
  const sign = descending ? -1 : 1;
  const compare = (a: Item, b: Item) =>
    sign * (compareValues(a[shape.sortKey], b[shape.sortKey]) || compareValues(a.PK, b.PK) || compareValues(a.SK, b.SK));
  const taken = shards.map(() => 0);
  const page: Array<Item> = [];
  while (page.length < limit) {
    let best = -1;
    shards.forEach((items, s) => {
      const head = items[taken[s]!];
      if (head && (best < 0 || compare(head, shards[best]![taken[best]!]!) < 0)) best = s;
    });
    if (best < 0) break;
    page.push(shards[best]![taken[best]!]!);
    taken[best]!++;
  }
  return { page, taken };
};

export const queryPage = (
  dynamo: Dynamo,
  q: IndexQuery,
  req: PageRequest,
): Effect.Effect<Page<Item>, PaginationCursorInvalid | PersistenceUnavailable> =>
  Effect.gen(function* () {
    const shape = shapeOf(q);
    const limit = Math.max(1, Math.floor(req.limit));
    const start: ReadonlyArray<Position> =
      req.cursor === undefined
        ? q.partitions.map(() => null)
        : yield* Option.match(decodeCursor(shape, req.cursor), {
            onNone: () => Effect.fail(new PaginationCursorInvalid()),
            onSome: Effect.succeed,
          });
    const fetched = yield* Effect.forEach(
      q.partitions,
      (partition, s) => {
        const position = start[s]!;
        return position === "done"
          ? Effect.succeed({ items: [] as Array<Item>, exhausted: true })
          : fetchShard(dynamo, q, shape, partition, position, limit + 1);
      },
      { concurrency: "unbounded" },
    );
    const { page, taken } = merge(shape, fetched.map((f) => f.items), limit, q.descending ?? false);
    const positions = fetched.map(({ items, exhausted }, s): Position => {
      if (exhausted && taken[s] === items.length) return "done";
      return taken[s]! > 0 ? keyOf(shape, items[taken[s]! - 1]!) : start[s]!;
    });
    const more = fetched.some(({ items }, s) => taken[s]! < items.length);
    return { items: page, nextCursor: more ? encodeCursor(shape, positions) : null };
  }).pipe(
    Effect.catchTags({
      // A key that passed our checks but not DynamoDB's (e.g. outside the sort-key range) is still a forged cursor.
      DynamoInvalid: (e) => (req.cursor === undefined ? Effect.die(e) : Effect.fail(new PaginationCursorInvalid())),
      DynamoRejected: (e) => Effect.die(e),
    }),
  );
