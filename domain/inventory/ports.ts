import { Context, type Effect, type Option } from "effect";
import type { PaginationCursorInvalid, PersistenceUnavailable } from "../shared/errors.js";
import type { ProductId, Timestamp } from "../shared/ids.js";
import type { Page, PageRequest } from "../shared/page.js";
import type { Product, ProductPatch } from "./product.js";
import type { InventoryStockBelowReserved, InventoryStockOutOfRange, ProductAlreadyExists, ProductNotFound } from "./errors.js";
import type { IdempotencyKeyTaken } from "../idempotency/errors.js";
import type { IdempotencyRecord } from "../idempotency/record.js";
import type { DomainEvent } from "../events/events.js";

/** An admin stock change, with what goes into the same write: the request's idempotency record, its events. */
export interface StockAdjustment {
  readonly productId: ProductId;
  readonly delta: number;
  readonly record?: IdempotencyRecord | undefined;
  readonly events?: ReadonlyArray<DomainEvent> | undefined;
}

/** The admin's view of the catalog: one category or all, archived or listed products or both. */
export interface AdminProductQuery extends PageRequest {
  readonly category?: string | undefined;
  readonly archived?: boolean | undefined;
}

/** A category and how many listed (not archived) products it has. */
export interface CategoryCount {
  readonly category: string;
  readonly products: number;
}

export interface ProductStoreShape {
  readonly get: (id: ProductId) => Effect.Effect<Option.Option<Product>, PersistenceUnavailable>;
  /** Listed (not archived) products of one category (or all), ordered by name then id: the storefront's catalog. */
  readonly list: (
    query: PageRequest & { readonly category?: string | undefined },
  ) => Effect.Effect<Page<Product>, PaginationCursorInvalid | PersistenceUnavailable>;
  /** Every product the query asks for, archived or not, ordered by name then id. */
  readonly adminList: (query: AdminProductQuery) => Effect.Effect<Page<Product>, PaginationCursorInvalid | PersistenceUnavailable>;
  /** Categories with at least one listed product, by name, each with that count, exact as of the last committed write. */
  readonly categories: () => Effect.Effect<ReadonlyArray<CategoryCount>, PersistenceUnavailable>;
  /**
   * Archives the product (`at`) or lists it again (null), only from the state it is in, with the category
   * counts in the same write; a product already in that state is returned unchanged.
   */
  readonly setArchived: (id: ProductId, at: Timestamp | null) => Effect.Effect<Product, ProductNotFound | PersistenceUnavailable>;
  readonly create: (product: Product) => Effect.Effect<void, ProductAlreadyExists | PersistenceUnavailable>;
  /** Changes descriptive fields and price only; holds and orders keep their snapshots. */
  readonly update: (id: ProductId, patch: ProductPatch) => Effect.Effect<Product, ProductNotFound | PersistenceUnavailable>;
  /**
   * Adds `delta` to stock atomically, refusing to go below `reserved` or above maxStock; stores the
   * record (IdempotencyKeyTaken if its key already has one) and the events in the same write.
   */
  readonly adjustStock: (
    change: StockAdjustment,
  ) => Effect.Effect<
    Product,
    ProductNotFound | InventoryStockBelowReserved | InventoryStockOutOfRange | IdempotencyKeyTaken | PersistenceUnavailable
  >;
  /** Products whose available units are below a threshold (admin report), lowest first. */
  readonly lowStock: (
    belowAvailable: number,
    page: PageRequest,
  ) => Effect.Effect<Page<Product>, PaginationCursorInvalid | PersistenceUnavailable>;
}
export class ProductStore extends Context.Tag("cartwright/ProductStore")<ProductStore, ProductStoreShape>() {}
