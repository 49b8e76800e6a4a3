import { Either } from "effect";
import type { HoldId, ProductId, Timestamp } from "../shared/ids.js";
import { InventoryOps, type Product } from "../inventory/product.js";
import { ProductArchived } from "../inventory/errors.js";
import type { Quantity } from "../shared/ids.js";
import { type Currency, type Money, type MoneyCurrencyMismatch, MoneyOps, type MoneyOutOfRange } from "../pricing/money.js";
import { type Cart, type CartChange, type CartLine, holdRef, maxCartLines, maxLineQuantity } from "./cart.js";
import {
  CartCurrencyMismatch,
  CartHoldLimitExceeded,
  CartLineExpired,
  CartLineLimitExceeded,
  CartLineNotFound,
  CartQuantityOutOfRange,
  HoldAlreadyReleased,
  HoldNotExpired,
} from "./errors.js";

export interface HoldTerms {
  readonly now: Timestamp;
  readonly ttlMs: number;
  readonly holdId: HoldId;
}

const findLine = (cart: Cart, productId: ProductId) => cart.lines.find((l) => l.productId === productId);

const checkQuantity = (productId: ProductId, quantity: number) =>
  Number.isInteger(quantity) && quantity >= 1 && quantity <= maxLineQuantity
    ? Either.right(quantity as Quantity)
    : Either.left(new CartQuantityOutOfRange({ productId, quantity, min: 1, max: maxLineQuantity }));

const liveLine = (cart: Cart, productId: ProductId, now: number) => {
  const line = findLine(cart, productId);
  if (!line) return Either.left(new CartLineNotFound({ productId }));
  return line.expiresAt > now ? Either.right(line) : Either.left(new CartLineExpired({ productId, expiredAt: line.expiresAt }));
};

const newHold = (product: Product, quantity: Quantity, terms: HoldTerms, version: number): CartLine => ({
  productId: product.id,
  name: product.name,
  quantity,
  unitPrice: product.price,
  holdId: terms.holdId,
  reservedAt: terms.now,
  expiresAt: (terms.now + terms.ttlMs) as Timestamp,
  released: false,
  version,
});

const change = (cart: Cart, lines: CartChange["lines"], reservations: CartChange["reservations"]): CartChange => ({
  customerId: cart.customerId,
  lines,
  reservations: reservations.filter((r) => r.delta !== 0),
});

const removal = (line: CartLine) => ({
  line: { productId: line.productId, expected: holdRef(line), next: null },
  reservation: { productId: line.productId, delta: line.released ? 0 : -line.quantity },
});

/** The currency every line of a cart is in; undefined for an empty cart. */
const currencyOf = (cart: Cart): Currency | undefined => cart.lines[0]?.unitPrice.currency;

/** A product priced in another currency than the cart's cannot join it (or be renewed into it). */
const sameCurrency = (cart: Cart, product: Product) => {
  const currency = currencyOf(cart);
  return currency === undefined || currency === product.price.currency
    ? Either.right(product)
    : Either.left(new CartCurrencyMismatch({ productId: product.id, cartCurrency: currency, productCurrency: product.price.currency }));
};

/** Carts over the cap exist only from before it was enforced atomically: they may shrink line by line, nothing more. */
const withinCap = (cart: Cart) =>
  cart.lines.length <= maxCartLines ? Either.right(cart) : Either.left(new CartLineLimitExceeded({ limit: maxCartLines }));

const byProductId = (a: CartLine, b: CartLine) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);

export const CartOps = {
  /** Put `quantity` more units of a product in the cart, holding them at today's price (or the line's live snapshot). */
  addLine: (cart: Cart, product: Product, quantity: number, terms: HoldTerms) =>
    Either.gen(function* () {
      const q = yield* checkQuantity(product.id, quantity);
      if (findLine(cart, product.id)) {
        const line = yield* liveLine(cart, product.id, terms.now);
        return yield* CartOps.changeQuantity(cart, product.id, line.quantity + q, terms.now);
      }
      if (cart.lines.length >= maxCartLines) return yield* Either.left(new CartLineLimitExceeded({ limit: maxCartLines }));
      yield* sameCurrency(cart, product);
      const line = newHold(product, q, terms, 1);
      return change(cart, [{ productId: product.id, expected: null, next: line }], [{ productId: product.id, delta: q }]);
    }),

  /** Set a live line's quantity, reserving or releasing the difference; 0 removes the line. */
  changeQuantity: (cart: Cart, productId: ProductId, quantity: number, now: number) =>
    Either.gen(function* () {
      if (quantity === 0) return yield* CartOps.removeLine(cart, productId);
      const q = yield* checkQuantity(productId, quantity);
      const line = yield* liveLine(cart, productId, now);
      const next = { ...line, quantity: q, version: line.version + 1 };
      return change(cart, [{ productId, expected: holdRef(line), next }], [{ productId, delta: q - line.quantity }]);
    }),

  /** Drop a line (live or expired), releasing its units if they are still held. */
  removeLine: (cart: Cart, productId: ProductId) =>
    Either.gen(function* () {
      const line = findLine(cart, productId);
      if (!line) return yield* Either.left(new CartLineNotFound({ productId }));
      const r = removal(line);
      return change(cart, [r.line], [r.reservation]);
    }),

  clear: (cart: Cart) =>
    Either.map(withinCap(cart), () => {
      const rs = cart.lines.map(removal);
      return change(cart, rs.map((r) => r.line), rs.map((r) => r.reservation));
    }),

  /** Release an expired hold's units exactly once: only if expired, never twice. */
  releaseExpired: (cart: Cart, productId: ProductId, now: number) =>
    Either.gen(function* () {
      const line = findLine(cart, productId);
      if (!line) return yield* Either.left(new CartLineNotFound({ productId }));
      if (line.expiresAt > now) return yield* Either.left(new HoldNotExpired({ productId, expiresAt: line.expiresAt }));
      if (line.released) return yield* Either.left(new HoldAlreadyReleased({ productId }));
      const next = { ...line, released: true, version: line.version + 1 };
      return change(cart, [{ productId, expected: holdRef(line), next }], [{ productId, delta: -line.quantity }]);
    }),

  /**
   * Refuses a change that leaves the customer holding more than `limit` units of the product. Only a raise is
   * judged (a line held before a lower limit may still shrink); the store's hold version makes it race-free.
   */
  withinHoldLimit: (change: CartChange, product: Product, limit: number): Either.Either<CartChange, CartHoldLimitExceeded> => {
    const write = change.lines.find((l) => l.productId === product.id);
    const raised = change.reservations.some((r) => r.productId === product.id && r.delta > 0);
    const held = write?.next?.quantity ?? 0;
    return raised && held > limit ? Either.left(new CartHoldLimitExceeded({ productId: product.id, limit, requested: held })) : Either.right(change);
  },

  /** A change that holds more of a product (or holds it again) needs it on sale, now and when the change commits. */
  onSale: (change: CartChange, product: Product): Either.Either<CartChange, ProductArchived> =>
    InventoryOps.listed(product)
      ? Either.right({ ...change, onSale: [...(change.onSale ?? []), product.id] })
      : Either.left(new ProductArchived({ productId: product.id })),

  currencyOf,
  sameCurrency,
  withinCap,

  /** The sum of the lines at their snapshot prices; never adds amounts of two currencies. */
  subtotal: (cart: Cart, emptyCurrency: Currency): Either.Either<Money, MoneyCurrencyMismatch | MoneyOutOfRange> =>
    Either.flatMap(
      Either.all(cart.lines.map((l) => MoneyOps.times(l.unitPrice, l.quantity))),
      (totals) => MoneyOps.sum(currencyOf(cart) ?? emptyCurrency, totals),
    ),

  /** The cart after a change has been applied (what a store holds afterwards). */
  apply: (cart: Cart, c: CartChange): Cart => {
    const byProduct = new Map(cart.lines.map((l) => [l.productId, l] as const));
    for (const w of c.lines) {
      if (w.next) byProduct.set(w.productId, w.next);
      else byProduct.delete(w.productId);
    }
    return { customerId: cart.customerId, lines: [...byProduct.values()].sort(byProductId) };
  },
};
