/**
 * The model: plain numbers and maps, much simpler than the code under test.
 * Products, customers and keys are small integers; prices are minor units.
 */
export interface ModelLine {
  qty: number;
  price: number;
  expiresAt: number;
  /** When the hold was taken: a renewal extends a live hold to at most 4 TTLs after it. */
  takenAt: number;
  released: boolean;
}

export interface ModelOrder {
  id: string;
  customer: number;
  lines: Array<{ product: number; qty: number; price: number }>;
  status: "placed" | "paid" | "packed" | "shipped" | "delivered" | "cancelled";
  /** Status changes so far, placing included: the sequence of its latest event. */
  changes: number;
  placedAt: number;
  /** The payment stored on the order, if one was started. */
  payment?: { status: "pending" | "failed" | "succeeded" | "canceled" | "refunded"; refunds: number };
  /** The provider's side of it: open until it succeeds or is cancelled. */
  intent?: "open" | "succeeded" | "canceled";
  /** The last webhook delivered for it (its exact bytes and signature), for redeliveries. */
  lastWebhook?: { readonly payload: string; readonly signature: string };
  /** Webhooks the provider sent that have not reached the app yet, oldest first. */
  undelivered?: Array<{ readonly payload: string; readonly signature: string; readonly result: "succeeded" | "failed" }>;
}

/** Placed orders not paid within this are cancelled by ExpireUnpaidOrders. */
export const paymentWindowMs = 45 * 60_000;

/** An event the model expects in the outbox: an order's (by index) or a StockLow (product, available after). */
export type ModelEvent = { readonly type: string; readonly order: number; readonly sequence: number } | { readonly type: "StockLow"; readonly low: ReadonlyArray<readonly [number, number]> };

export interface Model {
  now: number;
  readonly ttlMs: number;
  products: Array<{ price: number; stock: number; supplied: number }>;
  carts: Array<Map<number, ModelLine>>;
  orders: Array<ModelOrder>;
  /** `${customer}:${key}` → the order it produced (none after a refusal) and the cart it was for */
  keys: Map<string, { order?: number; fingerprint: string }>;
  /** Every event committed so far, in commit order. */
  events: Array<ModelEvent>;
}

export const productCount = 3;
export const customerCount = 3;

export const initialModel = (stocks: ReadonlyArray<number>, now: number, ttlMs: number): Model => ({
  now,
  ttlMs,
  products: stocks.map((stock) => ({ price: 1000, stock, supplied: stock })),
  carts: Array.from({ length: customerCount }, () => new Map()),
  orders: [],
  keys: new Map(),
  events: [],
});

/** Products have no threshold of their own here: the domain's default applies. */
export const lowStockThreshold = 5;

/** Records a StockLow for the products a change took from at or above the threshold to below it. */
export const noteFalls = (m: Model, changes: ReadonlyArray<{ readonly p: number; readonly before: number; readonly after: number }>) => {
  const low = changes.filter((c) => c.before >= lowStockThreshold && c.after < lowStockThreshold).map((c) => [c.p, c.after] as const);
  if (low.length > 0) m.events.push({ type: "StockLow", low });
};

export const noteOrderChange = (m: Model, order: number, type: string) => {
  const o = m.orders[order]!;
  o.changes++;
  m.events.push({ type, order, sequence: o.changes });
};

export const reserved = (m: Model, p: number): number =>
  m.carts.reduce((sum, cart) => sum + (cart.get(p) && !cart.get(p)!.released ? cart.get(p)!.qty : 0), 0);

export const available = (m: Model, p: number): number => m.products[p]!.stock - reserved(m, p);

export const sold = (m: Model, p: number): number =>
  m.orders
    .filter((o) => o.status !== "cancelled")
    .flatMap((o) => o.lines)
    .filter((l) => l.product === p)
    .reduce((s, l) => s + l.qty, 0);

/** Lazy release: every expired, unreleased hold of one product goes back; returns how many. */
export const releaseExpiredOf = (m: Model, p: number): number => {
  let n = 0;
  for (const cart of m.carts) {
    const line = cart.get(p);
    if (line && !line.released && line.expiresAt <= m.now) {
      line.released = true;
      n++;
    }
  }
  return n;
};

/** Reserve `delta` more units of `p` the way the system does: try, lazily release once, try again. */
export const canReserve = (m: Model, p: number, delta: number): boolean => {
  if (delta <= available(m, p)) return true;
  return releaseExpiredOf(m, p) > 0 && delta <= available(m, p);
};

export const fingerprint = (cart: Map<number, ModelLine>): string =>
  [...cart.entries()].map(([p, l]) => `${p}:${l.qty}:${l.price}`).sort().join("|");
