import { Effect } from "effect";
import { type Page, type PageRequest, PaginationCursorInvalid } from "../../domain/index.js";

interface Cursor {
  readonly q: string;
  readonly k: string;
}

const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString("base64url");

const decode = (raw: string, query: string): Cursor | undefined => {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
    return c.q === query && typeof c.k === "string" ? { q: c.q, k: c.k } : undefined;
  } catch {
    return undefined;
  }
};

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
    if (req.cursor !== undefined && !cursor) return Effect.fail(new PaginationCursorInvalid());
    const keyed = items.map((item) => ({ item, key: sortKey(item) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (newestFirst ? -1 : 1));
    const rest = cursor ? keyed.filter((x) => (newestFirst ? x.key < cursor.k : x.key > cursor.k)) : keyed;
    const page = rest.slice(0, req.limit);
    const last = page[page.length - 1];
    const nextCursor = rest.length > req.limit && last ? encode({ q: query, k: last.key }) : null;
    return Effect.succeed({ items: page.map((x) => x.item), nextCursor });
  });

/** Zero-padded so that numbers sort as strings. */
export const pad = (n: number): string => String(n).padStart(16, "0");
