import { Effect, Option } from "effect";
import type { IdempotencyKey, ProductId, UserId } from "../shared/ids.js";
import type { PageRequest } from "../shared/page.js";
import { Clock, IdGenerator } from "../shared/ports.js";
import type { Money } from "../pricing/money.js";
import { ProductNotFound } from "./errors.js";
import { InventoryOps, type Product, type ProductPatch } from "./product.js";
import { type AdminProductQuery, ProductStore } from "./ports.js";
import { once } from "../idempotency/once.js";
import { lowStockEvents } from "../events/low-stock.js";

export interface NewProduct {
  readonly id?: ProductId | undefined;
  readonly name: string;
  readonly category: string;
  readonly description?: string | undefined;
  readonly price: Money;
  readonly stock: number;
  readonly lowStockThreshold?: number | undefined;
  readonly maxPerCustomer?: number | undefined;
}

export const createProduct = (input: NewProduct) =>
  Effect.gen(function* () {
    const id = input.id ?? ((yield* Effect.flatMap(IdGenerator, (ids) => ids.next)) as ProductId);
    const product: Product = {
      id,
      name: input.name,
      category: input.category,
      description: input.description ?? "",
      price: input.price,
      stock: yield* InventoryOps.initialStock(id, input.stock),
      reserved: 0,
      ...(input.lowStockThreshold === undefined ? {} : { lowStockThreshold: input.lowStockThreshold }),
      ...(input.maxPerCustomer === undefined ? {} : { maxPerCustomer: input.maxPerCustomer }),
    };
    yield* Effect.flatMap(ProductStore, (products) => products.create(product));
    return product;
  });

export const getProduct = (id: ProductId) =>
  Effect.flatMap(ProductStore, (products) => products.get(id)).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new ProductNotFound({ productId: id })), onSome: Effect.succeed })),
  );

export const listProducts = (query: PageRequest & { readonly category?: string | undefined }) =>
  Effect.flatMap(ProductStore, (products) => products.list(query));

export const listAdminProducts = (query: AdminProductQuery) => Effect.flatMap(ProductStore, (products) => products.adminList(query));

export const listCategories = Effect.flatMap(ProductStore, (products) => products.categories());

/** Archive (out of the catalog, no new holds) or list again; holds already taken keep their units until they lapse. */
export const setProductArchived = (id: ProductId, archived: boolean) =>
  Effect.gen(function* () {
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    return yield* Effect.flatMap(ProductStore, (products) => products.setArchived(id, archived ? now : null));
  });

/** Price changes apply to new holds only: existing holds and orders keep their snapshots. */
export const updateProduct = (id: ProductId, patch: ProductPatch) =>
  Effect.flatMap(ProductStore, (products) => products.update(id, patch));

/**
 * Admin stock change. With an Idempotency-Key (scoped to the admin) it happens once: a retry after a
 * lost reply gets the product as it is now (`replayed`) instead of adding the delta again.
 */
export const adjustStock = (id: ProductId, delta: number, by?: { readonly callerId: UserId; readonly key: IdempotencyKey }) =>
  Effect.flatMap(ProductStore, (products) =>
    once(
      by,
      `stock.adjust ${id} ${delta}`,
      (record) =>
        Effect.gen(function* () {
          const events = delta < 0 ? yield* stockLowAfter(id, delta) : [];
          return yield* products.adjustStock({ productId: id, delta, record, events });
        }),
      () => getProduct(id),
    ),
  );

/** A StockLow event if removing units takes the product low (judged on the product as read). */
const stockLowAfter = (id: ProductId, delta: number) =>
  Effect.gen(function* () {
    const before = yield* getProduct(id);
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    return yield* lowStockEvents(now, [{ before, after: { ...before, stock: before.stock + delta } }]);
  });

export const lowStockReport = (belowAvailable: number, page: PageRequest) =>
  Effect.flatMap(ProductStore, (products) => products.lowStock(belowAvailable, page));
