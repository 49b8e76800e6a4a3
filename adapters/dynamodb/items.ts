/** How each domain value is stored as an item, and read back (decoded by its own schema). */
import { Schema } from "effect";
import { CartLine, DomainEvent, isOrderEvent, IdempotencyRecord, Order, Product, toPlainLine, User, type UserId } from "../../domain/index.js";
import { byName, Keys, pad, Partitions } from "./keys.js";

export type Item = Record<string, unknown>;

const decoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownSync(schema);
  // Key and index attributes are dropped: a struct schema keeps only its own fields.
  return (item: Item): A => decode(item);
};

export const holdSortKey = (customerId: string, line: CartLine): string => `${pad(line.expiresAt)}#${customerId}#${line.productId}`;
const orderSortKey = (o: Order): string => `${pad(o.createdAt)}#${o.id}`;

/** The index partitions a product is in: listed ones in the catalog's and the low-stock report's, archived ones aside. */
export const productPartitions = (p: { readonly id: string; readonly category: string; readonly archivedAt?: number | undefined }) =>
  p.archivedAt === undefined
    ? { GSI1PK: Partitions.category(p.category), GSI3PK: Partitions.productShard(p.id), GSI4PK: Partitions.lowStockShard(p.id) }
    : { GSI1PK: Partitions.archivedOfCategory(p.category), GSI3PK: Partitions.archivedShard(p.id) };

export const productItem = (p: Product): Item => ({
  ...Keys.product(p.id),
  ...p,
  available: p.stock - p.reserved,
  ...productPartitions(p),
  GSI1SK: byName(p.name, p.id),
  GSI3SK: byName(p.name, p.id),
});
export const productFrom = decoder(Product);

/** A released line keeps its data but leaves both hold indexes (they are sparse). */
export const lineItem = (customerId: UserId, line: CartLine): Item => ({
  ...Keys.line(customerId, line.productId),
  customerId,
  ...line,
  ...(line.released
    ? {}
    : {
        GSI2PK: Partitions.holdsOf(line.productId),
        GSI2SK: holdSortKey(customerId, line),
        GSI3PK: Partitions.expiringShard(customerId, line.productId),
        GSI3SK: holdSortKey(customerId, line),
      }),
});
export const lineFrom = decoder(CartLine);
export const holdFrom = decoder(Schema.Struct({ customerId: Schema.String }));

/** The cart's own item as `cartCounter` (guards.ts) leaves it: written only by updates, never read back. */
export const cartHeaderItem = (customerId: string, lineCount: number, currency: string): Item => ({ ...Keys.cartHeader(customerId), lineCount, currency });

export const orderItem = (o: Order): Item => ({
  ...Keys.order(o.id),
  ...o,
  GSI1PK: Partitions.customerOrders(o.customerId),
  GSI1SK: orderSortKey(o),
  GSI2PK: Partitions.statusShard(o.status, o.id),
  GSI2SK: orderSortKey(o),
  // Sparse: only an order that owes a refund is in the refund worker's index.
  ...(o.refundsDue && o.refundsDue.length > 0
    ? { GSI3PK: Partitions.refundsDueShard(o.id), GSI3SK: `${pad(Math.min(...o.refundsDue.map((d) => d.since)))}#${o.id}` }
    : {}),
});
export const orderFrom = decoder(Order);

export const idempotencyItem = (r: IdempotencyRecord): Item => ({
  ...Keys.idempotency(r.callerId, r.key),
  ...r,
  // DynamoDB's TTL reads epoch seconds.
  ttl: Math.ceil(r.expiresAt / 1000),
});
export const recordFrom = decoder(IdempotencyRecord);

/** How long outbox items stay (the admin event log reads them); the relay publishes them within seconds. */
export const outboxRetentionMs = 14 * 24 * 60 * 60 * 1000;

const encodeEvent = Schema.encodeSync(DomainEvent);
const eventSortKey = (e: DomainEvent) => `${pad(e.occurredAt)}#${e.eventId}`;

export const eventItem = (e: DomainEvent): Item => ({
  ...Keys.event(e),
  type: e.type,
  event: encodeEvent(e),
  ttl: Math.ceil((e.occurredAt + outboxRetentionMs) / 1000),
  ...(!isOrderEvent(e) ? {} : { GSI1PK: Partitions.orderEvents(e.orderId), GSI1SK: pad(e.sequence) }),
  GSI2PK: Partitions.eventTypeShard(e.type, e.eventId),
  GSI2SK: eventSortKey(e),
  GSI3PK: Partitions.eventShard(e.eventId),
  GSI3SK: eventSortKey(e),
});
export const eventFrom = (item: Item): DomainEvent => decodeEvent(item["event"]);
const decodeEvent = Schema.decodeUnknownSync(DomainEvent);

export const userItem = (u: User): Item => ({ ...Keys.user(u.id), ...u });
export const emailGuardItem = (email: string, userId: UserId): Item => ({ ...Keys.email(email), userId });
const decodeUser = decoder(User);
// Users registered before names had to be plain text (issue 19) still load, their names made one line.
export const userFrom = (item: Item): User =>
  decodeUser(typeof item["name"] === "string" ? { ...item, name: toPlainLine(item["name"], 100, "Customer") } : item);
export const guardFrom = decoder(Schema.Struct({ userId: Schema.String }));
