import { Effect, Option } from "effect";
import { openCursor, sealCursor } from "../page-token.js";
import { type Page, type PageRequest, PaginationCursorInvalid } from "../../domain/index.js";

// The cursor holds the last sort key read; the check binds it to this query (adapters/page-token.ts).
const decode = (raw: string, query: string): string | undefined =>
  Option.getOrUndefined(Option.filter(openCursor(query, raw), (k): k is string => typeof k === "string"));

/**
 * Pages over items sorted by a string key (ascending, or descending when `newestFirst`).
 * A cursor names the query it belongs to, so it cannot be replayed against another.
 */
export const paginate = <A>(
  items: ReadonlyArray<A>,
  sortKey: (a: A) => string,
  query: string,
  req: PageRequest,
  newestFirst = false,
): Effect.Effect<Page<A>, PaginationCursorInvalid> =>
  Effect.suspend(() => {
    const cursor = req.cursor === undefined ? undefined : decode(req.cursor, query);
    if (req.cursor !== undefined && cursor === undefined) return Effect.fail(new PaginationCursorInvalid());
    const keyed = items.map((item) => ({ item, key: sortKey(item) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (newestFirst ? -1 : 1));
    const rest = cursor !== undefined ? keyed.filter((x) => (newestFirst ? x.key < cursor : x.key > cursor)) : keyed;
    const page = rest.slice(0, req.limit);
    const last = page[page.length - 1];
    const nextCursor = rest.length > req.limit && last ? sealCursor(query, last.key) : null;
    return Effect.succeed({ items: page.map((x) => x.item), nextCursor });
  });

/** Zero-padded so that numbers sort as strings. */
export const pad = (n: number): string => String(n).padStart(16, "0");
