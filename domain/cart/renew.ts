import { Either } from "effect";
import type { HoldId, ProductId, Timestamp } from "../shared/ids.js";
import { type Product, InventoryOps } from "../inventory/product.js";
import type { Money } from "../pricing/money.js";
import { type Cart, type CartChange, type CartLine, holdRef, type LineWrite, type ReservationDelta } from "./cart.js";
import { CartOps } from "./ops.js";

export type RenewOutcome =
  | { readonly productId: ProductId; readonly outcome: "renewed"; readonly previousPrice: Money; readonly currentPrice: Money; readonly priceChanged: boolean }
  | { readonly productId: ProductId; readonly outcome: "extended"; readonly expiresAt: Timestamp }
  | { readonly productId: ProductId; readonly outcome: "at_limit"; readonly expiresAt: Timestamp }
  | { readonly productId: ProductId; readonly outcome: "archived" }
  | { readonly productId: ProductId; readonly outcome: "unavailable"; readonly requested: number; readonly available: number };

export interface RenewPlan {
  readonly change: CartChange;
  readonly report: ReadonlyArray<RenewOutcome>;
}

export interface RenewTerms {
  readonly now: Timestamp;
  readonly ttlMs: number;
  /** A live hold is extended to at most this long after it was taken (its reservedAt). */
  readonly maxAgeMs: number;
  /** A fresh id; each renewed hold gets `${holdIdBase}-<n>`. */
  readonly holdIdBase: string;
}

const renewed = (line: CartLine, product: Product, terms: RenewTerms, n: number): CartLine => ({
  ...line,
  name: product.name,
  unitPrice: product.price,
  holdId: `${terms.holdIdBase}-${n}` as HoldId,
  reservedAt: terms.now,
  expiresAt: (terms.now + terms.ttlMs) as Timestamp,
  released: false,
  version: line.version + 1,
});

/** A live line's new expiry: a full TTL from now, but never past its hold's maximum age. */
const extendedExpiry = (line: CartLine, terms: RenewTerms): number => Math.min(terms.now + terms.ttlMs, line.reservedAt + terms.maxAgeMs);

/** The same hold (id, price, units) lasting longer; its version moves, so a stale writer of the old one fails. */
const extended = (line: CartLine, expiresAt: number): CartLine => ({ ...line, expiresAt: expiresAt as Timestamp, version: line.version + 1 });

/**
 * Extend every live line by the hold TTL from now, up to its maximum age, keeping its price; and
 * re-reserve every expired line at the product's current price and name. A line
 * whose units were already released is re-reserved only if enough are available;
 * otherwise it is reported unavailable and left as it is. A product now priced in
 * another currency than the cart's refuses the renewal: a cart holds one currency.
 */
export const planRenewal = (cart: Cart, products: ReadonlyMap<ProductId, Product>, terms: RenewTerms) =>
  Either.gen(function* () {
    yield* CartOps.withinCap(cart);
    const lines: Array<LineWrite> = [];
    const reservations: Array<ReservationDelta> = [];
    const report: Array<RenewOutcome> = [];
    for (const line of cart.lines) {
      const product = products.get(line.productId);
      if (!product) continue;
      if (!InventoryOps.listed(product)) {
        report.push({ productId: line.productId, outcome: "archived" });
        continue;
      }
      if (line.expiresAt > terms.now) {
        const expiresAt = extendedExpiry(line, terms);
        if (expiresAt <= line.expiresAt) report.push({ productId: line.productId, outcome: "at_limit", expiresAt: line.expiresAt });
        else {
          lines.push({ productId: line.productId, expected: holdRef(line), next: extended(line, expiresAt) });
          report.push({ productId: line.productId, outcome: "extended", expiresAt: expiresAt as Timestamp });
        }
        continue;
      }
      yield* CartOps.sameCurrency(cart, product);
      const available = InventoryOps.available(product);
      if (line.released && available < line.quantity) {
        report.push({ productId: line.productId, outcome: "unavailable", requested: line.quantity, available });
        continue;
      }
      lines.push({ productId: line.productId, expected: holdRef(line), next: renewed(line, product, terms, lines.length) });
      if (line.released) reservations.push({ productId: line.productId, delta: line.quantity });
      const priceChanged = line.unitPrice.amount !== product.price.amount;
      report.push({ productId: line.productId, outcome: "renewed", previousPrice: line.unitPrice, currentPrice: product.price, priceChanged });
    }
    const onSale = lines.map((w) => w.productId);
    return { change: { customerId: cart.customerId, lines, reservations, ...(onSale.length > 0 ? { onSale } : {}) }, report } satisfies RenewPlan;
  });
