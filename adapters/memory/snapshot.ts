/** The memory stores' data as the audit reads it (domain/audit). */
import type { AuditSnapshot } from "../../domain/index.js";
import type { MemoryDb } from "./db.js";
import { categoryCounts } from "./product-store.js";

export const memorySnapshot = (db: MemoryDb): AuditSnapshot => ({
  products: [...db.products.values()],
  lines: [...db.carts].flatMap(([customerId, lines]) => [...lines.values()].map((line) => ({ customerId, line }))),
  orders: [...db.orders.values()],
  records: [...db.idempotency.values()],
  events: [...db.outbox],
  categoryCounts: categoryCounts(db),
});
