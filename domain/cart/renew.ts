import { Either } from "effect";
import type { HoldId, ProductId, Timestamp } from "../shared/ids.js";
import { type Product, InventoryOps } from "../inventory/product.js";
import type { Money } from "../pricing/money.js";
import { type Cart, type CartChange, type CartLine, holdRef, type LineWrite, type ReservationDelta } from "./cart.js";
import { CartOps } from "./ops.js";

export type RenewOutcome =
  | { readonly productId: ProductId; readonly outcome: "renewed"; readonly previousPrice: Money; readonly currentPrice: Money; readonly priceChanged: boolean }
  | { readonly productId: ProductId; readonly outcome: "unavailable"; readonly requested: number; readonly available: number };

export interface RenewPlan {
  readonly change: CartChange;
  readonly report: ReadonlyArray<RenewOutcome>;
}

export interface RenewTerms {
  readonly now: Timestamp;
  readonly ttlMs: number;
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

/**
 * Re-reserve every expired line at the product's current price and name. A line
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
      if (line.expiresAt > terms.now || !product) continue;
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
    return { change: { customerId: cart.customerId, lines, reservations }, report } satisfies RenewPlan;
  });
