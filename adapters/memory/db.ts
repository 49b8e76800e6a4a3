import type { CartLine, DomainEvent, IdempotencyRecord, Order, PaymentEventRecord, Product, ProductImages, UploadIntent, User } from "../../domain/index.js";

/** One in-memory database shared by every memory store, so a checkout can change all of them at once. */
export interface MemoryDb {
  readonly products: Map<string, Product>;
  /** customerId → productId → line */
  readonly carts: Map<string, Map<string, CartLine>>;
  readonly orders: Map<string, Order>;
  /** `${callerId}#${key}` → record */
  readonly idempotency: Map<string, IdempotencyRecord>;
  readonly users: Map<string, User>;
  /** normalized email → user id */
  readonly emails: Map<string, string>;
  /** Committed events in commit order, each written with its change: the outbox (read like a stream). */
  readonly outbox: Array<DomainEvent>;
  /** Consumers' receipts (EventReceipts): `${consumer}#${order or event}` → done and claim. */
  readonly receipts: Map<string, { done: number; claim?: { readonly sequence: number; readonly until: number } | undefined }>;
  /** Provider events seen (PaymentEventLog): `${provider}#${eventId}` → record. */
  readonly paymentEvents: Map<string, PaymentEventRecord>;
  /** Attempt counters (AttemptCounter): `${key}#${window start}` → attempts and when the window ends. */
  readonly attempts: Map<string, { hits: number; readonly end: number }>;
  /** Upload intents by id, and each product's images with their version (ProductImageStore). */
  readonly uploads: Map<string, UploadIntent>;
  readonly images: Map<string, ProductImages>;
}

export const makeMemoryDb = (): MemoryDb => ({
  products: new Map(),
  carts: new Map(),
  orders: new Map(),
  idempotency: new Map(),
  users: new Map(),
  emails: new Map(),
  outbox: [],
  receipts: new Map(),
  paymentEvents: new Map(),
  attempts: new Map(),
  uploads: new Map(),
  images: new Map(),
});

export const cartOf = (db: MemoryDb, customerId: string): Map<string, CartLine> => {
  let lines = db.carts.get(customerId);
  if (!lines) db.carts.set(customerId, (lines = new Map()));
  return lines;
};

export const keyOf = (record: { readonly callerId: string; readonly key: string }): string => `${record.callerId}#${record.key}`;
