/** Key and index attribute values of every item kind; the layout is described in README.md. */

// Spreads the write-hot constant partitions (all products, low stock, expiring holds, orders by
// status) over a few index partitions; a query on them reads every shard and merges. Changing it
// re-keys those index entries, so it is a migration, not a setting.
export const shardCount = 4;

/** FNV-1a: a stable, dependency-free hash so a given id always lands on the same shard. */
export const shardOf = (id: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shardCount;
};

export const shards = (prefix: string): ReadonlyArray<string> => Array.from({ length: shardCount }, (_, s) => `${prefix}#${s}`);

/** Zero-padded so that numbers sort as strings (16 digits: any millisecond timestamp for 300,000 years). */
export const pad = (n: number): string => String(n).padStart(16, "0");

// NUL sorts before every other character, so "a" < "a b" as in a plain name comparison.
export const byName = (name: string, id: string): string => `${name}\u0000${id}`;

export const Keys = {
  product: (id: string) => ({ PK: `PRODUCT#${id}`, SK: "PRODUCT" }),
  line: (customerId: string, productId: string) => ({ PK: `CART#${customerId}`, SK: `LINE#${productId}` }),
  /** The cart's own item: how many lines it has and their currency, checked by every change that adds a line. */
  cartHeader: (customerId: string) => ({ PK: `CART#${customerId}`, SK: "CART" }),
  cart: (customerId: string) => `CART#${customerId}`,
  order: (id: string) => ({ PK: `ORDER#${id}`, SK: "ORDER" }),
  idempotency: (callerId: string, key: string) => ({ PK: `IDEMPOTENCY#${callerId}`, SK: `KEY#${key}` }),
  user: (id: string) => ({ PK: `USER#${id}`, SK: "USER" }),
  email: (normalized: string) => ({ PK: `EMAIL#${normalized}`, SK: "EMAIL" }),
  /**
   * An outbox item: written with its change; the stream's INSERT of it is what the relay publishes. An
   * order's events share the order's partition key, so its stream records stay in one shard, in order.
   */
  event: (e: { readonly eventId: string; readonly orderId?: string; readonly sequence?: number }) =>
    e.orderId === undefined || e.sequence === undefined ? { PK: `EVENT#${e.eventId}`, SK: "EVENT" } : { PK: `ORDER#${e.orderId}`, SK: `EVENT#${pad(e.sequence)}` },
  /** How many listed products a category has: changed in the same transaction as every product write that moves it. */
  categoryCount: (category: string) => ({ PK: "CATEGORIES", SK: `CATEGORY#${category}` }),
  /** A payment provider's event, seen: dedupes redeliveries (written with the order change it applied). */
  paymentEvent: (provider: string, eventId: string) => ({ PK: `PAYEVENT#${provider}#${eventId}`, SK: "PAYEVENT" }),
  /** An attempt counter for one key (an IP, a hashed account) and one window; deleted by TTL after it. */
  attempts: (key: string, windowStart: number) => ({ PK: `LIMIT#${key}#${windowStart}`, SK: "LIMIT" }),
};

/** Outbox items' sort keys: `EVENT` (a StockLow) or `EVENT#<sequence>` (an order's event, under its order). */
export const isOutboxSortKey = (sk: string): boolean => sk.startsWith("EVENT");

/** Index partition values: what each query asks for, and what a cursor must point into. */
export const Partitions = {
  category: (category: string) => `CATEGORY#${category}`,
  allProducts: () => shards("PRODUCTS"),
  productShard: (id: string) => `PRODUCTS#${shardOf(id)}`,
  // Archived products move to their own partitions: the catalog's queries never read them, the admin's may.
  archivedOfCategory: (category: string) => `ARCHIVED#${category}`,
  allArchived: () => shards("ARCHIVED"),
  archivedShard: (id: string) => `ARCHIVED#${shardOf(id)}`,
  lowStock: () => shards("LOWSTOCK"),
  lowStockShard: (id: string) => `LOWSTOCK#${shardOf(id)}`,
  holdsOf: (productId: string) => `HOLDS#${productId}`,
  expiring: () => shards("EXPIRY"),
  expiringShard: (customerId: string, productId: string) => `EXPIRY#${shardOf(`${customerId}#${productId}`)}`,
  customerOrders: (customerId: string) => `CUSTOMER#${customerId}`,
  status: (status: string) => shards(`STATUS#${status}`),
  statusShard: (status: string, orderId: string) => `STATUS#${status}#${shardOf(orderId)}`,
  orderEvents: (orderId: string) => `ORDEREVENTS#${orderId}`,
  refundsDue: () => shards("REFUNDSDUE"),
  refundsDueShard: (orderId: string) => `REFUNDSDUE#${shardOf(orderId)}`,
  /** Products whose IMAGES item owes file deletions (the image sweep; sparse), longest owed first. */
  imageFilesDue: () => shards("IMAGEFILESDUE"),
  imageFilesDueShard: (productId: string) => `IMAGEFILESDUE#${shardOf(productId)}`,
  /** Pending upload intents by expiry (the image sweep expires them; sparse: settled ones leave). */
  pendingUploads: () => shards("UPLOADS"),
  pendingUploadShard: (uploadId: string) => `UPLOADS#${shardOf(uploadId)}`,
  events: () => shards("EVENTS"),
  eventShard: (eventId: string) => `EVENTS#${shardOf(eventId)}`,
  eventsOfType: (type: string) => shards(`EVENTTYPE#${type}`),
  eventTypeShard: (type: string, eventId: string) => `EVENTTYPE#${type}#${shardOf(eventId)}`,
};
