import { Either, Schema } from "effect";
import { PlainLine } from "../shared/text.js";
import { ProductId, Timestamp } from "../shared/ids.js";
import { UnitPrice } from "../pricing/money.js";
import { InventoryInsufficientStock, InventoryStockBelowReserved, InventoryCountersInvalid, InventoryStockOutOfRange } from "./errors.js";

/** Copied into carts, orders and their mail: one line of plain text. */
export const ProductName = PlainLine(200);
export const Category = Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: () => "Expected 1 to 40 lowercase letters, digits or \"-\", not starting with \"-\"" }));
/** The most units a product can have on hand; every stock write keeps to it (a stored product stays readable). */
export const maxStock = 1_000_000_000;
export const StockCount = Schema.Int.pipe(Schema.between(0, maxStock));
/** The most units of this product one customer may hold at once (instead of the stack's default); a line holds at most 99. */
export const MaxPerCustomer = Schema.Int.pipe(Schema.between(1, 99));

/** A product and its inventory counters. Invariant: 0 <= reserved <= stock. */
export const Product = Schema.Struct({
  id: ProductId,
  name: ProductName,
  category: Category,
  description: Schema.String.pipe(Schema.maxLength(2000)),
  price: UnitPrice,
  /** Units on hand. */
  stock: StockCount,
  /** Units held by unreleased cart holds. */
  reserved: StockCount,
  /** Below this many available units the product is low (a StockLow event); the default threshold when absent. */
  lowStockThreshold: Schema.optional(StockCount),
  maxPerCustomer: Schema.optional(MaxPerCustomer),
  /** Set while the product is archived: out of the catalog, no new holds; existing holds and orders keep it. */
  archivedAt: Schema.optional(Timestamp),
});
export type Product = typeof Product.Type;

/** What an admin may change on a product; counters change only through inventory operations. */
export const ProductPatch = Schema.Struct({
  name: Schema.optional(ProductName),
  category: Schema.optional(Category),
  description: Schema.optional(Schema.String.pipe(Schema.maxLength(2000))),
  price: Schema.optional(UnitPrice),
  lowStockThreshold: Schema.optional(StockCount),
  maxPerCustomer: Schema.optional(MaxPerCustomer),
});
export type ProductPatch = typeof ProductPatch.Type;

type Result = Either.Either<
  Product,
  InventoryInsufficientStock | InventoryStockBelowReserved | InventoryStockOutOfRange | InventoryCountersInvalid
>;

const bounded = (p: Product, delta: number): Either.Either<Product, InventoryStockOutOfRange> =>
  Number.isSafeInteger(p.stock + delta) && p.stock + delta <= maxStock
    ? Either.right(p)
    : Either.left(new InventoryStockOutOfRange({ productId: p.id, stock: p.stock, delta, max: maxStock }));

const checked = (p: Product): Result =>
  p.reserved >= 0 && p.reserved <= p.stock
    ? Either.right(p)
    : Either.left(new InventoryCountersInvalid({ productId: p.id, stock: p.stock, reserved: p.reserved }));

export const InventoryOps = {
  available: (p: Product): number => p.stock - p.reserved,

  /** On sale: in the catalog and open to new holds. */
  listed: (p: Product): boolean => p.archivedAt === undefined,

  /** Archive (at a time) or put back on sale (null); the counters are untouched. */
  withArchived: (p: Product, at: Timestamp | null): Product => {
    const { archivedAt: _, ...rest } = p;
    return at === null ? rest : { ...rest, archivedAt: at };
  },

  /** Hold `quantity` units for a cart: only if that many are available (no oversell). */
  reserve: (p: Product, quantity: number): Result =>
    quantity > p.stock - p.reserved
      ? Either.left(new InventoryInsufficientStock({ productId: p.id, requested: quantity, available: p.stock - p.reserved }))
      : checked({ ...p, reserved: p.reserved + quantity }),

  /** Give back held units (line removed, quantity lowered, hold expired). */
  release: (p: Product, quantity: number): Result => checked({ ...p, reserved: p.reserved - quantity }),

  /** A checkout consumes its holds: the units leave both stock and reserved. */
  sell: (p: Product, quantity: number): Result => checked({ ...p, stock: p.stock - quantity, reserved: p.reserved - quantity }),

  /** A cancelled order returns its units to stock, as long as stock stays within maxStock. */
  restock: (p: Product, quantity: number): Result => Either.flatMap(bounded(p, quantity), () => checked({ ...p, stock: p.stock + quantity })),

  /** Admin stock change: never takes stock below what carts hold, nor above maxStock. */
  adjustStock: (p: Product, delta: number): Result =>
    p.stock + delta < p.reserved
      ? Either.left(new InventoryStockBelowReserved({ productId: p.id, stock: p.stock, reserved: p.reserved, delta }))
      : Either.flatMap(bounded(p, delta), () => checked({ ...p, stock: p.stock + delta })),

  /** A new product's stock: a whole number from 0 to maxStock. */
  initialStock: (id: Product["id"], stock: number): Either.Either<number, InventoryStockOutOfRange> =>
    Number.isInteger(stock) && stock >= 0 && stock <= maxStock
      ? Either.right(stock)
      : Either.left(new InventoryStockOutOfRange({ productId: id, stock: 0, delta: stock, max: maxStock })),

  applyPatch: (p: Product, patch: ProductPatch): Product => ({ ...p, ...patch }),
};
